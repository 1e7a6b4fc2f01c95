import Foundation
import TestSupport
import XCTest

/// workflows/monorepo-ci.yml under act: the changed services' matrix, and each one's tags.
final class MonorepoCIWorkflowTests: XCTestCase {
    func testMonorepoCIOnAPushBuildsAMatrixOfExactlyTheChangedService() throws {
        let suite = try ActSuite.get()
        let repository = try ExampleRepository()
        let before = try repository.fixture.git("rev-parse", "HEAD")
        let after = try append("\n# retries\n", to: "services/worker/worker.py", in: repository)

        let run = try suite.run("monorepo-ci.yml", event: "push", payload: push("refs/heads/main", before, after), in: repository.path)

        XCTAssertEqual(run.status, 0, run.log)
        let changes = run.outputs(job: "changes", step: "changes")
        XCTAssertEqual(changes["any-changed"], "true")
        XCTAssertEqual(try services(inMatrix: changes["matrix"]), ["worker"], "only the worker's file changed")
        XCTAssertEqual(run.jobResults("build").map(\.matrix["service"]), ["worker"], "one build job, the worker's")
        XCTAssertEqual(run.jobResults("build").map(\.result), ["success"])
        let tags = run.outputs(job: "build", step: "tags", service: "worker")["tags"]
        XCTAssertEqual(tags?.split(separator: "\n"), ["ghcr.io/acme/worker:main-\(after.prefix(7))", "ghcr.io/acme/worker:latest"])
        XCTAssertEqual(run.outputs(job: "changes", step: "findings")["passed"], "true", "the critical finding is accepted")
        XCTAssertTrue(run.summary(job: "changes").contains("| Trivy | 0 | 1 | 1 | 0 | 1 |"), run.summary(job: "changes"))
    }

    func testAnUnacceptedCriticalFindingStopsTheBuilds() throws {
        let suite = try ActSuite.get()
        let repository = try ExampleRepository()
        let before = try repository.fixture.git("rev-parse", "HEAD")
        let configuration = try String(contentsOfFile: repository.path + "/gantry.yml", encoding: .utf8)
        let after = try repository.fixture.commit(
            files: ["gantry.yml": configuration.replacingOccurrences(of: ExampleRepository.acceptedRisk, with: "")],
            message: "the acceptance withdrawn")

        let run = try suite.run("monorepo-ci.yml", event: "push", payload: push("refs/heads/main", before, after), in: repository.path)

        XCTAssertNotEqual(run.status, 0, "a critical finding nobody accepted passed:\n\(run.log)")
        XCTAssertEqual(run.jobResults("changes").map(\.result), ["failure"])
        XCTAssertTrue(run.jobResults("build").isEmpty, "an image was built despite the scan: \(run.jobResults("build"))")
        let findings = run.outputs(job: "changes", step: "findings")
        XCTAssertEqual(findings["passed"], "false")
        XCTAssertEqual(findings["exit-code"], "1")
        let document = try JSONSerialization.jsonObject(with: Data((findings["json"] ?? "").utf8)) as? [String: Any]
        XCTAssertEqual(document?["fail_on"] as? String, "critical", "the json output is the command's document")
        XCTAssertEqual((document?["findings"] as? [[String: Any]])?.first?["blocking"] as? Bool, true)
        XCTAssertTrue(
            run.messages(job: "changes").contains { $0.contains("1 finding at or above critical not accepted: CVE-2024-3094") }, run.log)
        let summary = run.summary(job: "changes")
        XCTAssertTrue(summary.hasPrefix("## ❌ gantry: a check failed in findings"), summary)
        XCTAssertTrue(summary.contains("[`CVE-2024-3094`](https://avd.aquasec.com/nvd/cve-2024-3094)"), summary)
    }

