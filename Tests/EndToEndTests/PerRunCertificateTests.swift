import Foundation
import TestSupport
import Testing

/// `tls: true` with the process provider: the real binary makes the environment's certificates, a
/// Python service serves HTTPS with them, and Python, Node and curl clients verify it with
/// verification left on.
@Suite("Per-run certificates", .serialized)
struct PerRunCertificateTests {
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
            "services/api/server.py": PerRunTLSService.script,
            "clients.py": Self.clients,
        ])
        let registry = try TemporaryDirectory(prefix: "gantry-registry")
        let result = try runGantry(
            ["run", "--always", "--test", "python3 clients.py"], in: fixture.path, variables: ["GANTRY_REGISTRY": registry.path])
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

    @Test("split workflow: env up gives the trust bundle as the ca-bundle output and ca_bundle in JSON; a later step verifies with it")
    func caBundleForLaterSteps() async throws {
        let fixture = try EnvironmentFixture(
            extraServices: """
                  secure:
                    paths: ["secure/**"]
                    working_directory: "."
                    tls: true
                    run: "exec python3 server.py"
                    health: ["${url}/"]
                """)
        try fixture.repository.commit(files: ["server.py": PerRunTLSService.script])
        let (actions, variables, state) = try fixture.underActions()
        defer { fixture.expectNoStrays(others: [state]) }

        let up = try await fixture.gantry(
            ["env", "up", "--service", "secure", "--format", "json"], stateDirectory: nil, variables: variables)
        #expect(up.status == 0, "\(up.standardOutput)\(up.standardError)")
        let outputs = actions.outputs
        // Nothing here throws before env down: a failure must not leave the environment up.
        let bundle = outputs["ca-bundle"] ?? ""
        #expect(bundle.hasSuffix("/tls/trusted.pem"), "\(outputs)")
        let document = try? JSONSerialization.jsonObject(with: Data(up.standardOutput.utf8)) as? [String: Any]
        #expect(document?["ca_bundle"] as? String == bundle, "\(up.standardOutput)")
        let status = try await fixture.gantry(["env", "status", "--format", "json"], stateDirectory: nil, variables: variables)
        let statusDocument = try? JSONSerialization.jsonObject(with: Data(status.standardOutput.utf8)) as? [String: Any]
        #expect(statusDocument?["ca_bundle"] as? String == bundle, "\(status.standardOutput)")
        let url = outputs["secure-url"] ?? ""
        #expect(url.hasPrefix("https://127.0.0.1:"), "\(outputs)")

        // The later step: a plain process that sets only what the README says, from the output.
        let client = "import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + '/', timeout=5).read()"
        var step = GitFixture.environment.filter { !["SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"].contains($0.key) }
        let untrusting = try runCommand("python3", ["-c", client, url], environment: step)
        #expect(untrusting.status != 0 && untrusting.standardError.contains("CERTIFICATE_VERIFY_FAILED"), "\(untrusting.standardError)")
        step["SSL_CERT_FILE"] = bundle
        let trusting = try runCommand("python3", ["-c", client, url], environment: step)
        #expect(trusting.status == 0, "\(trusting.standardError)")

        let down = try await fixture.gantry(["env", "down"], stateDirectory: nil, variables: variables)
        #expect(down.status == 0, "\(down.standardOutput)\(down.standardError)")
        #expect(!bundle.isEmpty && !FileManager.default.fileExists(atPath: bundle), "env down leaves \(bundle)")
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
        let registry = try TemporaryDirectory(prefix: "gantry-registry")
        let result = try runGantry(
            ["env", "up"], in: fixture.path,
            variables: ["GANTRY_DOCKER": "/bin/sh -c 'echo called >> \(log)'", "GANTRY_REGISTRY": registry.path])
        #expect(result.status != 0)
        #expect(
            (result.standardOutput + result.standardError).contains(
                "per-run certificates (`tls: true` on `api`) are made by the process provider only"))
        #expect(!FileManager.default.fileExists(atPath: log))
    }
}
