import Basics
import Config
import GantryKit
import GitHubActions

/// The summary's Findings section: what other tools' SARIF files held, as `gantry findings` judged it.
extension SummaryReport {
    /// The rows of findings shown before the list is collapsed.
    static let findingsShownOpen = 10

    var findings: FindingsDocument? { records.last { $0.findings != nil }?.findings }

    func addFindings(_ document: FindingsDocument, to markdown: inout MarkdownDocument) {
        let report = FindingsReport(document)
        markdown.heading(3, "Findings")
        let files = document.files.map(Markdown.code).joined(separator: ", ")
        let verdict =
            document.failOn == nil ? Markdown.text(report.verdict) : "\(document.passed ? "✅" : "❌") \(Markdown.text(report.verdict))"
        markdown.paragraph("From \(files): \(verdict)")
        if !document.tools.isEmpty {
            markdown.table(
                header: ["Tool", "Critical", "High", "Medium", "Low", "Accepted"],
                rows: document.tools.lazy.map { tools in
                    [Markdown.text(tools.tool)] + Severity.descending.map { "\(tools[$0])" } + ["\(tools.accepted)"]
                })
        }
        let listed = report.listed
        if !listed.isEmpty {
            let title = document.failOn.map { "Findings at or above \($0.rawValue) (\(listed.count))" } ?? "Findings (\(listed.count))"
            let rows = listed.lazy.map { finding in
                [
                    finding.blocking ? "❌" : "", finding.severity.rawValue, Self.rule(finding), Markdown.text(finding.tool),
                    Markdown.text(finding.summary) + Self.expiry(of: finding, today: document.today), Self.places(finding),
                ]
            }
            let header = ["", "Severity", "Rule", "Tool", "What", "Where"]
            if listed.count > Self.findingsShownOpen {
                markdown.details(summary: Markdown.text(title)) { details in details.table(header: header, rows: rows) }
            } else {
                markdown.table(header: header, rows: rows)
            }
        }
        let accepted = document.findings.filter { $0.accepted != nil }
        if !accepted.isEmpty {
            markdown.details(summary: Markdown.text("Accepted risks (\(accepted.count))")) { details in
                details.table(
                    header: ["Severity", "Rule", "Tool", "Where", "Reason", "Until"],
                    rows: accepted.lazy.map { finding in
                        [
                            finding.severity.rawValue, Self.rule(finding), Markdown.text(finding.tool), Self.places(finding),
                            Markdown.text(finding.accepted!.reason),
                            "\(finding.accepted!.until) (\(Markdown.code("\(finding.accepted!.source)")))",
                        ]
                    })
            }
        }
        let attention = report.attention
        if !attention.isEmpty {
            markdown.paragraph("Accepted risks to review:")
            markdown.bulletList(attention.lazy.map { Markdown.text(FindingsReport.describe($0, today: document.today)) })
        }
    }

    /// The rule's id, linked to its help when that is a plain web address.
    private static func rule(_ finding: FindingsDocument.FindingGroup) -> String {
        guard let uri = finding.helpURI, isPlainWebAddress(uri) else { return Markdown.code(finding.rule) }
        return "[\(Markdown.code(finding.rule))](\(uri))"
    }

    /// An address a tool wrote is linked only when nothing in it can end the link or start markup.
    private static func isPlainWebAddress(_ uri: String) -> Bool {
        guard uri.hasPrefix("https://") || uri.hasPrefix("http://"), uri.count <= 2000 else { return false }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/?#@!$&+,;=%")
        return uri.allSatisfy(allowed.contains)
    }

    private static func places(_ finding: FindingsDocument.FindingGroup) -> String {
        guard let first = finding.locations.first else { return "–" }
        let more = finding.count > 1 ? " and \(finding.count - 1) more" : ""
        return Markdown.code(FindingsReport.describe(first)) + more
    }

    private static func expiry(of finding: FindingsDocument.FindingGroup, today: CalendarDay) -> String {
        guard let expired = finding.expired else { return "" }
        return " (acceptance \(Markdown.text(FindingsReport.expiry(of: expired.until, today: today))))"
    }
}
