import Basics
import Foundation
import TLS

/// What a `tls` check saw of the server: its certificate, and the protocol and cipher it chose.
package struct CertificateReport: Codable, Sendable, Equatable {
    package var subject: String
    package var issuer: String
    /// `DNS:name` and `IP:address` entries.
    package var subjectAlternativeNames: [String]
    /// ISO 8601, UTC: `2026-12-07T10:00:00Z`.
    package var notBefore: String
    package var notAfter: String
    /// Whole days until `notAfter`, negative once it has passed.
    package var daysLeft: Int
    /// `TLS 1.3`, `TLS 1.0`.
    package var protocolName: String
    package var cipher: String
    /// The base64 SHA-256 of its SubjectPublicKeyInfo, the value `spki_sha256` pins.
    package var publicKeySHA256: String

    enum CodingKeys: String, CodingKey {
        case subject, issuer, subjectAlternativeNames = "sans", notBefore = "not_before", notAfter = "not_after",
            daysLeft = "days_left", protocolName = "protocol", cipher, publicKeySHA256 = "spki_sha256"
    }

    init(_ handshake: ServerHandshake, now: Date) {
        subject = UntrustedText.escapingControlCharacters(handshake.subject)
        issuer = UntrustedText.escapingControlCharacters(handshake.issuer)
        subjectAlternativeNames = handshake.subjectAlternativeNames.prefix(100).map { UntrustedText.escapingControlCharacters($0) }
        notBefore = Self.format(handshake.notBefore)
        notAfter = Self.format(handshake.notAfter)
        daysLeft = Int((handshake.notAfter.timeIntervalSince(now) / 86_400).rounded(.down))
        protocolName = handshake.protocolName
        cipher = handshake.cipher
        publicKeySHA256 = handshake.publicKeySHA256
    }

    /// One line for reports: `CN=api, issued by CN=gantry CA; valid until 2026-12-07T10:00:00Z (3 days); TLS 1.3, TLS_AES_…`.
    package var line: String {
        "\(subject), issued by \(issuer); \(subjectAlternativeNames.joined(separator: ", ")); "
            + "valid \(notBefore) to \(notAfter) (\(daysLeft) days left); \(protocolName), \(cipher)"
    }

    static func format(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}
