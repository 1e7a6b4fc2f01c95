import Foundation
import TestSupport
import Testing

/// `tls: true` with the process provider: the real binary makes the environment's certificates, a
/// Python service serves HTTPS with them, and Python, Node and curl clients verify it with
/// verification left on.
@Suite("Per-run certificates", .serialized)
struct PerRunCertificateTests {
    static let server = #"""
        import http.server, os, ssl
        server = http.server.HTTPServer(("127.0.0.1", int(os.environ["PORT"])), http.server.SimpleHTTPRequestHandler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(os.environ["TLS_CERT_FILE"], os.environ["TLS_KEY_FILE"])
        server.socket = context.wrap_socket(server.socket, server_side=True)
        server.serve_forever()
        """#

    static let clients = #"""
        import json, os, stat, subprocess, urllib.request
        url = os.environ["API_URL"]
        assert url.startswith("https://127.0.0.1:"), url
        urllib.request.urlopen(url + "/", timeout=5).read()
        subprocess.run(["node", "-e", "require('https').get(process.argv[1], r => process.exit(r.statusCode === 200 ? 0 : 3)).on('error', e => { console.error(e.message); process.exit(4) })", url + "/"], check=True)
        subprocess.run(["curl", "-sf", "-o", "/dev/null", url + "/"], check=True)
        directory = os.path.dirname(os.environ["SSL_CERT_FILE"])
        modes = {name: stat.S_IMODE(os.stat(os.path.join(directory, name)).st_mode) for name in os.listdir(directory)}
        json.dump({"directory": directory, "modes": modes}, open("seen.json", "w"))
        """#

    @Test("Python, Node and curl clients verify the service's certificate, keys are 0600, and down deletes them")
    func clientsVerifyAndDownDeletes() throws {
        let fixture = try GitFixture()
        try fixture.commit(files: [
            "gantry.yml": """
            version: 1
            environment: {tls: true}
            services:
              api:
                paths: ["services/api/**"]
                run: "exec python3 server.py"
                health: ["${url}/"]
                smoke:
                  - {tls: "${url}", min_days_valid: 0}

            """,
            "services/api/server.py": Self.server,
            "clients.py": Self.clients,
        ])
        let result = try runGantry(["run", "--always", "--test", "python3 clients.py"], in: fixture.path)
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardOutput.contains("certificate: CN=api, issued by CN=gantry "), "\(result.standardOutput)")
        let seen = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: fixture.path + "/seen.json"))) as? [String: Any])
        let modes = try #require(seen["modes"] as? [String: Int])
        #expect(modes["api.key"] == 0o600)
        #expect(Set(modes.keys) == ["api.key", "api.pem", "ca.pem", "trusted.pem"])
        let directory = try #require(seen["directory"] as? String)
        #expect(!FileManager.default.fileExists(atPath: directory), "env down leaves \(directory)")
    }

    @Test("with the compose provider, tls: true is refused with a message that says what to do, before docker runs")
    func composeRefuses() throws {
        let fixture = try GitFixture()
        try fixture.commit(files: [
            "gantry.yml": """
            version: 1
            environment: {provider: compose, compose: {file: docker-compose.yml}, tls: true}
            services:
              api:
                paths: ["services/api/**"]
                run: "exec python3 server.py"

            """,
            "services/api/server.py": "",
        ])
        let log = fixture.path + "/docker.log"
        let result = try runGantry(
            ["env", "up"], in: fixture.path, variables: ["GANTRY_DOCKER": "/bin/sh -c 'echo called >> \(log)'"])
        #expect(result.status != 0)
        #expect(
            (result.standardOutput + result.standardError).contains(
                "per-run certificates (`tls: true` on `api`) are made by the process provider only"))
        #expect(!FileManager.default.fileExists(atPath: log))
    }
}
