import Foundation
import GantryKit
import Reports
import TestSupport
import Testing

/// A changes document for `count` services, the first `changed` of them changed, with given names.
private func changesDocument(names: [String], changed: Int, files: [String] = ["a.txt"]) throws -> ChangesDocument {
    let services = names.enumerated().map { index, name in
        [
            "name": name, "changed": index < changed, "files": index < changed ? files : [],
            "reasons": index < changed ? [["kind": "files", "detail": "\(files.count) files"]] : [],
        ] as [String: Any]
    }
    let document: [String: Any] = [
        "base": String(repeating: "a", count: 40), "head": String(repeating: "b", count: 40),
        "base_reason": "the commit before the push", "working_tree": false, "notes": [], "files_changed": files.count,
        "changed": Array(names.prefix(changed)), "services": services, "matrix": ["include": []],
    ]
    return try JSONDecoder().decode(ChangesDocument.self, from: JSONSerialization.data(withJSONObject: document))
}

@Suite("The consolidated summary")
struct SummaryReportTests {
    @Test("each command reports once, from its latest record")
    func everyFactOnce() throws {
        let first = try changesDocument(names: ["api", "web"], changed: 2)
        let second = try changesDocument(names: ["api", "web"], changed: 1)
        let report = SummaryReport(records: [
            Record(command: "changes", exitCode: 0, changes: first, recordedAt: Date(timeIntervalSince1970: 1)),
            Record(command: "changes", exitCode: 0, changes: second, recordedAt: Date(timeIntervalSince1970: 2)),
        ])
        #expect(report.headline == "gantry: 1 of 2 services changed")
        let markdown = report.markdown()
        #expect(markdown.components(separatedBy: "### Changes").count == 2)
        let html = try CmarkGFM.html(markdown)
        #expect(html.components(separatedBy: "<tr>").count - 1 == 2)  // the header and api
    }

    @Test("a later down or gc with nothing to do does not outdate the environment of the run")
    func noOpKeepsEnvironment() throws {
        let ran = EnvironmentDocument(
            name: "gantry-local-0", provider: "process", state: .down,
            endpoints: [ServiceEndpoint(service: "api", url: "http://127.0.0.1:8123")])
        let nothing = EnvironmentDocument(
            name: "", provider: "process", state: .none, note: "nothing to take down: no environment of this run is up")
        let report = SummaryReport(records: [
            Record(command: "run", exitCode: 0, environment: ran, recordedAt: Date(timeIntervalSince1970: 1)),
            Record(command: "env down", exitCode: 0, environment: nothing, recordedAt: Date(timeIntervalSince1970: 2)),
            Record(command: "env gc", exitCode: 0, environment: nothing, recordedAt: Date(timeIntervalSince1970: 3)),
        ])
        let markdown = report.markdown()
        #expect(markdown.contains("http://127.0.0.1:8123"), "\(markdown)")
        #expect(!markdown.contains("nothing to take down"))
        let alone = SummaryReport(records: [Record(command: "env down", exitCode: 0, environment: nothing)]).markdown()
        #expect(alone.contains("nothing to take down"), "with nothing else recorded, the no-op is the news")
    }

    @Test("a later successful changes outdates an earlier failed validation")
    func supersededValidation() throws {
        let report = SummaryReport(records: [
            Record(command: "validate", exitCode: 2, recordedAt: Date(timeIntervalSince1970: 1)),
            Record(
                command: "changes", exitCode: 0, changes: try changesDocument(names: ["api"], changed: 1),
                recordedAt: Date(timeIntervalSince1970: 2)),
        ])
        #expect(report.succeeded)
        #expect(report.records.map(\.command) == ["changes"])
    }

    @Test("the headline names the failure first")
    func failureFirst() throws {
        let report = SummaryReport(records: [
            Record(command: "changes", exitCode: 0, changes: try changesDocument(names: ["api"], changed: 1)),
            Record(command: "gate", exitCode: 1, error: "health check failed"),
        ])
        #expect(!report.succeeded)
        #expect(report.headline == "gantry: a check failed in gate")
        #expect(report.markdown().hasPrefix("## ❌ gantry: a check failed in gate\n"))
        #expect(SummaryReport(records: []).headline == "gantry: nothing was recorded")
    }

    @Test("10,000 services stay under 1 MiB, cut with a note, and still render as one table")
    func tenThousandServices() throws {
        let names = (0..<10_000).map { "service-\($0)-" + String(repeating: "x", count: 40) }
        let files = (0..<40).map { "services/deep/path/to/a/file-\($0)-with-a-long-name.txt" }
        let report = SummaryReport(records: [
            Record(command: "changes", exitCode: 0, changes: try changesDocument(names: names, changed: 8_000, files: files))
        ])
        let markdown = report.markdown()
        #expect(markdown.utf8.count <= 1_048_576)
        #expect(markdown.utf8.count > 900_000)
        #expect(markdown.contains("This summary was cut at 1 MiB"))
        let html = try CmarkGFM.html(markdown)
        #expect(html.components(separatedBy: "<table>").count - 1 == 1)
        #expect(html.components(separatedBy: "<details>").count == html.components(separatedBy: "</details>").count)
    }

    @Test("hostile names stay text: tables keep their shape, no tag or mention gets through")
    func hostileNames() throws {
        let hostile = ["a|b", "<script>alert(1)</script>", "`code`", "x\n| injected | row |", "@octocat", "%0A::error::x", "**bold**"]
        let report = SummaryReport(records: [
            Record(command: "changes", exitCode: 0, changes: try changesDocument(names: hostile, changed: hostile.count, files: hostile))
        ])
        let html = try CmarkGFM.html(report.markdown())
        #expect(html.components(separatedBy: "<tr>").count - 1 == hostile.count + 1)
        #expect(!html.contains("<script"))
        #expect(!html.contains("<strong>"))
        #expect(html.components(separatedBy: "<td>").count - 1 == hostile.count * 3)
    }
}
