import Foundation
import TestSupport
import XCTest

/// workflows/gc.yml under act, and the install's cost once the tool cache is warm.
final class GCWorkflowTests: XCTestCase {
    func testScheduledGCRuns() throws {
        let suite = try ActSuite.get()
        let repository = try ExampleRepository()

        let run = try suite.run("gc.yml", event: "schedule", payload: schedule(), in: repository.path)

        XCTAssertEqual(run.status, 0, run.log)
        XCTAssertEqual(run.jobResults("gc").map(\.result), ["success"])
        XCTAssertEqual(run.outputs(job: "gc", step: "gc")["exit-code"], "0")
    }

    func testScheduledGCRemovesAnEnvironmentLeakedPastItsTTL() throws {
        let suite = try ActSuite.get()
        let repository = try ExampleRepository()
        let configuration = try String(contentsOfFile: repository.path + "/gantry.yml", encoding: .utf8)
        let shortLived = configuration.replacingOccurrences(of: "ttl: 1h", with: "ttl: 1s")
        XCTAssertNotEqual(shortLived, configuration, "the example's TTL changed; update this test")
        try repository.fixture.commit(files: ["gantry.yml": shortLived], message: "a one-second TTL")
        // The binary the workflows installed, to leak an environment as a killed runner would: up,
        // and never down.
        let first = try suite.run("gc.yml", event: "schedule", payload: schedule(), in: repository.path)
        XCTAssertEqual(first.status, 0, first.log)
        // The job's own copy of gantry went with its temporary directory: use the tool cache's.
        let version = try XCTUnwrap(first.outputs(job: "gc", step: "gc")["gantry-version"])
        let architecture = try runCommand("uname", ["-m"]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let gantry = suite.actionCache + "/tool_cache/gantry/\(version)/\(architecture == "aarch64" ? "aarch64" : "x86_64")/gantry"
        var environment = GitFixture.environment.filter { !$0.key.hasPrefix("GITHUB_") && !$0.key.hasPrefix("RUNNER_") && $0.key != "ACT" }
        environment["GANTRY_REGISTRY"] = suite.registry
        // Started by Foundation's Process, which waits until every copy of the pipe it watches is
        // closed: gantry passes its services no descriptor above 2, so the worker holds none.
        let up = try runCommand(gantry, ["env", "up", "--service", "worker"], in: repository.path, environment: environment)
        defer { _ = try? runCommand(gantry, ["env", "down"], in: repository.path, environment: environment) }
        XCTAssertEqual(up.status, 0, up.standardError)
        let leaked = suite.leftoverProcesses(under: repository.path)
        XCTAssertFalse(leaked.isEmpty, "env up started no worker process")
        sleep(for: .milliseconds(1500))

        let run = try suite.run("gc.yml", event: "schedule", payload: schedule(), in: repository.path)

        XCTAssertEqual(run.status, 0, run.log)
        XCTAssertEqual(suite.leftoverProcesses(under: repository.path), [], "gc left the expired environment's processes:\n\(run.log)")
    }

    /// The warm path is what every job after the first pays; printed so a regression is visible in
    /// the suite's output, asserted loosely because the machine may be busy.
    func testAWarmInstallTakesSeconds() throws {
        let suite = try ActSuite.get()
        let repository = try ExampleRepository()

        let first = try suite.run("gc.yml", event: "schedule", payload: schedule(), in: repository.path)
        let second = try suite.run("gc.yml", event: "schedule", payload: schedule(), in: repository.path)

        XCTAssertEqual(first.status, 0, first.log)
        XCTAssertEqual(second.status, 0, second.log)
        for install in first.installs where install.source == "build" {
            print("gantry install, cold (swift build from source): \(String(format: "%.1f", install.seconds)) s")
        }
        let warm = try XCTUnwrap(second.installs.first, "no install step in the log:\n\(second.log)")
        print("gantry install, warm (tool cache): \(String(format: "%.2f", warm.seconds)) s; the whole gc workflow: \(second.duration)")
        XCTAssertEqual(warm.source, "cache", "the second run rebuilt gantry instead of using the tool cache")
        XCTAssertLessThan(warm.seconds, 10, "a warm install should take seconds, not a build")
    }

    private func schedule() -> [String: Any] {
        ["schedule": "17 * * * *", "repository": ExampleRepository.repository]
    }
}
