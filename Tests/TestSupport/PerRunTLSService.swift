/// A service for `tls: true` environments: a Python HTTPS server on `PORT` that serves the per-run
/// certificate gantry hands it in `TLS_CERT_FILE` and `TLS_KEY_FILE`.
public enum PerRunTLSService {
    /// The server, to commit as a file and `run` with `exec python3 FILE`.
    public static let script = #"""
        import http.server, os, ssl
        server = http.server.HTTPServer(("127.0.0.1", int(os.environ["PORT"])), http.server.SimpleHTTPRequestHandler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(os.environ["TLS_CERT_FILE"], os.environ["TLS_KEY_FILE"])
        server.socket = context.wrap_socket(server.socket, server_side=True)
        server.serve_forever()
        """#
}
