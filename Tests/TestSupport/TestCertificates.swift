import Foundation

/// Certificates made by the `openssl` command in a temporary directory, never by gantry: roots,
/// intermediates and leaves with chosen names and validity periods (`openssl ca`, which alone in
/// OpenSSL 3.0's command line takes a start date in the past).
public final class TestCertificates: @unchecked Sendable {
    /// A certificate and its key, as PEM files.
    public struct Issued: Sendable {
        public let certificateFile: String
        public let keyFile: String
    }

    public let directory: TemporaryDirectory
    private var count = 0

    public init() throws { directory = try TemporaryDirectory(prefix: "gantry-certs") }

    /// A self-signed root certificate authority.
    public func root(_ name: String) throws -> Issued {
        let issued = files(name)
        try openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=\(name)", "-days", "30",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            "-keyout", issued.keyFile, "-out", issued.certificateFile,
        ])
        return issued
    }

    /// A certificate for `name` signed by `issuer`, or by its own key when `issuer` is nil.
    ///
    /// - Parameters:
    ///   - names: The subject alternative names, such as `DNS:localhost,IP:127.0.0.1`.
    ///   - start, end: Validity in `openssl ca` form (`20250101000000Z`); by default from now for `days`.
    public func issue(
        _ name: String, names: String = "DNS:localhost,IP:127.0.0.1", by issuer: Issued?, isAuthority: Bool = false,
        days: Int = 30, start: String? = nil, end: String? = nil
    ) throws -> Issued {
        let issued = files(name)
        let request = issued.certificateFile + ".csr"
        try openssl([
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=\(name)",
            "-keyout", issued.keyFile, "-out", request,
        ])
        let extensions =
            isAuthority
            ? "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"
            : "basicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=\(names)\n"
        let extensionsFile = issued.certificateFile + ".ext"
        try ("[extensions]\n" + extensions).write(toFile: extensionsFile, atomically: true, encoding: .utf8)
        var arguments = [
            "ca", "-batch", "-config", try authorityConfiguration(), "-notext", "-in", request, "-out", issued.certificateFile,
            "-extfile", extensionsFile, "-extensions", "extensions",
        ]
        if let issuer {
            arguments += ["-cert", issuer.certificateFile, "-keyfile", issuer.keyFile]
        } else {
            arguments += ["-selfsign", "-keyfile", issued.keyFile]
        }
        if let start { arguments += ["-startdate", start] }
        arguments += end.map { ["-enddate", $0] } ?? ["-days", String(days)]
        try openssl(arguments)
        return issued
    }

    /// A file holding `certificates`' PEM in order: a chain a server presents, or a CA bundle.
    public func bundle(_ name: String, _ certificates: [Issued]) throws -> String {
        let path = directory.url("\(name).pem")
        let text = try certificates.map { try String(contentsOfFile: $0.certificateFile, encoding: .utf8) }.joined()
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A date `days` from now (negative: ago), as `openssl ca -startdate`/`-enddate` take it.
    public static func date(daysFromNow days: Double) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMddHHmmss'Z'"
        return formatter.string(from: Date(timeIntervalSinceNow: days * 86_400))
    }

    private func files(_ name: String) -> Issued {
        count += 1
        return Issued(certificateFile: directory.url("\(count)-\(name).pem"), keyFile: directory.url("\(count)-\(name).key"))
    }

    private func authorityConfiguration() throws -> String {
        let path = directory.url("ca.cnf")
        guard !FileManager.default.fileExists(atPath: path) else { return path }
        let database = directory.url("index.txt")
        try Data().write(to: URL(fileURLWithPath: database))
        try """
        [ca]
        default_ca = test
        [test]
        database = \(database)
        new_certs_dir = \(directory.path)
        rand_serial = yes
        default_md = sha256
        policy = anything
        unique_subject = no
        [anything]
        commonName = supplied

        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func openssl(_ arguments: [String]) throws {
        let result = try runCommand("openssl", arguments)
        guard result.status == 0 else { throw TestFailure("openssl \(arguments.prefix(1).joined()) failed: \(result.standardError)") }
    }
}
