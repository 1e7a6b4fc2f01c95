import Foundation
import TLS
import TestSupport
import Testing

/// Real Python `ssl` servers on 127.0.0.1, with certificates the `openssl` command made.
@Suite("A handshake with a TLS server", .serialized)
struct ServerHandshakeTests {
    let certificates: TestCertificates
    let root: TestCertificates.Issued
    let rootFile: String

    init() throws {
        certificates = try TestCertificates()
        root = try certificates.root("Test Root")
        rootFile = root.certificateFile
    }

    private func handshake(
        _ leaf: TestCertificates.Issued, chain: [TestCertificates.Issued] = [], behaviour: PythonTLSServer.Behaviour = .handshake,
        name: String = "localhost", trust: ServerHandshake.Trust? = nil, timeout: Duration = .seconds(5)
    ) throws -> ServerHandshake {
        let chainFile = try certificates.bundle("chain-\(UUID().uuidString)", [leaf] + chain)
        let server = try PythonTLSServer(chainFile: chainFile, keyFile: leaf.keyFile, behaviour: behaviour)
        defer { server.stop() }
        return try ServerHandshake.perform(
            host: "127.0.0.1", port: server.port, name: name, trust: trust ?? .certificateAuthorityFile(rootFile), timeout: timeout)
    }

    @Test("a certificate under the trusted root verifies, and the handshake reports the certificate, TLS 1.3 and the cipher")
    func trustedCertificateVerifies() throws {
        let leaf = try certificates.issue("localhost", by: root, days: 30)
        let result = try handshake(leaf)
        #expect(result.verificationFailure == nil)
        #expect(result.protocolName == "TLS 1.3" && result.isModernProtocol)
        #expect(result.cipher.hasPrefix("TLS_"))
        #expect(result.subject == "CN=localhost")
        #expect(result.issuer == "CN=Test Root")
        #expect(result.subjectAlternativeNames == ["DNS:localhost", "IP:127.0.0.1"])
        let daysLeft = result.notAfter.timeIntervalSinceNow / 86_400
        #expect(daysLeft > 29.9 && daysLeft <= 30)
    }

    @Test("the address is verified against the IP SANs when the name is an address")
    func addressIsVerifiedAgainstIPNames() throws {
        let leaf = try certificates.issue("localhost", names: "DNS:localhost", by: root)
        #expect(try handshake(leaf, name: "127.0.0.1").verificationFailure == "IP address mismatch")
    }

    @Test("an expired certificate and one not yet valid fail verification with OpenSSL's codes for each")
    func validityPeriodIsVerified() throws {
        let expired = try certificates.issue(
            "localhost", by: root, start: TestCertificates.date(daysFromNow: -10), end: TestCertificates.date(daysFromNow: -2))
        #expect(try handshake(expired).verificationCode == ServerHandshake.expiredCode)
        let future = try certificates.issue(
            "localhost", by: root, start: TestCertificates.date(daysFromNow: 2), end: TestCertificates.date(daysFromNow: 10))
        #expect(try handshake(future).verificationCode == ServerHandshake.notYetValidCode)
    }

    @Test("a certificate for another name fails with a hostname mismatch")
    func wrongNameFails() throws {
        let leaf = try certificates.issue("other", names: "DNS:other.example", by: root)
        #expect(try handshake(leaf).verificationFailure == "hostname mismatch")
    }

    @Test("a self-signed certificate fails verification")
    func selfSignedFails() throws {
        let leaf = try certificates.issue("localhost", by: nil)
        #expect(try handshake(leaf).verificationFailure == "self-signed certificate")
    }

    @Test("a missing intermediate fails, and the same chain with the intermediate sent verifies")
    func intermediateIsNeeded() throws {
        let intermediate = try certificates.issue("Test Intermediate", by: root, isAuthority: true)
        let leaf = try certificates.issue("localhost", by: intermediate)
        #expect(try handshake(leaf).verificationFailure == "unable to get local issuer certificate")
        #expect(try handshake(leaf, chain: [intermediate]).verificationFailure == nil)
    }

    @Test("a chain to a root that is not trusted fails, with the system's store and with another CA file")
    func untrustedRootFails() throws {
        let otherRoot = try certificates.root("Other Root")
        let leaf = try certificates.issue("localhost", by: otherRoot)
        #expect(try handshake(leaf).verificationFailure == "unable to get local issuer certificate")
        #expect(try handshake(leaf, trust: .system).verificationFailure == "unable to get local issuer certificate")
    }

    @Test("a server that speaks only TLS 1.0 is reported as such, not as a handshake failure")
    func oldProtocolIsReported() throws {
        let leaf = try certificates.issue("localhost", by: root)
        let result = try handshake(leaf, behaviour: .onlyTLS10)
        #expect(result.protocolName == "TLS 1.0")
        #expect(!result.isModernProtocol)
    }

    @Test("a server that closes the connection fails the handshake with a message that says so")
    func droppedHandshakeFails() throws {
        let leaf = try certificates.issue("localhost", by: root)
        #expect {
            try handshake(leaf, behaviour: .drop)
        } throws: { error in
            let error = error as! TLSError
            return error.code == .handshake && error.message.contains("closed the connection during the TLS handshake")
        }
    }

    @Test("a server that accepts and says nothing fails at the timeout, not later")
    func silentServerTimesOut() throws {
        let leaf = try certificates.issue("localhost", by: root)
        let start = ContinuousClock.now
        #expect {
            try handshake(leaf, behaviour: .silent, timeout: .milliseconds(500))
        } throws: { error in
            (error as! TLSError).code == .timeout
        }
        #expect(ContinuousClock.now - start < .seconds(3))
    }

    @Test("the public key pin is the base64 SHA-256 of the DER SubjectPublicKeyInfo, as openssl computes it")
    func publicKeyPinMatchesOpenSSL() throws {
        let leaf = try certificates.issue("localhost", by: root)
        let pin = try runCommand(
            "sh",
            [
                "-c",
                "openssl x509 -in \"$1\" -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64",
                "sh", leaf.certificateFile,
            ]
        ).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try handshake(leaf).publicKeySHA256 == pin)
        #expect(try Certificate(pem: String(contentsOfFile: leaf.certificateFile, encoding: .utf8)).publicKeySHA256 == pin)
    }

    @Test("a refused connection is reported as one")
    func refusedConnection() throws {
        #expect {
            try ServerHandshake.perform(host: "127.0.0.1", port: 1, name: "localhost", trust: .system, timeout: .seconds(2))
        } throws: { error in
            (error as! TLSError).message == "connection to 127.0.0.1:1 refused"
        }
    }
}
