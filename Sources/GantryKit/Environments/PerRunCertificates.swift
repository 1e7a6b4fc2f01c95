import Basics
import Foundation
import TLS

/// The certificates of an environment whose services serve TLS (`tls: true`), in the `tls/`
/// directory of its state: a throwaway authority, name-constrained to loopback, signs one
/// certificate per service and is dropped with its key, which never touches the disk; what stays
/// is its certificate, each service's certificate and key (mode 0600), and the bundle clients
/// trust: the system's roots plus the authority.
package struct PerRunCertificates {
    /// The `tls/` directory.
    package let directory: String

    /// The certificates in `directory`.
    package init(directory: String) { self.directory = directory }

    /// The ledger's kind for the directory, which `down` deletes.
    static let resourceKind = "certificates"
    /// How much longer than the environment's time to live the certificates stay valid: `gc`
    /// removes an expired environment later than its TTL, and its services must not fail meanwhile.
    static let margin = Duration.seconds(3600)

    /// The certificates of the environment whose services are `endpoints`, when one serves TLS.
    package init?(of endpoints: [ServiceEndpoint]) {
        guard let authority = endpoints.lazy.compactMap(\.certificateAuthority).first else { return nil }
        self.init(directory: (authority as NSString).deletingLastPathComponent)
    }

    var authorityFile: String { directory + "/ca.pem" }
    /// The system's roots and the authority: the variables below replace the system store, so
    /// clients that read them still reach real hosts.
    package var trustFile: String { directory + "/trusted.pem" }
    func certificateFile(of service: String) -> String { directory + "/\(service).pem" }
    func keyFile(of service: String) -> String { directory + "/\(service).key" }

    /// What every service and the test command get: Python's ssl and requests, Node and curl
    /// each read one of them.
    package var clientVariables: [String: String] {
        ["SSL_CERT_FILE": trustFile, "REQUESTS_CA_BUNDLE": trustFile, "NODE_EXTRA_CA_CERTS": trustFile, "CURL_CA_BUNDLE": trustFile]
    }

    /// What a service that serves TLS gets, beside `clientVariables`.
    func serverVariables(of service: String) -> [String: String] {
        ["TLS_CERT_FILE": certificateFile(of: service), "TLS_KEY_FILE": keyFile(of: service)]
    }

    /// Makes the authority, a certificate for each of `services` valid for `lifetime` plus the
    /// margin, and the trust bundle; every file is written atomically, keys with mode 0600.
    func create(for services: [String], lifetime: Duration, environment name: String) throws(EnvironmentFailure) {
        do {
            let validity = lifetime + Self.margin
            // A common name holds at most 64 characters; an environment name up to 63.
            let authority = try CertificateAuthority(commonName: "gantry CA \(name.prefix(50))", lifetime: validity)
            for service in services {
                let (certificate, key) = try authority.issueServerCertificate(
                    commonName: service, dnsNames: ["localhost"], ipAddresses: ["127.0.0.1", "::1"], lifetime: validity)
                try AtomicFile.write(try key.pem(), to: keyFile(of: service), what: "the key of `\(service)`", permissions: 0o600)
                try AtomicFile.write(try certificate.pem(), to: certificateFile(of: service), what: "the certificate of `\(service)`")
            }
            let authorityPEM = try authority.certificate.pem()
            try AtomicFile.write(authorityPEM, to: authorityFile, what: "the environment's CA certificate")
            try AtomicFile.write(Self.systemRoots() + authorityPEM, to: trustFile, what: "the trust bundle")
        } catch let error as TLSError {
            throw EnvironmentFailure(message: "cannot make the environment's certificates: \(error.message)")
        } catch let error as GantryError {
            throw EnvironmentFailure(message: error.description)
        } catch {
            throw EnvironmentFailure(message: "cannot make the environment's certificates: \(error)")
        }
    }

    /// The system's trusted roots as PEM: OpenSSL's default file, else Debian's bundle; empty
    /// when neither exists (only the authority is then trusted).
    private static func systemRoots() -> String {
        for file in [CertificateAuthority.systemTrustFile, "/etc/ssl/certs/ca-certificates.crt"] {
            if let text = try? String(contentsOfFile: file, encoding: .utf8) { return text.hasSuffix("\n") ? text : text + "\n" }
        }
        return ""
    }
}
