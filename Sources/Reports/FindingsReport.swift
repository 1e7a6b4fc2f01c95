import Basics
import Config
import GantryKit
import GitHubActions

/// How `gantry findings` presents its document: text for people, JSON for scripts, annotations
/// and step outputs.
package struct FindingsReport {
    /// The document.
    package var document: FindingsDocument

    /// The lines a terminal shows of the findings before the rest is counted.
    static let linesShown = 50

    /// Creates a report.
    package init(_ document: FindingsDocument) { self.document = document }

    /// The document as JSON, with stable keys.
    package func json(pretty: Bool = true) -> String { JSON.encode(document, pretty: pretty) }

    /// The step outputs: `passed` (true or false) and `json`.
    package func stepOutputs() -> [(name: String, value: String)] {
        [("passed", document.passed ? "true" : "false"), ("json", json(pretty: false))]
    }

    /// The findings a report lists: those at or above the gate's severity, or every one without a gate.
    package var listed: [FindingsDocument.FindingGroup] {
        document.findings.filter { finding in finding.accepted == nil && document.failOn.map { finding.severity >= $0 } ?? true }
    }

    /// Acceptances that need attention: expired ones, and ones that match nothing.
    package var attention: [FindingsDocument.AcceptanceUse] { document.acceptances.filter { $0.status != .current } }

    /// One line per tool, then the listed findings, accepted ones, acceptances that need attention,
    /// and the verdict; every line escaped.
    package func text() -> String {
        var lines = document.tools.map { tools in
            "\(tools.tool): " + Severity.descending.map { "\(tools[$0]) \($0.rawValue)" }.joined(separator: ", ")
                + (tools.accepted > 0 ? "; \(tools.accepted) accepted" : "")
        }
        if document.tools.isEmpty { lines.append("no findings in \(document.files.joined(separator: ", "))") }
        let listed = listed
        for finding in listed.prefix(Self.linesShown) {
            lines.append("\(finding.blocking ? "✗" : "●") \(Self.describe(finding, today: document.today))")
        }
        if listed.count > Self.linesShown { lines.append("… and \(listed.count - Self.linesShown) more (--format json lists every one)") }
        for finding in document.findings where finding.accepted != nil {
            lines.append("○ \(Self.describe(finding, today: document.today))")
        }
        lines += attention.map { Self.describe($0, today: document.today) }
        lines.append(verdict)
        return lines.map(UntrustedText.escapingControlCharacters).joined(separator: "\n")
    }

    /// The verdict in one line.
    package var verdict: String {
        guard let failOn = document.failOn else { return "report only: no --fail-on given" }
        let blocking = document.findings.filter(\.blocking)
        guard !blocking.isEmpty else { return "no finding at or above \(failOn.rawValue) that is not accepted" }
        let rules = blocking.prefix(10).map(\.rule).joined(separator: ", ") + (blocking.count > 10 ? ", …" : "")
        return "\(counted(blocking.count, "finding")) at or above \(failOn.rawValue) not accepted: \(rules)"
    }

    /// Annotations, most severe first: an error for each finding that fails the gate, a warning
    /// for each other finding not accepted, a notice for each acceptance that needs attention. The
    /// runner shows ten of each level; `WorkflowCommands` counts the rest. A finding is placed on
    /// its file only when `isRepositoryFile` says the path is one (Trivy's is an image's name).
    package func annotations(isRepositoryFile: (String) -> Bool = { _ in true }) -> [Annotation] {
        let findings = document.findings.filter { $0.accepted == nil }.map { finding in
            Annotation(
                finding.blocking ? .error : .warning, Self.describe(finding, today: document.today),
                title: "\(finding.severity.rawValue): \(finding.rule) (\(finding.tool))",
                location: finding.locations.first.flatMap { Self.annotationLocation($0, isRepositoryFile: isRepositoryFile) })
        }
        let acceptances = attention.map { use in
            Annotation(.notice, Self.describe(use, today: document.today), title: "accepted risk \(use.rule)", location: use.source)
        }
        return findings + acceptances
    }

    /// `critical CVE-2024-3094 (Trivy) ×2: xz: malicious code, at ghcr.io/acme/api:1; accepted until …`
    static func describe(_ finding: FindingsDocument.FindingGroup, today: CalendarDay) -> String {
        var text = "\(finding.severity.rawValue) \(finding.rule) (\(finding.tool))"
        if finding.count > 1 { text += " ×\(finding.count)" }
        text += ": \(finding.summary)"
        if let place = finding.locations.first { text += ", at \(describe(place))" }
        if finding.locations.count > 1 { text += " and \(counted(finding.locations.count - 1, "other place"))" }
        if let accepted = finding.accepted { text += "; accepted until \(accepted.until) (\(accepted.source)): \(accepted.reason)" }
        if let expired = finding.expired {
            text += "; its acceptance (\(expired.source)) \(expiry(of: expired.until, today: today))"
        }
        return text
    }

    static func describe(_ use: FindingsDocument.AcceptanceUse, today: CalendarDay) -> String {
        let what = "the acceptance of \(use.rule)" + (use.tool.map { " (\($0))" } ?? "") + (use.location.map { " at \($0)" } ?? "")
        switch use.status {
        case .expired:
            return "\(use.source): \(what) \(expiry(of: use.until, today: today))"
                + (use.matched > 0 ? "; its \(counted(use.matched, "finding")) count again" : " and matches nothing: remove it")
        case .stale: return "\(use.source): \(what) matches no finding: remove it, or correct its rule, tool or location"
        case .current: return "\(use.source): \(what) covers \(counted(use.matched, "finding")) until \(use.until)"
        }
    }

    /// `expired 12 days ago: it ran until 2025-01-31`.
    static func expiry(of until: CalendarDay, today: CalendarDay) -> String {
        let days = until.days(until: today)
        return "expired \(days == 1 ? "yesterday" : "\(days) days ago"): it ran until \(until)"
    }

    static func describe(_ place: ScannedResult.Location) -> String { place.path + (place.line.map { ":\($0)" } ?? "") }

    /// A finding's place as an annotation's, when it is a path in the repository.
    private static func annotationLocation(
        _ place: ScannedResult.Location, isRepositoryFile: (String) -> Bool
    ) -> SourceLocation? {
        guard !place.path.hasPrefix("/"), !place.path.contains("://"), isRepositoryFile(place.path) else { return nil }
        return SourceLocation(file: place.path, line: place.line ?? 1, column: 1)
    }
}
