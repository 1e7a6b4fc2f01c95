import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `gantry env` with the real binary: its outputs under Actions, a refused second `up`, `down` with
/// nothing up, recovery after gantry is killed, and `gc` past the time to live.
@Suite("gantry env, end to end", .serialized)
struct EnvCommandTests {
    @Test("under Actions, env up writes the name, each URL and the logs as outputs, and exports <SERVICE>_URL")
    func actionsOutputs() async throws {
        let fixture = try EnvironmentFixture()
        let (actions, variables, state) = try fixture.underActions()
        defer { fixture.expectNoStrays(others: [state]) }

        let up = try await fixture.gantry(["env", "up", "--service", "api"], stateDirectory: nil, variables: variables)
        #expect(up.status == 0, "\(up.standardOutput)\(up.standardError)")
        let outputs = actions.outputs
        let name = try #require(outputs["environment"])
        #expect(name.wholeMatch(of: /gantry-1234-1-build-[0-9a-f]{6}/) != nil, "\(name)")
        #expect(Set(fixture.sessions(in: state).keys) == ["api", "db"], "api and what it depends on")
        #expect(outputs["api-url"]?.hasPrefix("http://127.0.0.1:") == true)
        #expect(outputs["db-url"]?.hasPrefix("http://127.0.0.1:") == true)
        #expect(outputs["logs"] == state + "/environments/\(name)")
        let exported = ActionsEnvironment.parseFileCommands(try String(contentsOfFile: actions.directory.url("env"), encoding: .utf8))
        #expect(exported["API_URL"] == outputs["api-url"])
        #expect(exported["DB_URL"] == outputs["db-url"])
        #expect(exported["GANTRY_ENVIRONMENT"] == name)

        let second = try await fixture.gantry(["env", "up"], stateDirectory: nil, variables: variables)
        #expect(second.status == 1)
        #expect((second.standardOutput + second.standardError).contains("environment \(name) is already up; run gantry env down first"))
        #expect(
            ["api", "db"].allSatisfy { !fixture.members(of: $0, in: state).isEmpty }, "the refused up leaves the first environment running")

