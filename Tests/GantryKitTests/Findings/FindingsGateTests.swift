import Basics
import Config
import Foundation
import GitHubActions
import Reports
import PathPattern
import TestSupport
import Testing

@testable import GantryKit

@Suite("Judging findings: the severity gate and accepted risks")
struct FindingsGateTests {
    static let today = CalendarDay("2025-03-15")!

    static func trivy(_ rule: String, _ severity: Severity, at path: String? = "ghcr.io/acme/api") -> ScannedResult {
        ScannedResult(
            tool: "Trivy", rule: rule, severity: severity, message: "Package: openssl\nInstalled Version: 1.0",
            ruleDescription: "\(rule) in openssl", helpURI: "https://avd.aquasec.com/nvd/\(rule.lowercased())",
            location: path.map { ScannedResult.Location(path: $0, line: 1) })
    }

    static func acceptance(
        _ rule: String, tool: String? = nil, location: String? = nil, until: String, line: Int = 7
    ) -> Acceptance {
        Acceptance(
            rule: rule, tool: tool, location: location.map { try! PathPattern($0) }, reason: "not reachable from the API",
            until: CalendarDay(until)!, source: SourceLocation(file: "gantry.yml", line: line, column: 7))
    }

    func evaluate(_ results: [ScannedResult], accepting acceptances: [Acceptance] = [], failOn: Severity? = .high) -> FindingsDocument {
        FindingsGate(acceptances: acceptances, failOn: failOn, today: Self.today).evaluate(results, files: ["trivy.sarif"])
    }

    @Test("a finding at or above --fail-on that nothing accepts fails the gate; one below it does not")
    func failOnThreshold() {
        let results = [Self.trivy("CVE-1", .high), Self.trivy("CVE-2", .medium)]
        let high = evaluate(results, failOn: .high)
        #expect(!high.passed)
        #expect(high.findings.filter(\.blocking).map(\.rule) == ["CVE-1"])
        #expect(evaluate(results, failOn: .critical).passed)
        #expect(evaluate(results, failOn: nil).passed, "without --fail-on the gate only reports")
        #expect(evaluate([], failOn: .low).passed)
    }

    @Test("one rule on several places is one finding with its count; counts per tool by severity")
    func groupingAndCounts() {
        let results = [
            Self.trivy("CVE-1", .critical, at: "ghcr.io/acme/api"), Self.trivy("CVE-1", .critical, at: "ghcr.io/acme/web"),
            Self.trivy("CVE-2", .low), Self.trivy("CVE-3", .high, at: nil),
            ScannedResult(tool: "Hadolint", rule: "DL3008", severity: .medium, message: "Pin versions"),
        ]
        let document = evaluate(results)
        #expect(document.findings.map(\.rule) == ["CVE-1", "CVE-3", "DL3008", "CVE-2"], "most severe first")
        #expect(document.findings[0].count == 2)
        #expect(document.findings[0].locations.map(\.path) == ["ghcr.io/acme/api", "ghcr.io/acme/web"])
        #expect(document.findings[1].locations.isEmpty, "a result without a location")
        #expect(document.findings[0].summary == "CVE-1 in openssl")
        #expect(document.tools.map(\.tool) == ["Trivy", "Hadolint"])
        let trivy: [Int] = Severity.descending.map { document.tools[0][$0] }
        #expect(trivy == [2, 1, 0, 1])
        #expect(document.tools[1].medium == 1)
    }

    @Test("a current acceptance covers its findings, shown with the reason, and they do not fail the gate")
    func currentAcceptance() {
        let document = evaluate(
            [Self.trivy("CVE-1", .critical), Self.trivy("CVE-1", .critical, at: "ghcr.io/acme/web")],
            accepting: [Self.acceptance("cve-1", tool: "trivy", until: "2025-03-15")])
        #expect(document.passed, "accepted through the end of its until day, rule and tool compared without case")
        #expect(document.findings.count == 1)
        #expect(document.findings[0].accepted?.reason == "not reachable from the API")
        #expect(document.tools[0].accepted == 2 && document.tools[0].critical == 0)
        #expect(document.acceptances.map(\.status) == [.current])
        #expect(document.acceptances[0].matched == 2)
    }

