import Foundation
import TestSupport
import Testing

/// `gantry findings` as a workflow runs it: the real binary on SARIF files written the way the
/// scanners write them, acceptances dated relative to today.
@Suite("gantry findings")
struct FindingsCommandTests {
    let fixture: GitFixture

    static let trivy = ScannerSARIF.trivy([
        .init(id: "CVE-2024-3094", package: "xz-utils", severity: "CRITICAL", score: "10.0", title: "xz: malicious code"),
        .init(id: "CVE-2023-44487", package: "nghttp2", severity: "HIGH", score: "7.5", title: "HTTP/2 rapid reset"),
        .init(id: "CVE-2023-0002", package: "tar", severity: "LOW", score: "2.0", title: "tar: a low one"),
    ])
    static let hadolint = ScannerSARIF.hadolint([
        .init(code: "DL3008", level: "warning", path: "services/api/Dockerfile", line: 4, message: "Pin versions in apt get install.")
    ])

    init() throws {
        fixture = try GitFixture()
        _ = try fixture.commit(files: [
            "gantry.yml": "version: 1\nservices:\n  api: {paths: [\"services/api/**\"]}\n", "trivy.sarif": Self.trivy,
            "hadolint.sarif": Self.hadolint, "services/api/Dockerfile": "FROM debian:12\n",
        ])
    }

