import Basics
import Foundation
import GantryKit
import GitHubActions

/// How `gantry gate` presents its results: text for people, JSON for scripts, findings for SARIF
/// and annotations, step outputs.
package struct GatesReport {
    /// The results.
    package var document: GatesDocument

    /// Creates a report.
    package init(_ document: GatesDocument) { self.document = document }

    /// The results as JSON, with stable keys.
    package func json(pretty: Bool = true) -> String { JSON.encode(document, pretty: pretty) }

    /// The step outputs: `passed` (true or false) and `json`.
    package func stepOutputs() -> [(name: String, value: String)] {
        [("passed", document.passed ? "true" : "false"), ("json", json(pretty: false))]
    }

    /// One finding per failed gate, at the line of the check in the configuration.
    package func findings() -> [Finding] {
        let checks = document.checks.filter { $0.verdict == .failed }.map { result in
            Finding(
                rule: result.gate == "smoke" ? .smokeFailed : .healthFailed,
                message: "\(Self.subject(result)): \(result.message)\(result.certificate.map { "; certificate: \($0.line)" } ?? "")",
                location: result.location)
        }
        let latency = document.latency.filter { $0.verdict == .failed }.map { result in
            Finding(rule: .latencyBudgetExceeded, message: "`\(result.service)` latency: \(result.message)", location: result.location)
        }
        return checks + latency
    }

    /// One line per check and latency gate, with the verdict first; names are escaped.
    package func text() -> String {
        var lines: [String] = []
        for result in document.checks {
            var line = "\(Self.mark(result.verdict)) \(Self.subject(result)): \(result.message)"
            if let timings = result.timings { line += " [\(Self.describe(timings))]" }
            if result.isInsecure { line += " (TLS not verified: insecure)" }
            lines.append(line)
            if let certificate = result.certificate { lines.append("    certificate: \(certificate.line)") }
        }
        for result in document.latency {
            lines.append(
                "\(Self.mark(result.verdict)) `\(result.service)` latency, \(counted(result.requests, "request")) at \(result.concurrency): \(result.message)"
            )
        }
        let failed = document.checks.filter { $0.verdict != .passed }.count + document.latency.filter { $0.verdict != .passed }.count
        let total = document.checks.count + document.latency.count
        lines.append(failed == 0 ? "\(every(total, "gate")) passed" : "\(failed) of \(counted(total, "gate")) did not pass")
        return lines.map(UntrustedText.escapingControlCharacters).joined(separator: "\n")
    }

    static func subject(_ result: CheckResult) -> String {
        result.service.isEmpty ? "`\(result.name)`" : "`\(result.service)` \(result.gate) `\(result.name)`"
    }

    static func mark(_ verdict: Verdict) -> String {
        switch verdict {
        case .passed: "✓"
        case .failed: "✗"
        case .skipped: "○"
        }
    }

    /// `dns 0.1 ms, connect 0.3 ms, tls 4.2 ms, first byte 5.0 ms, total 5.1 ms`, leaving out what did not happen.
    static func describe(_ timings: AttemptTimings) -> String {
        var parts = ["dns \(format(timings.nameLookup))", "connect \(format(timings.connect))"]
        if timings.tlsHandshake > 0 { parts.append("tls \(format(timings.tlsHandshake))") }
        if timings.firstByte > 0 { parts.append("first byte \(format(timings.firstByte))") }
        parts.append("total \(format(timings.total))")
        return parts.joined(separator: ", ")
    }

    private static func format(_ milliseconds: Double) -> String {
        milliseconds < 10 ? String(format: "%.1f ms", milliseconds) : "\(Int(milliseconds.rounded())) ms"
    }
}
