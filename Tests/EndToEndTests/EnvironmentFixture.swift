import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A repository whose services the process provider runs, a state directory and a registry of its
/// own, and the real gantry binary started as the runner starts it: what the end-to-end tests of
/// `gantry run` and `gantry env` share.
final class EnvironmentFixture: @unchecked Sendable {
    static let server = "exec python3 -m http.server ${port} --bind 127.0.0.1"

    let repository: GitFixture
    let state: TemporaryDirectory
    let registry: TemporaryDirectory

    /// Commits a gantry.yml with four services: `forker` (children and grandchildren), `stubborn`
    /// (ignores SIGTERM), `db` (up after `dbDelay` seconds) and `api` (depends on `db`, checked by
    /// `apiHealth`). The stop grace period is 1 s.
    init(dbDelay: Int = 0, apiHealth: String = "\"${url}/\"", timeToLive: String = "1h", extraServices: String = "") throws {
        repository = try GitFixture()
        state = try TemporaryDirectory(prefix: "gantry-e2e-state")
        registry = try TemporaryDirectory(prefix: "gantry-e2e-registry")
        let yaml = """
            version: 1
            services:
              forker:
                paths: ["forker/**"]
                working_directory: "."
                run: "sleep 300 & sh -c 'sleep 300 & sleep 300' & \(Self.server)"
                health: ["${url}/"]
              stubborn:
                paths: ["stubborn/**"]
                working_directory: "."
                run: "trap '' TERM; \(Self.server)"
                health: ["${url}/"]
              db:
                paths: ["db/**"]
                working_directory: "."
                run: "sleep \(dbDelay); \(Self.server)"
                health: ["${url}/"]
              api:
                paths: ["api/**"]
                working_directory: "."
                depends_on: [db]
                run: "\(Self.server)"
                health: [\(apiHealth)]
            \(extraServices)
            environment: {grace: 1s, ttl: \(timeToLive)}
            gates: {interval: 100ms, max_interval: 200ms, deadline: 20s}

            """
        try repository.commit(files: ["gantry.yml": yaml, "api/app.py": "1"], message: "services")
    }

    /// The variables gantry runs with: no Actions, a registry of this test's own.
    var variables: [String: String] {
        var variables = GitFixture.environment.filter { !$0.key.hasPrefix("GITHUB_") && !$0.key.hasPrefix("RUNNER_") }
        variables["GANTRY_REGISTRY"] = registry.path
        return variables
    }

    /// A push to main at HEAD under Actions: its runner files, the variables gantry runs with there,
    /// and the state directory gantry then uses (under `RUNNER_TEMP`).
    func underActions() throws -> (actions: ActionsEnvironment, variables: [String: String], state: String) {
        let head = try repository.git("rev-parse", "HEAD")
        let actions = try ActionsEnvironment(
            eventName: "push", payload: ["before": head, "after": head, "ref": "refs/heads/main"], workspace: repository.path,
            sha: head)
        return (actions, variables.merging(actions.variables) { _, new in new }, actions.directory.url("gantry"))
    }

    /// Starts gantry with `arguments`; `--state-dir` is added unless `stateDirectory` is nil (Actions).
    func start(_ arguments: [String], stateDirectory: String? = "", variables: [String: String]? = nil) throws -> SpawnedProcess {
        let directory = stateDirectory == "" ? state.path : stateDirectory
        return try SpawnedProcess(
            try gantryExecutable(), arguments + (directory.map { ["--state-dir", $0] } ?? []), in: repository.path,
            environment: variables ?? self.variables)
    }

    /// Runs gantry to completion (at most a minute) and returns its exit status, output and errors.
    func gantry(_ arguments: [String], stateDirectory: String? = "", variables: [String: String]? = nil) async throws -> Finished {
        let process = try start(arguments, stateDirectory: stateDirectory, variables: variables)
        defer { process.stop() }
        let status = try #require(await process.wait(timeout: .seconds(60)), "gantry \(arguments) did not finish")
        return Finished(status: status, standardOutput: process.standardOutput, standardError: process.standardError)
    }

    /// How a gantry command ended.
    struct Finished {
        /// Its exit status.
        var status: Int32
        /// What it printed.
        var standardOutput: String
        /// What it printed to standard error.
        var standardError: String
    }

    /// The ledgers in a state directory (this fixture's by default), as JSON objects.
    func ledgers(in stateDirectory: String? = nil) -> [[String: Any]] {
        let directory = (stateDirectory ?? state.path) + "/environments"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.compactMap { name in
            FileManager.default.contents(atPath: directory + "/" + name).flatMap {
                try? JSONSerialization.jsonObject(with: $0) as? [String: Any]
            }
        }
    }

    /// The session of each service a ledger lists, by service.
    func sessions(in stateDirectory: String? = nil) -> [String: pid_t] {
        var sessions: [String: pid_t] = [:]
        for ledger in ledgers(in: stateDirectory) {
            for resource in ledger["resources"] as? [[String: Any]] ?? [] {
                if let service = resource["service"] as? String, let session = resource["session"] as? Int {
                    sessions[service] = pid_t(session)
                }
            }
        }
        return sessions
    }

    /// The logs of `services`, for a failure's message.
    func logs(of services: [String]) -> String {
        let ledgers = ledgers()
        return services.map { service in
            let resource = ledgers.flatMap { $0["resources"] as? [[String: Any]] ?? [] }.first { $0["service"] as? String == service }
            let log = (resource?["log"] as? String).flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? "(no log)"
            return "\(service): \(log)"
        }.joined(separator: "\n")
    }

    /// The living processes of `service`'s session, recognised by the environment's marker.
    func members(of service: String, in stateDirectory: String? = nil) -> [pid_t] {
        guard let session = sessions(in: stateDirectory)[service], let name = ledgers(in: stateDirectory).first?["name"] as? String else {
            return []
        }
        return sessionMembers(session, environment: name)
    }

    /// The state of the first ledger: `starting`, `up`, `failed` or `down`.
    func ledgerState(in stateDirectory: String? = nil) -> String? { ledgers(in: stateDirectory).first?["state"] as? String }

    /// Polls until `condition` holds, for at most `timeout`; false if it never did.
    func waitUntil(_ timeout: Duration = .seconds(15), _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }

    /// Expects no living process in any session the ledgers (of this fixture's state directory and
    /// `others`) or `extra` name, then kills whatever is left, so that a failed test leaves nothing.
    func expectNoStrays(others: [String] = [], extra: [pid_t] = [], sourceLocation: SourceLocation = #_sourceLocation) {
        let directories: [String?] = [nil] + others
        var marked: [(session: pid_t, environment: String?)] = extra.map { ($0, nil) }
        for directory in directories {
            let name = ledgers(in: directory).first?["name"] as? String
            marked += sessions(in: directory).values.map { ($0, name) }
        }
        for (session, environment) in marked {
            let members = sessionMembers(session, environment: environment)
            #expect(members.isEmpty, "session \(session) left \(members)", sourceLocation: sourceLocation)
            killSession(session, environment: environment)
        }
    }
}
