import Basics
import Config
import Foundation
import GitHubActions
import Reports
import TestSupport
import Testing

@testable import GantryKit

@Suite("The summary's Findings section")
struct FindingsSummaryTests {
    static let hostile = "</details><script>alert(1)</script>|`x`** [link](javascript:alert(1))\n::error::pwned @someone"

    func markdown(_ results: [ScannedResult], accepting acceptances: [Acceptance] = [], failOn: Severity? = .high) -> String {
        let document = FindingsGate(acceptances: acceptances, failOn: failOn, today: FindingsGateTests.today)
            .evaluate(results, files: ["trivy.sarif"])
        return SummaryReport(records: [Record(command: "findings", exitCode: document.passed ? 0 : 1, findings: document)]).markdown()
    }

    @Test("counts by tool, the findings at or above the gate with their help link, accepted ones with their reason")
    func section() throws {
        let markdown = markdown(
            [FindingsGateTests.trivy("CVE-1", .critical), FindingsGateTests.trivy("CVE-2", .high), FindingsGateTests.trivy("CVE-3", .low)],
            accepting: [
                FindingsGateTests.acceptance("CVE-2", until: "2025-04-01"), FindingsGateTests.acceptance("CVE-9", until: "2025-04-01"),
            ])
        #expect(markdown.contains("### Findings"))
        #expect(markdown.contains("| Trivy | 1 | 0 | 0 | 1 | 1 |"))
        #expect(markdown.contains("[`CVE-1`](https://avd.aquasec.com/nvd/cve-1)"))
        #expect(!markdown.contains("`CVE-3`"), "below the gate: counted, not listed")
        #expect(markdown.contains("not reachable from the API"))
        #expect(markdown.contains("the acceptance of CVE-9 matches no finding"))
        #expect(markdown.contains("❌ 1 finding at or above high not accepted: CVE-1"))
        let html = try CmarkGFM.html(markdown)
        #expect(html.contains(#"<a href="https://avd.aquasec.com/nvd/cve-1"><code>CVE-1</code></a>"#))
    }

    @Test("more findings than fit open are collapsed in <details>")
    func longListCollapsed() throws {
        let results = (1...25).map { FindingsGateTests.trivy("CVE-\($0)", .critical) }
        let html = try CmarkGFM.html(markdown(results))
        #expect(html.contains("<summary>Findings at or above high (25)</summary>"))
        #expect(html.components(separatedBy: "<tr>").count - 1 == 2 + 26, "the counts table, and 25 rows with the header")
    }

    @Test("hostile text from a scanner stays text: no tag, no link, no section closed, no workflow command")
    func hostileText() throws {
        let result = ScannedResult(
            tool: Self.hostile, rule: Self.hostile, severity: .critical, message: Self.hostile, ruleDescription: Self.hostile,
            helpURI: "javascript:alert(1)", location: .init(path: Self.hostile, line: 3))
        let markdown = markdown([result])
        #expect(!markdown.split(separator: "\n").contains { $0.hasPrefix("::") })
        let html = try CmarkGFM.html(markdown)
        #expect(!html.contains("<script"))
        #expect(!html.contains("</details>"))
        #expect(!html.contains("href=\"javascript"))
        #expect(html.components(separatedBy: "<tr>").count - 1 == 2 + 2, "one row in each table: the text broke no cell")
    }
}
