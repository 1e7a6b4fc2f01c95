/// A certificate gate (`tls:`): a real handshake with the server, whose chain must verify, whose
/// certificate must name the host, over TLS 1.2 or later, valid for `minimumDaysValid` more days,
/// and, when pinned, with the given public key.
package struct TLSCheck: Sendable, Equatable {
    /// `https://host[:port][/…]` (port 443 by default) or `host:port`.
    package var target: ValueTemplate
    /// The name the certificate must carry (`hostname`); nil is the target's host.
    package var hostname: ValueTemplate?
    /// A CA bundle to trust instead of the system's (`ca: FILE`).
    package var certificateAuthorityFile: String?
    /// The fewest days the certificate must stay valid (`min_days_valid`).
    package var minimumDaysValid: Int
    /// The base64 SHA-256 of the SubjectPublicKeyInfo its key must have (`spki_sha256`).
    package var publicKeySHA256: String?

    /// Creates a check of `target`.
    package init(
        target: ValueTemplate, hostname: ValueTemplate? = nil, certificateAuthorityFile: String? = nil,
        minimumDaysValid: Int = TLSCheck.defaultMinimumDaysValid, publicKeySHA256: String? = nil
    ) {
        self.target = target
        self.hostname = hostname
        self.certificateAuthorityFile = certificateAuthorityFile
        self.minimumDaysValid = minimumDaysValid
        self.publicKeySHA256 = publicKeySHA256
    }

    /// Days a certificate must have left when a check does not say: two weeks, time for a renewal
    /// that failed to be noticed and fixed.
    package static let defaultMinimumDaysValid = 14

    /// A pin as written, `sha256//BASE64` (curl's form) or the bare base64 of 32 bytes; nil when
    /// it is neither.
    package static func pin(_ text: String) -> String? {
        let value = text.hasPrefix("sha256//") ? String(text.dropFirst("sha256//".count)) : text
        guard value.utf8.count == 44, value.hasSuffix("="),
            value.dropLast().allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "/") })
        else { return nil }
        return value
    }
}
