import Foundation
import TestSupport
import Testing

@testable import Basics
@testable import Config
@testable import GantryKit

/// The command provider with real shell commands as the user's `up`, `outputs` and `down`: what they
/// see, how their output becomes endpoints, and what a failure or a timeout leaves behind.
@Suite("Command provider", .serialized)
struct CommandProviderTests {
    let repository: TemporaryDirectory
    let state: TemporaryDirectory
    let registry: TemporaryDirectory

    init() throws {
        repository = try TemporaryDirectory(prefix: "gantry-command")
        state = try TemporaryDirectory(prefix: "gantry-command-state")
        registry = try TemporaryDirectory(prefix: "gantry-command-registry")
        try write(
            "outputs.sh",
            """
            echo '# azd env get-values'
            echo 'API_URL="http://127.0.0.1:1234"'
            echo "WEB_URL='http://127.0.0.1:5678/app'"
            echo 'a line that is no pair'
            echo '=no-key'
            echo 'NOT-A-KEY=http://127.0.0.1:1'
            echo 'WORKER_URL=http://127.0.0.1:9'

            """)
        try write("down.sh", "rm -f \"created-$GANTRY_ENVIRONMENT\"\necho \"$GANTRY_ENVIRONMENT\" >> downs\n")
    }

    func write(_ file: String, _ contents: String) throws {
        try contents.write(toFile: repository.url(file), atomically: true, encoding: .utf8)
    }

    func manager(up: String, timeout: String = "10s") throws -> EnvironmentManager {
        try write("up.sh", up)
        let yaml = """
            version: 1
            services:
              api: {paths: [api/**]}
              web: {paths: [web/**]}
            environment:
              provider: command
              command: {up: "sh up.sh", outputs: "sh outputs.sh", down: "sh down.sh", timeout: \(timeout)}

            """
        let configuration = try Configuration(parsing: yaml, file: "gantry.yml")
        return EnvironmentManager(
            configuration: configuration, root: repository.path,
            store: LedgerStore(stateDirectory: StateDirectory(path: state.path), registry: registry.path), context: nil,
            environment: ProcessInfo.processInfo.environment)
    }

    /// The environments `down.sh` was run for, one line per run.
    func downs() -> [String] {
        ((try? String(contentsOfFile: repository.url("downs"), encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    @Test("up runs with GANTRY_ENVIRONMENT set to the name, outputs become endpoints, down undoes up once")
    func upAndDown() async throws {
        let manager = try manager(up: "echo \"$GANTRY_ENVIRONMENT\" > \"created-$GANTRY_ENVIRONMENT\"\n")
        let ledger = try await manager.up(services: manager.configuration.services)
        let created = try String(contentsOfFile: repository.url("created-\(ledger.name)"), encoding: .utf8)
        #expect(created == ledger.name + "\n")
        #expect(
            ledger.endpoints == [
                ServiceEndpoint(service: "api", url: "http://127.0.0.1:1234"),
                ServiceEndpoint(service: "web", url: "http://127.0.0.1:5678/app"),
            ], "quotes stripped, junk and other services' lines ignored")
        #expect(ledger.endpoints.map(\.port) == [1234, 5678])

        let down = await manager.down()
        #expect(down.problems.isEmpty && down.removed == [ledger.name])
        #expect(!FileManager.default.fileExists(atPath: repository.url("created-\(ledger.name)")))
        let again = await manager.down()
        #expect(again.note == "nothing to take down: no environment of this run is up")
        #expect(downs() == [ledger.name], "down ran once, with the environment's name")
    }

    @Test("what up starts in the background runs until down, which stops it after the down command")
    func backgroundKeptUntilDown() async throws {
        let manager = try manager(up: "sleep 300 &\necho $! > background.pid\n")
        let ledger = try await manager.up(services: manager.configuration.services)
        let pid = try #require(
            pid_t(
                try String(contentsOfFile: repository.url("background.pid"), encoding: .utf8).trimmingCharacters(
                    in: .whitespacesAndNewlines)))
        let session = try #require(ledger.resources.first?.session, "the ledger records up's session")
        defer { killSession(session, environment: ledger.name) }
        try await Task.sleep(for: .milliseconds(300))
        #expect(sessionMembers(session, environment: ledger.name) == [pid], "the background server outlives up")
        let down = await manager.down()
        #expect(down.problems.isEmpty && down.removed == [ledger.name], "\(down.problems)")
        #expect(downs() == [ledger.name])
        #expect(sessionMembers(session, environment: ledger.name).isEmpty, "down stopped it")
    }

    @Test("up that fails reports the end of its output, and down still runs")
    func upFails() async throws {
        let manager = try manager(
            up: "echo 'creating resource group rg-ci'\necho 'ERROR: quota exceeded for Standard_D2s_v3' >&2\nexit 4\n")
        let failure = try #require(await manager.upFailure())
        #expect(failure.message == "the `up` command exited with 4")
        #expect(failure.logTail.suffix(2) == ["creating resource group rg-ci", "ERROR: quota exceeded for Standard_D2s_v3"])
        let down = await manager.down()
        #expect(down.problems.isEmpty)
        #expect(downs() == [try #require(failure.ledger?.name)], "what up created before it failed is removed")
    }

    @Test("up that runs past its timeout is killed with everything it started, and down still runs")
    func upTimesOut() async throws {
        let manager = try manager(
            up: "awk '{print $6}' /proc/$$/stat > up.session\nsleep 300 & sh -c 'sleep 300 & sleep 300' & sleep 300\n", timeout: "2s")
        let clock = ContinuousClock()
        let start = clock.now
        let failure = try #require(await manager.upFailure())
        let took = clock.now - start
        #expect(failure.message == "the `up` command did not finish within 2.0 s")
        #expect(took >= .seconds(2) && took < .seconds(8), "took \(took)")
        let session = try #require(
            pid_t(try String(contentsOfFile: repository.url("up.session"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))
        )
        let name = try #require(failure.ledger?.name)
        defer { killSession(session, environment: name) }
        #expect(sessionMembers(session, environment: name).isEmpty, "no sleep of the command's session is left")
        _ = await manager.down()
        #expect(downs().count == 1)
    }

    @Test("a failing down is reported, and the next down runs it again")
    func downFails() async throws {
        let manager = try manager(up: "true\n")
        let ledger = try await manager.up(services: manager.configuration.services)
        try write("down.sh", "echo \"$GANTRY_ENVIRONMENT\" >> downs\necho 'ERROR: resource group is locked' >&2\nexit 1\n")
        let failed = await manager.down()
        #expect(failed.problems == ["\(ledger.name): `sh down.sh` exited with 1: ERROR: resource group is locked"])
        try write("down.sh", "echo \"$GANTRY_ENVIRONMENT\" >> downs\n")
        let retried = await manager.down()
        #expect(retried.problems.isEmpty && retried.removed == [ledger.name])
        #expect(downs().count == 2)
    }
}
