import Foundation
import TLS
import TestSupport
import Testing

@Suite("A per-run certificate authority")
struct CertificateAuthorityTests {
    private func write(_ text: String, _ name: String, in directory: TemporaryDirectory) throws -> String {
        let path = directory.url(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("the CA certificate carries critical name constraints for loopback only, as openssl x509 -text reads it back")
    func nameConstraintsAreReadBackByOpenSSL() throws {
        let directory = try TemporaryDirectory()
        let authority = try CertificateAuthority(commonName: "gantry test CA", lifetime: .seconds(3600))
        let file = try write(try authority.certificate.pem(), "ca.pem", in: directory)
        let text = try runCommand("openssl", ["x509", "-in", file, "-noout", "-text"]).standardOutput
        #expect(text.contains("X509v3 Name Constraints: critical"))
        #expect(text.contains("DNS:localhost"))
        #expect(text.contains("IP:127.0.0.1/255.255.255.255"))
        #expect(text.contains("IP:0:0:0:0:0:0:0:1/FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF"))
        #expect(text.contains("X509v3 Basic Constraints: critical\n                CA:TRUE"))
        #expect(text.contains("Certificate Sign"))
    }

    @Test("a leaf for localhost, 127.0.0.1 and ::1 verifies under the CA, in process and with openssl verify")
    func leafVerifiesForEveryLoopbackName() throws {
        let directory = try TemporaryDirectory()
        let authority = try CertificateAuthority(commonName: "gantry test CA", lifetime: .seconds(3600))
        let (leaf, _) = try authority.issueServerCertificate(
            commonName: "api", dnsNames: ["localhost"], ipAddresses: ["127.0.0.1", "::1"], lifetime: .seconds(3600))
        for name in ["localhost", "127.0.0.1", "::1"] {
            #expect(try leaf.verificationFailure(trusting: [authority.certificate], for: name) == nil)
        }
        #expect(leaf.subjectAlternativeNames == ["DNS:localhost", "IP:127.0.0.1", "IP:::1"])
        let caFile = try write(try authority.certificate.pem(), "ca.pem", in: directory)
        let leafFile = try write(try leaf.pem(), "leaf.pem", in: directory)
        let verified = try runCommand(
            "openssl", ["verify", "-CAfile", caFile, "-verify_hostname", "localhost", "-purpose", "sslserver", leafFile])
        #expect(verified.status == 0, "\(verified.standardError)")
    }

    @Test("a leaf the CA issues for any other name is rejected by OpenSSL's verification: the name constraints hold")
    func leafForAnotherNameIsRejected() throws {
        let authority = try CertificateAuthority(commonName: "gantry test CA", lifetime: .seconds(3600))
        let (leaf, _) = try authority.issueServerCertificate(
            commonName: "bank", dnsNames: ["bank.example.com"], ipAddresses: ["10.0.0.1"], lifetime: .seconds(3600))
        let failure = try leaf.verificationFailure(trusting: [authority.certificate], for: "bank.example.com")
        #expect(failure == "permitted subtree violation")
        #expect(try leaf.verificationFailure(trusting: [authority.certificate], for: "10.0.0.1") == "permitted subtree violation")
    }

    @Test("two authorities have different random serials and keys, and validity ends after the lifetime given")
    func serialsAreRandomAndValidityIsBounded() throws {
        let directory = try TemporaryDirectory()
        let first = try CertificateAuthority(commonName: "a", lifetime: .seconds(7200))
        let second = try CertificateAuthority(commonName: "a", lifetime: .seconds(7200))
        let serial = { (authority: CertificateAuthority, name: String) throws -> String in
            let file = try self.write(try authority.certificate.pem(), name, in: directory)
            return try runCommand("openssl", ["x509", "-in", file, "-noout", "-serial"]).standardOutput
        }
        #expect(try serial(first, "a.pem") != serial(second, "b.pem"))
        #expect(first.certificate.publicKeySHA256 != second.certificate.publicKeySHA256)
        let lifetime = first.certificate.notAfter.timeIntervalSinceNow
        #expect(lifetime > 7100 && lifetime <= 7200)
    }

    @Test("a private key is written as unencrypted PKCS #8 PEM that openssl reads")
    func privateKeyIsPKCS8() throws {
        let directory = try TemporaryDirectory()
        let pem = try PrivateKey.generate().pem()
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let file = try write(pem, "key.pem", in: directory)
        #expect(try runCommand("openssl", ["pkey", "-in", file, "-noout", "-check"]).status == 0)
    }
}