        let down = try await fixture.gantry(["env", "down"], stateDirectory: nil, variables: variables)
        #expect(down.status == 0, "\(down.standardOutput)\(down.standardError)")
        #expect(["api", "db"].allSatisfy { fixture.members(of: $0, in: state).isEmpty })
        let again = try await fixture.gantry(["env", "down"], stateDirectory: nil, variables: variables)
        #expect(again.status == 0)
        #expect(again.standardOutput.contains("nothing to take down"), "\(again.standardOutput)")
    }

    @Test("env down names what it took down with its URLs, and a second down does not erase them from the summary")
    func summaryAfterDown() async throws {
        let fixture = try EnvironmentFixture()
        defer { fixture.expectNoStrays() }
        let up = try await fixture.gantry(["env", "up", "--service", "db"])
        #expect(up.status == 0, "\(up.standardOutput)\(up.standardError)")
        let url = try #require((fixture.ledgers().first?["endpoints"] as? [[String: Any]])?.first?["url"] as? String)
        for _ in 0..<2 {
            let down = try await fixture.gantry(["env", "down"])
            #expect(down.status == 0, "\(down.standardOutput)\(down.standardError)")
        }
        let file = fixture.state.url("summary.md")
        _ = try await fixture.gantry(["summary", "--summary-file", file])
        let summary = try String(contentsOfFile: file, encoding: .utf8)
        #expect(summary.contains(url) && summary.contains(": down"), "\(summary)")
        #expect(!summary.contains("nothing to take down"), "\(summary)")
    }

    @Test("env up does not report up a service that exited after it started, with health gates or without", arguments: [true, false])
    func upWaitsForEveryService(gated: Bool) async throws {
        let dies = """
              dies:
                paths: ["dies/**"]
                working_directory: "."
                run: "sleep 0.05; echo 'fatal: no config' >&2; exit 1"
                \(gated ? "health: [\"${url}/\"]" : "")
            """
        let fixture = try EnvironmentFixture(extraServices: dies)
        defer { fixture.expectNoStrays() }
        let up = try await fixture.gantry(["env", "up", "--service", "dies", "--service", "db"])
        #expect(up.status == 1, "\(up.standardOutput)\(up.standardError)")
        #expect(up.standardOutput.contains("`dies` exited"), "\(up.standardOutput)")
        #expect(up.standardOutput.contains("fatal: no config"), "the end of its log")
        #expect(fixture.ledgerState() == "down", "what started was taken down")
    }

    @Test("gate fails at once for a service whose recorded process is gone, rather than at its deadline")
    func gateOnExitedService() async throws {
        let fixture = try EnvironmentFixture()
        defer { fixture.expectNoStrays() }
        let up = try await fixture.gantry(["env", "up", "--service", "db"])
        #expect(up.status == 0, "\(up.standardOutput)\(up.standardError)")
        let session = try #require(fixture.sessions()["db"])
        let name = try #require(fixture.ledgers().first?["name"] as? String)
        killSession(session, environment: name)
        let clock = ContinuousClock()
        let start = clock.now
        let gate = try await fixture.gantry(["gate", "--service", "db"])
        let took = clock.now - start
        #expect(gate.status == 1, "\(gate.standardOutput)\(gate.standardError)")
        #expect(gate.standardOutput.contains("`db` exited"), "\(gate.standardOutput)")
        #expect(took < .seconds(5), "the 20 s deadline was waited out: \(took)")
        _ = try await fixture.gantry(["env", "down"])
    }

    @Test("after kill -9 of gantry, env down finds and removes everything through the ledger", arguments: ["env up", "run"])
    func killed(command: String) async throws {
        let fixture = try EnvironmentFixture(
            dbDelay: command == "env up" ? 30 : 0, apiHealth: command == "run" ? "{http: \"${url}/never\", deadline: 60s}" : "\"${url}/\"")
        defer { fixture.expectNoStrays() }
        let gantry = try fixture.start(command == "run" ? ["run", "--always"] : ["env", "up"])
        defer { gantry.stop() }
        // `env up` is killed while it waits for db's health, `run` while its gates run.
        let reached = await fixture.waitUntil {
            command == "run" ? fixture.ledgerState() == "up" : fixture.sessions()["db"] != nil && fixture.sessions().count >= 3
        }
        try #require(reached, "\(gantry.standardOutput)\(gantry.standardError)")
        try await Task.sleep(for: .milliseconds(300))
        gantry.send(SIGKILL)
        #expect(await gantry.wait(timeout: .seconds(5)) == 128 + SIGKILL)
        let sessions = fixture.sessions()
        let gone = sessions.keys.filter { fixture.members(of: $0).isEmpty }.sorted()
        #expect(sessions.count >= 3 && gone.isEmpty, "the services outlive gantry; gone: \(fixture.logs(of: gone))")

        let down = try await fixture.gantry(["env", "down"])
        #expect(down.status == 0, "\(down.standardOutput)\(down.standardError)")
        #expect(fixture.ledgerState() == "down")
    }

    @Test("env gc of another run removes an environment past its time to live")
    func garbageCollection() async throws {
        // Long enough that a loaded machine finishes `up` and the first gc well inside it.
        let fixture = try EnvironmentFixture(timeToLive: "10s")
        let otherRun = try TemporaryDirectory(prefix: "gantry-e2e-other")
        defer { fixture.expectNoStrays() }
        let beforeUp = Date()
        let up = try await fixture.gantry(["env", "up"])
        #expect(up.status == 0, "\(up.standardOutput)\(up.standardError)")
        let ledger = try #require(fixture.ledgers().first)
        let name = try #require(ledger["name"] as? String)
        let expires = try #require((ledger["expires_at"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) })
        // Recorded in whole seconds: its creation plus the time to live, a second either way.
        #expect(expires >= beforeUp + 9 && expires <= Date() + 11, "expires \(expires), up ran from \(beforeUp)")
        let young = try await fixture.gantry(["env", "gc"], stateDirectory: otherRun.path)
        #expect(young.standardOutput.contains("no environment is past its time to live"), "\(young.standardOutput)")
        #expect(fixture.sessions().keys.allSatisfy { !fixture.members(of: $0).isEmpty })

        // The ledger's expiry is in whole seconds; past it by more than one, gc must see it expired.
        try await Task.sleep(for: .seconds(max(0, expires.timeIntervalSinceNow) + 1.1))
        let gc = try await fixture.gantry(["env", "gc"], stateDirectory: otherRun.path)
        #expect(gc.status == 0, "\(gc.standardOutput)\(gc.standardError)")
        #expect(gc.standardOutput.contains(name), "\(gc.standardOutput)")
        #expect(fixture.sessions().keys.allSatisfy { fixture.members(of: $0).isEmpty })
        #expect(!FileManager.default.fileExists(atPath: fixture.registry.url("\(name).json")), "gone from the registry")
    }
}