    @Test("an expired acceptance no longer counts, and says it expired and when")
    func expiredAcceptance() {
        let document = evaluate([Self.trivy("CVE-1", .critical)], accepting: [Self.acceptance("CVE-1", until: "2025-03-14")])
        #expect(!document.passed)
        #expect(document.findings[0].blocking)
        #expect(document.findings[0].accepted == nil)
        #expect(document.findings[0].expired?.until == CalendarDay("2025-03-14"))
        #expect(document.acceptances.map(\.status) == [.expired])
        let text = FindingsReport(document).text()
        #expect(text.contains("its acceptance (gantry.yml:7:7) expired yesterday: it ran until 2025-03-14"), "\(text)")
        #expect(
            text.contains("gantry.yml:7:7: the acceptance of CVE-1 expired yesterday: it ran until 2025-03-14; its 1 finding count again"))
    }

    @Test("an acceptance that matches nothing is reported as stale, at its line, as a notice")
    func staleAcceptance() {
        let document = evaluate([Self.trivy("CVE-1", .low)], accepting: [Self.acceptance("CVE-9", until: "2026-01-01", line: 12)])
        #expect(document.acceptances.map(\.status) == [.stale])
        let notices = FindingsReport(document).annotations().filter { $0.level == .notice }
        #expect(notices.count == 1)
        #expect(notices.first?.location == SourceLocation(file: "gantry.yml", line: 12, column: 7))
        #expect(notices.first?.message.contains("matches no finding: remove it") == true)
    }

    @Test("a location glob and a tool narrow an acceptance; a result without a place never matches a location")
    func locationAndTool() {
        let results = [
            Self.trivy("CVE-1", .high, at: "ghcr.io/acme/api"), Self.trivy("CVE-1", .high, at: "ghcr.io/acme/web"),
            Self.trivy("CVE-1", .high, at: nil),
            ScannedResult(
                tool: "Grype", rule: "CVE-1", severity: .high, message: "m", location: .init(path: "/ghcr.io/acme/api", line: nil)),
        ]
        let document = evaluate(
            results, accepting: [Self.acceptance("CVE-1", tool: "Trivy", location: "ghcr.io/acme/api", until: "2030-01-01")])
        #expect(document.acceptances[0].matched == 1)
        #expect(!document.passed)
        #expect(document.findings.filter { $0.accepted != nil }.map(\.count) == [1])
        let absolute = evaluate(
            results, accepting: [Self.acceptance("CVE-1", tool: "grype", location: "ghcr.io/*/api", until: "2030-01-01")])
        #expect(absolute.acceptances[0].matched == 1, "an absolute path is matched without its leading /")
    }

    @Test("annotations: errors for what fails the gate, warnings for the rest, most severe first, within the runner's cap")
    func annotationsWithinCap() {
        var results = (1...15).map { Self.trivy("CVE-C\($0)", .critical, at: "services/api/Dockerfile") }
        results += (1...15).map { Self.trivy("CVE-M\($0)", .medium) }
        let report = FindingsReport(evaluate(results, failOn: .critical))
        let annotations = report.annotations()
        #expect(annotations.filter { $0.level == .error }.count == 15)
        #expect(annotations.filter { $0.level == .warning }.count == 15)
        #expect(annotations.first?.title == "critical: CVE-C1 (Trivy)")
        #expect(annotations.first?.location == SourceLocation(file: "services/api/Dockerfile", line: 1, column: 1))
        let commands = WorkflowCommands.commands(for: annotations, where: "the summary")
        #expect(commands.filter { $0.hasPrefix("::error") }.count == WorkflowCommands.annotationsShownPerLevel)
        #expect(commands.filter { $0.hasPrefix("::warning") }.count == WorkflowCommands.annotationsShownPerLevel)
        #expect(commands.last?.contains("5 more errors and 5 more warnings not shown") == true)
    }

    @Test("hostile text in a message stays text: one annotation line, no workflow command in the terminal report")
    func hostileText() {
        let hostile = "x\n::error::pwned\r\n::set-output name=passed::true %0A <b>"
        let result = ScannedResult(
            tool: "Evil\n::warning::", rule: "R\n::error::", severity: .critical, message: "m", ruleDescription: hostile)
        let report = FindingsReport(evaluate([result]))
        for annotation in report.annotations() {
            #expect(!annotation.command.contains("\n") && !annotation.command.contains("\r"))
            #expect(annotation.command.contains("%0A::error::pwned"))
        }
        let text = report.text()
        #expect(!text.split(separator: "\n").contains { $0.hasPrefix("::") })
        #expect(text.contains("x\\n::error::pwned"))
    }

    @Test("a thousand acceptances and a hundred thousand results: each result meets only its own rule's acceptances")
    func manyAcceptances() {
        let acceptances = (0..<ConfigurationLimits.acceptances).map { Self.acceptance("CVE-\($0)", until: "2030-01-01") }
        let results = (0..<SARIFLimits.results).map { Self.trivy("CVE-\($0 % 2000)", .high) }
        let clock = ContinuousClock()
        let start = clock.now
        let document = evaluate(results, accepting: acceptances)
        #expect(clock.now - start < .seconds(10), "a debug build on a shared machine; every pair would take minutes")
        #expect(document.acceptances.allSatisfy { $0.matched == 50 && $0.status == .current })
        #expect(document.findings.count == 2000)
        #expect(!document.passed)
    }

    @Test("dates: YYYY-MM-DD only, days that exist, and days counted across months")
    func calendarDays() {
        #expect(CalendarDay("2024-02-29") != nil)
        #expect(CalendarDay("2025-02-29") == nil)
        #expect(CalendarDay("2025-13-01") == nil)
        #expect(CalendarDay("2025-1-01") == nil)
        #expect(CalendarDay("tomorrow") == nil)
        #expect(CalendarDay("2025-02-27")!.days(until: CalendarDay("2025-03-02")!) == 3)
        #expect(CalendarDay(Date(timeIntervalSince1970: 0)).description == "1970-01-01")
    }
}
