import Foundation
import TestSupport
import XCTest

/// workflows/ephemeral-e2e.yml under act: a pull request's environment up, gated, tested and down.
final class EphemeralE2EWorkflowTests: XCTestCase {
    func testEphemeralE2EOnAPullRequestPassesAndLeavesNoProcess() throws {
        let suite = try ActSuite.get()
        let repository = try ExampleRepository()
        let payload = try pullRequestChangingTheSharedLibrary(in: repository)

        let run = try suite.run("ephemeral-e2e.yml", event: "pull_request", payload: payload, in: repository.path)

        XCTAssertEqual(run.status, 0, run.log)
        let outputs = run.outputs(job: "e2e", step: "e2e")
        XCTAssertEqual(outputs["passed"], "true", run.log)
        XCTAssertEqual(outputs["exit-code"], "0")
        XCTAssertEqual(outputs["changed"], #"["api","web","worker"]"#, "libs/common is every service's group")
        XCTAssertFalse(outputs["environment"]?.isEmpty ?? true, "the environment's name")
        XCTAssertTrue(
            outputs["urls"]?.contains(#""api":"https://127.0.0.1:"#) ?? false,
            "the API serves its per-run certificate (tls: true), and the test verified it: \(outputs["urls"] ?? "nil")")
        // act removes a finished job's workspace, so the file itself cannot be looked at here.
        XCTAssertTrue(
            outputs["sarif"]?.hasSuffix("/hostexecutor/gantry.sarif") ?? false,
            "the SARIF file for upload-sarif, in the workspace: \(outputs["sarif"] ?? "nil")")
        XCTAssertFalse(outputs["logs"]?.isEmpty ?? true, "the log folder for upload-artifact")
        XCTAssertTrue(run.messages(job: "e2e").contains { $0.contains("e2e: 1 video(s)") }, "the test ran against the environment")
        XCTAssertEqual(suite.leftoverProcesses(), [], "the environment's processes outlived the job")
        // The scan's findings: the critical one accepted, nothing at --fail-on critical left.
        let findings = run.outputs(job: "e2e", step: "findings")
        XCTAssertEqual(findings["passed"], "true", run.log)
        XCTAssertEqual(findings["exit-code"], "0")
        let summary = run.summary(job: "e2e")
        XCTAssertTrue(summary.contains("### Findings"), summary)
        XCTAssertTrue(summary.contains("| Trivy | 0 | 1 | 1 | 0 | 1 |"), "counts by severity, one accepted:\n\(summary)")
        XCTAssertTrue(summary.contains("xz is not in the runtime image"), "the accepted risk with its reason:\n\(summary)")
        XCTAssertTrue(summary.contains("### Gates"), "one summary for the scan and the run:\n\(summary)")
    }

    func testAFailingGateFailsTheJob() throws {
        let suite = try ActSuite.get()
        let repository = try ExampleRepository()
        // A health check the API cannot pass (it answers 200), with a deadline short enough for a test.
        let configuration = try String(contentsOfFile: repository.path + "/gantry.yml", encoding: .utf8)
        let impossible = configuration.replacingOccurrences(of: "expect: {status: 200, json:", with: "expect: {status: 299, json:")
        XCTAssertNotEqual(impossible, configuration, "the example's API health check changed shape; update this test")
        try repository.fixture.commit(files: ["gantry.yml": impossible + "gates:\n  deadline: 2s\n"], message: "an impossible gate")
        let payload = try pullRequestChangingTheSharedLibrary(in: repository)

        let run = try suite.run("ephemeral-e2e.yml", event: "pull_request", payload: payload, in: repository.path)

        XCTAssertNotEqual(run.status, 0, "act succeeded although a gate cannot pass:\n\(run.log)")
        XCTAssertEqual(run.jobResults("e2e").map(\.result), ["failure"])
        let outputs = run.outputs(job: "e2e", step: "e2e")
        // A health check that fails while the environment comes up stops `run` before its gate
        // phase, which is what writes `passed`: it is empty then, never "true".
        XCTAssertNotEqual(outputs["passed"], "true")
        XCTAssertEqual(outputs["exit-code"], "1", "a failed gate, not a usage error")
        XCTAssertTrue(run.messages(job: "e2e").contains { $0.contains("299") }, "the failure says what was expected:\n\(run.log)")
        XCTAssertFalse(run.messages(job: "e2e").contains { $0.contains("e2e: 1 video(s)") }, "the tests ran although a gate failed")
        XCTAssertEqual(suite.leftoverProcesses(), [], "a failed gate left the environment up")
    }

    /// A feature branch that edits the shared library and the web page, as scripts/demo.sh does,
    /// and the `pull_request` payload GitHub would send for it.
    private func pullRequestChangingTheSharedLibrary(in repository: ExampleRepository) throws -> [String: Any] {
        let base = try repository.fixture.git("rev-parse", "HEAD")
        try repository.fixture.git("checkout", "--quiet", "-b", "feature/slugs")
        let library = try String(contentsOfFile: repository.path + "/libs/common/text.py", encoding: .utf8)
        let page = try String(contentsOfFile: repository.path + "/services/web/index.html", encoding: .utf8)
        let head = try repository.fixture.commit(
            files: [
                "libs/common/text.py": library + "\n\ndef title(slug):\n    return slug.replace(\"-\", \" \").title()\n",
                "services/web/index.html": page + "<p>Now with slugs.</p>\n",
            ], message: "slugs in the shared library and the web page")
        return [
            "action": "synchronize", "number": 7,
            "pull_request": [
                "number": 7, "head": ["ref": "feature/slugs", "sha": head], "base": ["ref": "main", "sha": base],
            ],
            "repository": ExampleRepository.repository,
        ]
    }
}