    func testAPushToDevelopTagsTheChangedServiceDevelopShaAndNotLatest() throws {
        let suite = try ActSuite.get()
        let repository = try ExampleRepository()
        let before = try repository.fixture.git("rev-parse", "HEAD")
        try repository.fixture.git("checkout", "--quiet", "-b", "develop")
        let after = try append("\n# staging\n", to: "services/api/app.py", in: repository)

        let run = try suite.run("monorepo-ci.yml", event: "push", payload: push("refs/heads/develop", before, after), in: repository.path)

        XCTAssertEqual(run.status, 0, run.log)
        // web depends on api, so a change to api rebuilds web too.
        XCTAssertEqual(try services(inMatrix: run.outputs(job: "changes", step: "changes")["matrix"]), ["api", "web"])
        XCTAssertEqual(run.outputs(job: "build", step: "tags", service: "api")["tags"], "ghcr.io/acme/api:develop-\(after.prefix(7))")
        XCTAssertEqual(run.outputs(job: "build", step: "tags", service: "web")["tags"], "ghcr.io/acme/web:develop-\(after.prefix(7))")
    }

    func testTagPushTagsEveryServiceWithTheVersion() throws {
        let suite = try ActSuite.get()
        let repository = try ExampleRepository()
        let head = try repository.fixture.git("rev-parse", "HEAD")
        try repository.fixture.git("tag", "v1.2.0")
        let payload = push("refs/tags/v1.2.0", String(repeating: "0", count: 40), head)

        let run = try suite.run("monorepo-ci.yml", event: "push", payload: payload, in: repository.path)

        XCTAssertEqual(run.status, 0, run.log)
        XCTAssertEqual(
            try services(inMatrix: run.outputs(job: "changes", step: "changes")["matrix"]), ["api", "web", "worker"],
            "a release builds every service")
        XCTAssertEqual(run.jobResults("build").compactMap(\.matrix["service"]).sorted(), ["api", "web", "worker"])
        for service in ["api", "web", "worker"] {
            XCTAssertEqual(
                run.outputs(job: "build", step: "tags", service: service)["tags"]?.split(separator: "\n"),
                ["ghcr.io/acme/\(service):1.2.0", "ghcr.io/acme/\(service):latest"], service)
        }
    }

    func testAPushThatChangesOnlyIgnoredFilesRunsNoBuild() throws {
        let suite = try ActSuite.get()
        let repository = try ExampleRepository()
        let before = try repository.fixture.git("rev-parse", "HEAD")
        let after = try append("\nMore documentation.\n", to: "services/api/README.md", in: repository)

        let run = try suite.run("monorepo-ci.yml", event: "push", payload: push("refs/heads/main", before, after), in: repository.path)

        XCTAssertEqual(run.status, 0, run.log)
        XCTAssertEqual(run.outputs(job: "changes", step: "changes")["any-changed"], "false", "api ignores **/*.md")
        XCTAssertEqual(run.jobResults("changes").map(\.result), ["success"])
        XCTAssertTrue(run.jobResults("build").isEmpty, "no build job for an empty matrix: \(run.jobResults("build"))")
    }

    // MARK: - Helpers

    private func push(_ ref: String, _ before: String, _ after: String) -> [String: Any] {
        [
            "ref": ref, "before": before, "after": after, "created": before.allSatisfy { $0 == "0" }, "deleted": false,
            "forced": false, "head_commit": ["id": after], "repository": ExampleRepository.repository,
        ]
    }

    /// Appends to a file of the example and commits; returns the commit.
    private func append(_ text: String, to file: String, in repository: ExampleRepository) throws -> String {
        let contents = try String(contentsOfFile: repository.path + "/" + file, encoding: .utf8)
        return try repository.fixture.commit(files: [file: contents + text], message: "change \(file)")
    }

    private func services(inMatrix matrix: String?) throws -> [String] {
        let data = Data((matrix ?? "").utf8)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let include = object["include"] as? [[String: Any]]
        else {
            throw TestFailure("not a matrix: \(matrix ?? "nil")")
        }
        return include.compactMap { $0["service"] as? String }.sorted()
    }
}
