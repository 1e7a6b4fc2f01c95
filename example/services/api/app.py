"""The example API: lists videos and reports its health."""
import argparse
import json
import os
import ssl
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        routes = {
            "/api/health": {"status": "healthy"},
            "/api/videos": {"items": [{"id": 1, "title": "Intro"}]},
        }
        body = routes.get(self.path)
        payload = json.dumps(body or {"error": "not found"}).encode()
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format, *args):
        pass


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8000)
    port = parser.parse_args().port
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    # With `tls: true`, gantry hands the service a certificate of the environment's own authority.
    if os.environ.get("TLS_CERT_FILE"):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(os.environ["TLS_CERT_FILE"], os.environ["TLS_KEY_FILE"])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    scheme = "https" if os.environ.get("TLS_CERT_FILE") else "http"
    print(f"api listening on {scheme}://127.0.0.1:{port}", flush=True)
    server.serve_forever()