    /// `YYYY-MM-DD`, `days` from today in UTC.
    static func day(_ days: Int) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.string(from: Date().addingTimeInterval(Double(days) * 86_400))
    }

    func accept(_ entries: String) throws {
        try ("version: 1\nservices:\n  api: {paths: [\"services/api/**\"]}\nfindings:\n  accept:\n" + entries)
            .write(toFile: fixture.path + "/gantry.yml", atomically: true, encoding: .utf8)
    }

    func gantry(_ arguments: [String], _ variables: [String: String] = [:]) throws -> CommandResult {
        try runGantry(["findings"] + arguments + ["--state-dir", fixture.path + "/.gantry"], in: fixture.path, variables: variables)
    }

    @Test("without --fail-on it reports and exits 0; with it, exit 1 names the findings that failed")
    func failOn() throws {
        let report = try gantry(["trivy.sarif", "hadolint.sarif"])
        #expect(report.status == 0, "\(report.standardError)")
        #expect(report.standardOutput.contains("Trivy: 1 critical, 1 high, 0 medium, 1 low"))
        #expect(report.standardOutput.contains("Hadolint: 0 critical, 0 high, 1 medium, 0 low"))
        let gate = try gantry(["trivy.sarif", "hadolint.sarif", "--fail-on", "high"])
        #expect(gate.status == 1)
        #expect(gate.standardOutput.contains("2 findings at or above high not accepted: CVE-2024-3094, CVE-2023-44487"))
        #expect(try gantry(["hadolint.sarif", "--fail-on", "high"]).status == 0)
        let bad = try gantry(["trivy.sarif", "--fail-on", "severe"])
        #expect(bad.status == 2)
    }

    @Test("a current acceptance passes the gate; an expired one does not, and says when it expired; a stale one is noted")
    func acceptances() throws {
        try accept(
            """
                - {rule: CVE-2024-3094, tool: Trivy, reason: xz is never run, until: \(Self.day(30))}
                - {rule: CVE-2023-44487, reason: behind a proxy, until: \(Self.day(-3))}
                - {rule: CVE-1999-0001, reason: long gone, until: \(Self.day(30))}
            """)
        let result = try gantry(["trivy.sarif", "--fail-on", "high"])
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("○ critical CVE-2024-3094 (Trivy): xz: malicious code"))
        #expect(result.standardOutput.contains("accepted until \(Self.day(30)) (gantry.yml:6:7): xz is never run"))
        #expect(result.standardOutput.contains("its acceptance (gantry.yml:7:7) expired 3 days ago: it ran until \(Self.day(-3))"))
        #expect(result.standardOutput.contains("gantry.yml:8:7: the acceptance of CVE-1999-0001 matches no finding: remove it"))
        #expect(result.standardOutput.contains("1 finding at or above high not accepted: CVE-2023-44487"))
        try accept("    - {rule: CVE-2023-44487, reason: behind a proxy, until: \(Self.day(0))}\n")
        #expect(try gantry(["trivy.sarif", "--fail-on", "critical"]).status == 1)
        #expect(try gantry(["trivy.sarif", "--fail-on", "high"]).status == 1)
        try accept(
            "    - {rule: CVE-2023-44487, reason: behind a proxy, until: \(Self.day(0))}\n"
                + "    - {rule: CVE-2024-3094, reason: never run, until: \(Self.day(1))}\n")
        #expect(try gantry(["trivy.sarif", "--fail-on", "high"]).status == 0, "an acceptance counts through its until day")
    }

    @Test("under Actions: json and passed outputs, annotations most severe first, and a Findings section in the summary")
    func underActions() throws {
        let actions = try ActionsEnvironment(eventName: "push", payload: [:], workspace: fixture.path)
        let result = try runGantry(
            ["findings", "trivy.sarif", "hadolint.sarif", "--fail-on", "critical"], in: fixture.path, variables: actions.variables)
        #expect(result.status == 1)
        #expect(actions.outputs["passed"] == "false")
        let json = try #require(actions.outputs["json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(document["fail_on"] as? String == "critical")
        #expect((document["findings"] as? [[String: Any]])?.first?["rule"] as? String == "CVE-2024-3094")
        let annotations = result.standardError.split(separator: "\n").filter { $0.hasPrefix("::") }
        #expect(
            annotations.first?.hasPrefix("::error title=critical%3A CVE-2024-3094 (Trivy)::") == true, "an image is no file: \(annotations)"
        )
        #expect(
            annotations.contains { $0.hasPrefix("::warning file=services/api/Dockerfile,line=4,col=1,title=medium%3A DL3008 (Hadolint)::") }
        )
        #expect(try runGantry(["summary"], in: fixture.path, variables: actions.variables).status == 0)
        let summary = try String(contentsOfFile: actions.variables["GITHUB_STEP_SUMMARY"]!, encoding: .utf8)
        #expect(summary.hasPrefix("## ❌ gantry: a check failed in findings"))
        #expect(summary.contains("### Findings"))
        #expect(summary.contains("| Hadolint | 0 | 0 | 1 | 0 | 0 |"))
    }

    @Test("a broken file is exit 2 with its name and the problem, recorded for the summary; never a crash or a hang")
    func brokenFiles() throws {
        try String(Self.trivy.prefix(300)).write(toFile: fixture.path + "/cut.sarif", atomically: true, encoding: .utf8)
        let truncated = try gantry(["cut.sarif"])
        #expect(truncated.status == 2)
        #expect(truncated.standardError.contains(#/gantry: cut\.sarif:\d+:\d+: not JSON: the file ends .*\(truncated\?\)/#))
        let missing = try gantry(["nowhere.sarif"])
        #expect(missing.status == 2)
        #expect(missing.standardError.contains("gantry: cannot read the SARIF file nowhere.sarif"))
        let deep = #"{"version": "2.1.0", "runs": "# + String(repeating: "[", count: 1_000_000)
        try deep.write(toFile: fixture.path + "/deep.sarif", atomically: true, encoding: .utf8)
        let bounded = try runGantryBounded(["findings", "deep.sarif"], in: fixture.path)
        #expect(bounded.abnormalEnd == nil)
        #expect(bounded.status == 2)
        #expect(bounded.standardError.contains("deep.sarif:1:93: nested deeper than 64 levels"))
        try accept("    - {rule: CVE-1, reason: r}\n")
        let invalid = try gantry(["trivy.sarif"])
        #expect(invalid.status == 2)
        #expect(invalid.standardError.contains("gantry.yml:6:7: `findings.accept[0]` needs `until`"))
    }
}
