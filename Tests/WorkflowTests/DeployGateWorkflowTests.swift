import Foundation
import TestSupport
import XCTest

/// workflows/deploy-gate.yml under act: the gate on a deployed URL decides promote or roll back.
/// The "deployment" is a real HTTP server on 127.0.0.1 (or a port that refuses connections).
final class DeployGateWorkflowTests: XCTestCase {
    func testAHealthyDeploymentPassesTheGateAndIsPromoted() throws {
        let suite = try ActSuite.get()
        let repository = try ExampleRepository()
        let deployment = try TestServer { connection in
            while connection.readRequest() != nil {
                let body = Array(#"{"status":"healthy"}"#.utf8)
                guard connection.respond(status: 200, headers: [("Content-Type", "application/json")], body: body) else { return }
            }
        }
        defer { _ = deployment.stop() }

        let run = try suite.run(
            "deploy-gate.yml", event: "workflow_dispatch",
            payload: dispatch(url: deployment.url + "/health/ready"), in: repository.path,
            variables: ["DEPLOY_DEADLINE": "20s"])

        XCTAssertEqual(run.status, 0, run.log)
        XCTAssertEqual(run.outputs(job: "deploy", step: "gate")["passed"], "true")
        XCTAssertTrue(run.messages(job: "deploy").contains { $0.contains("| Outcome | promoted |") }, "the deployment record:\n\(run.log)")
        XCTAssertTrue(
            run.messages(job: "deploy").contains { $0.contains("| Image | `ghcr.io/acme/api:main-") },
            "the record names the image monorepo-ci.yml built for this commit:\n\(run.log)")
    }

    func testAFailingGateFailsTheJob() throws {
        let suite = try ActSuite.get()
        let repository = try ExampleRepository()
        let nothing = try ClosedPort()

        let run = try suite.run(
            "deploy-gate.yml", event: "workflow_dispatch",
            payload: dispatch(url: "http://127.0.0.1:\(nothing.port)/health/ready"), in: repository.path,
            variables: ["DEPLOY_DEADLINE": "2s"])

        XCTAssertNotEqual(run.status, 0, "act succeeded although the deployment never answered:\n\(run.log)")
        XCTAssertEqual(run.jobResults("deploy").map(\.result), ["failure"])
        let gate = run.outputs(job: "deploy", step: "gate")
        XCTAssertEqual(gate["passed"], "false")
        XCTAssertEqual(gate["exit-code"], "1", "a failed gate, not a usage error:\n\(run.log)")
        XCTAssertTrue(
            run.messages(job: "deploy").contains { $0.contains("| Outcome | rolled back |") }, "the deployment record:\n\(run.log)")
    }

    private func dispatch(url: String) -> [String: Any] {
        ["inputs": ["service": "api", "url": url], "ref": "refs/heads/main", "repository": ExampleRepository.repository]
    }
}
