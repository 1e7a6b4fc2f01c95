import Basics
import Foundation
import TLS

/// A `tls` check: one handshake, then the certificate held against each condition in turn; the
/// first that fails is the message.
struct TLSProbe: Probe {
    var host: String
    var port: Int
    /// The name the certificate must carry.
    var name: String
    var trust: ServerHandshake.Trust
    var minimumDaysValid: Int
    var publicKeySHA256: String?

    func attempt(timeout: Duration) async -> AttemptOutcome {
        let (host, port, name, trust) = (self.host, self.port, self.name, self.trust)
        // The handshake blocks in poll, bounded by the timeout: a thread of its own keeps it off
        // Swift's cooperative pool.
        let result = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(
                    returning: Result { () throws(TLSError) in
                        try ServerHandshake.perform(host: host, port: port, name: name, trust: trust, timeout: timeout)
                    })
            }
        }
        switch result {
        case .failure(let error):
            return AttemptOutcome(
                passed: false, failure: error.message, timedOut: error.code == .timeout, couldNotConnect: error.code == .couldNotConnect)
        case .success(let handshake):
            let report = CertificateReport(handshake, now: Date())
            let failure = problem(with: handshake, report)
            return AttemptOutcome(passed: failure == nil, failure: failure, certificate: report)
        }
    }

    /// The first condition the handshake does not meet, in words that name it; nil when it meets all.
    func problem(with handshake: ServerHandshake, _ report: CertificateReport) -> String? {
        if !handshake.isModernProtocol {
            return "server speaks only \(handshake.protocolName); needs TLS 1.2 or later"
        }
        switch handshake.verificationCode {
        case 0: break
        case ServerHandshake.expiredCode, ServerHandshake.notYetValidCode:
            return datesProblem(handshake.outOfDateCertificate, report, expired: handshake.verificationCode == ServerHandshake.expiredCode)
        default:
            let failure = handshake.verificationFailure ?? "not verified"
            if failure.hasSuffix("mismatch") {
                return "certificate does not name \(name) (it names \(report.subjectAlternativeNames.joined(separator: ", "))): \(failure)"
            }
            return "certificate of \(host):\(port) not trusted (\(trustDescription)): \(failure)"
        }
        if report.daysLeft < minimumDaysValid {
            return "expires in \(report.daysLeft) day\(report.daysLeft == 1 ? "" : "s") (\(report.notAfter)), needs \(minimumDaysValid)"
        }
        if let pin = publicKeySHA256, pin != report.publicKeySHA256 {
            return "public key sha256//\(report.publicKeySHA256) does not match the pinned sha256//\(pin)"
        }
        return nil
    }

    /// Which certificate of the chain is out of date, and since or until when: the server's own
    /// is "certificate", one above it is named (`the intermediate CN=inter expired …`).
    private func datesProblem(_ certificate: ServerHandshake.ChainCertificate?, _ report: CertificateReport, expired: Bool) -> String {
        guard let certificate, certificate.depth > 0 else {
            return expired
                ? "certificate expired \(daysAgo(-report.daysLeft)) (\(report.notAfter))"
                : "certificate not valid until \(report.notBefore)"
        }
        let name = "the \(certificate.isRoot ? "root" : "intermediate") \(UntrustedText.escapingControlCharacters(certificate.subject))"
        guard expired else { return "\(name) is not valid until \(CertificateReport.format(certificate.notBefore))" }
        let days = Int((Date().timeIntervalSince(certificate.notAfter) / 86_400).rounded(.down))
        return "\(name) expired \(daysAgo(days)) (\(CertificateReport.format(certificate.notAfter)))"
    }

    private func daysAgo(_ days: Int) -> String { "\(days) day\(days == 1 ? "" : "s") ago" }

    private var trustDescription: String {
        switch trust {
        case .system: "trusting the system's authorities"
        case .certificateAuthorityFile(let file): "trusting only \(file)"
        }
    }

    func waitUntilAccepting(until deadline: ContinuousClock.Instant) async -> Bool { false }

    /// Host and port of `https://host[:port][/…]` (443 by default) or `host:port`, IPv6 in brackets.
    static func address(_ text: String) -> (host: String, port: Int)? {
        guard text.hasPrefix("https://") else { return TCPProbe.address(text) }
        guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty else { return nil }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return (bare, components.port ?? 443)
    }
}
