import Foundation
import TestSupport
import Testing

/// `gantry gate --tls` and configured `tls` checks: the real binary against Python `ssl` servers on
/// 127.0.0.1 serving certificates the `openssl` command made.
@Suite("gantry gate --tls", .serialized)
struct TLSGateCommandTests {
    let certificates: TestCertificates
    let root: TestCertificates.Issued
    let fixture: GitFixture

    init() throws {
        certificates = try TestCertificates()
        root = try certificates.root("Test Root")
        fixture = try GitFixture()
    }

    private func serve(
        _ leaf: TestCertificates.Issued, chain: [TestCertificates.Issued] = [], behaviour: PythonTLSServer.Behaviour = .handshake,
        _ body: (Int) throws -> Void
    ) throws {
        let server = try PythonTLSServer(
            chainFile: try certificates.bundle("chain-\(UUID().uuidString)", [leaf] + chain), keyFile: leaf.keyFile, behaviour: behaviour)
        defer { server.stop() }
        try body(server.port)
    }

    private func gate(_ arguments: [String]) throws -> CommandResult {
        try runGantry(["gate", "--attempts", "1"] + arguments, in: fixture.path)
    }

    @Test(
        "a certificate with 3 days left fails --min-days-valid 14 with the days, the date and the need; the report records the certificate")
    func expiresTooSoon() throws {
        let leaf = try certificates.issue("localhost", by: root, end: TestCertificates.date(daysFromNow: 3.5))
        try serve(leaf) { port in
            let result = try gate([
                "--tls", "127.0.0.1:\(port)", "--hostname", "localhost", "--ca", root.certificateFile, "--min-days-valid", "14",
            ])
            #expect(result.status == 1)
            #expect(
                result.standardOutput.firstMatch(
                    of:
                        #/✗ `tls 127\.0\.0\.1:\d+`: expires in 3 days \(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\), needs 14 \(attempts: 1\) after 1 attempt/#
                ) != nil,
                "\(result.standardOutput)")
            #expect(
                result.standardOutput.contains("certificate: CN=localhost, issued by CN=Test Root; DNS:localhost, IP:127.0.0.1; valid "))
            #expect(result.standardOutput.contains("(3 days left); TLS 1.3, TLS_"))
        }
    }

    @Test(
        "a trusted certificate with enough days passes; --format json records subject, issuer, SANs, dates, days left, protocol, cipher, pin"
    )
    func passesAndRecords() throws {
        let leaf = try certificates.issue("localhost", by: root, days: 60)
        try serve(leaf) { port in
            let result = try gate(["--tls", "https://localhost:\(port)/health", "--ca", root.certificateFile, "--format", "json"])
            #expect(result.status == 0, "\(result.standardOutput) \(result.standardError)")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
            let check = try #require((document["checks"] as? [[String: Any]])?.first)
            let certificate = try #require(check["certificate"] as? [String: Any])
            #expect(certificate["subject"] as? String == "CN=localhost")
            #expect(certificate["issuer"] as? String == "CN=Test Root")
            #expect(certificate["sans"] as? [String] == ["DNS:localhost", "IP:127.0.0.1"])
            #expect(certificate["days_left"] as? Int == 59)
            #expect(certificate["protocol"] as? String == "TLS 1.3")
            #expect((certificate["cipher"] as? String)?.hasPrefix("TLS_") == true)
            #expect((certificate["not_after"] as? String)?.hasSuffix("Z") == true)
            #expect((certificate["spki_sha256"] as? String)?.count == 44)
        }
    }

    @Test("a server that speaks only TLS 1.0 fails, saying so")
    func onlyOldProtocol() throws {
        let leaf = try certificates.issue("localhost", by: root)
        try serve(leaf, behaviour: .onlyTLS10) { port in
            let result = try gate(["--tls", "localhost:\(port)", "--ca", root.certificateFile])
            #expect(result.status == 1)
            #expect(result.standardOutput.contains("server speaks only TLS 1.0; needs TLS 1.2 or later"), "\(result.standardOutput)")
        }
    }

    @Test("the wrong name, an untrusted chain and an expired certificate each fail naming their condition")
    func verificationFailuresNameTheCondition() throws {
        let leaf = try certificates.issue("localhost", by: root)
        try serve(leaf) { port in
            let wrongName = try gate(["--tls", "127.0.0.1:\(port)", "--hostname", "api.example.com", "--ca", root.certificateFile])
            #expect(
                wrongName.standardOutput.contains(
                    "certificate does not name api.example.com (it names DNS:localhost, IP:127.0.0.1): hostname mismatch"))
            let untrusted = try gate(["--tls", "localhost:\(port)"])
            #expect(
                untrusted.standardOutput.contains(
                    "not trusted (trusting the system's authorities): unable to get local issuer certificate"),
                "\(untrusted.standardOutput)")
        }
        let expired = try certificates.issue(
            "localhost", by: root, start: TestCertificates.date(daysFromNow: -30), end: TestCertificates.date(daysFromNow: -2.5))
        try serve(expired) { port in
            let result = try gate(["--tls", "localhost:\(port)", "--ca", root.certificateFile])
            #expect(
                result.standardOutput.firstMatch(of: #/certificate expired 3 days ago \(\d{4}-.*Z\)/#) != nil, "\(result.standardOutput)")
        }
    }

    @Test("an intermediate out of date under a valid leaf fails naming the intermediate and its own date, not the leaf's")
    func outOfDateIntermediateIsNamed() throws {
        let expired = try certificates.issue(
            "Expired Intermediate", by: root, isAuthority: true, start: TestCertificates.date(daysFromNow: -400),
            end: TestCertificates.date(daysFromNow: -5.5))
        try serve(try certificates.issue("localhost", by: expired, days: 100), chain: [expired]) { port in
            let result = try gate(["--tls", "localhost:\(port)", "--ca", root.certificateFile])
            #expect(result.status == 1)
            #expect(
                result.standardOutput.firstMatch(of: #/the intermediate CN=Expired Intermediate expired 5 days ago \(\d{4}-.*Z\)/#) != nil,
                "\(result.standardOutput)")
            #expect(!result.standardOutput.contains("certificate expired"), "\(result.standardOutput)")
        }
        let future = try certificates.issue(
            "Future Intermediate", by: root, isAuthority: true, start: TestCertificates.date(daysFromNow: 2),
            end: TestCertificates.date(daysFromNow: 30))
        try serve(try certificates.issue("localhost", by: future, days: 100), chain: [future]) { port in
            let result = try gate(["--tls", "localhost:\(port)", "--ca", root.certificateFile])
            #expect(
                result.standardOutput.firstMatch(of: #/the intermediate CN=Future Intermediate is not valid until \d{4}-.*Z/#) != nil,
                "\(result.standardOutput)")
        }
    }

    @Test("a trusted root out of date fails naming the root and its date")
    func outOfDateRootIsNamed() throws {
        let expiredRoot = try certificates.issue(
            "Expired Root", by: nil, isAuthority: true, start: TestCertificates.date(daysFromNow: -400),
            end: TestCertificates.date(daysFromNow: -2.5))
        try serve(try certificates.issue("localhost", by: expiredRoot, days: 100)) { port in
            let result = try gate(["--tls", "localhost:\(port)", "--ca", expiredRoot.certificateFile])
            #expect(result.status == 1)
            #expect(
                result.standardOutput.firstMatch(of: #/the root CN=Expired Root expired 2 days ago \(\d{4}-.*Z\)/#) != nil,
                "\(result.standardOutput)")
        }
    }

    @Test("--spki-sha256: the key's own pin passes, any other fails with both pins")
    func publicKeyPin() throws {
        let leaf = try certificates.issue("localhost", by: root)
        let pin = try runCommand(
            "sh",
            [
                "-c", "openssl x509 -in \"$1\" -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64",
                "sh", leaf.certificateFile,
            ]
        ).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        try serve(leaf) { port in
            let passed = try gate(["--tls", "localhost:\(port)", "--ca", root.certificateFile, "--spki-sha256", "sha256//" + pin])
            #expect(passed.status == 0, "\(passed.standardOutput)")
            let other = String(repeating: "A", count: 43) + "="
            let failed = try gate(["--tls", "localhost:\(port)", "--ca", root.certificateFile, "--spki-sha256", other])
            #expect(failed.standardOutput.contains("public key sha256//\(pin) does not match the pinned sha256//\(other)"))
        }
    }

    @Test("a server that accepts and says nothing fails at the request timeout with a message that says so")
    func silentServer() throws {
        let leaf = try certificates.issue("localhost", by: root)
        try serve(leaf, behaviour: .silent) { port in
            let result = try gate(["--tls", "localhost:\(port)", "--request-timeout", "300ms"])
            #expect(result.status == 1)
            #expect(result.standardOutput.contains("TLS handshake with localhost:\(port) not complete in time: the server did not answer"))
        }
    }

    @Test("gantry validate names the file, line, column and field of a bad pin and of a tls key on another check")
    func validateNamesTheField() throws {
        try fixture.commit(files: [
            "gantry.yml": """
            version: 1
            services:
              api:
                paths: ["services/api/**"]
                smoke:
                  - {tls: "${url}", min_days_valid: 30, spki_sha256: "sha256//nope"}
                  - {http: "${url}", min_days_valid: 30}
                  - {tls: "example.com:443", insecure: true}

            """,
            "services/api/app.py": "1",
        ])
        let result = try runGantry(["validate"], in: fixture.path)
        #expect(result.status == 2)
        #expect(
            result.standardError.contains("gantry.yml:6:58: `services.api.smoke[0].spki_sha256` must be the base64 SHA-256"),
            "\(result.standardError)")
        #expect(result.standardError.contains("gantry.yml:7:26: `min_days_valid` applies to `tls` checks only"))
        #expect(result.standardError.contains("gantry.yml:8:34: a `tls` check exists to verify the certificate"))
    }
}
