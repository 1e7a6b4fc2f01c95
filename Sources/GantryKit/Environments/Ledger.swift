import Basics
import Config
import Foundation

/// What an environment is made of, written down before each part is created and again after, so
/// that `env down`, a later job's `env gc`, or a rerun after gantry was killed finds everything.
package struct Ledger: Codable, Sendable, Equatable {
    /// The schema this build writes.
    package static let currentSchema = 1

    /// Where the environment is in its life.
    /// One part of the environment.
    package struct Resource: Codable, Sendable, Equatable {
        /// `planned` before it is created, `created` after, `removed` once `down` removed it.
        package enum Status: String, Codable, Sendable { case planned, created, removed }

        /// `process`, `compose` or `command`.
        package var kind: String
        /// The service it runs, for processes.
        package var service: String?
        /// Where it stands.
        package var status: Status
        /// For processes: the session id (the command's process id).
        package var session: Int32?
        /// For processes: the log file.
        package var log: String?
        /// For processes: the port it listens on.
        package var port: Int?
    }

    /// The schema the ledger was written with.
    package var schema: Int
    /// The environment's name.
    package var name: String
    /// The provider that created it.
    package var provider: EnvironmentSettings.Provider
    /// The run it belongs to (`RUN_ID-ATTEMPT-JOB`), or nil outside Actions.
    package var run: String?
    /// The repository's root, where its commands run.
    package var root: String
    /// When `up` began.
    package var createdAt: Date
    /// When `gc` may remove it.
    package var expiresAt: Date
    /// Where it stands.
    package var state: EnvironmentState
    /// Its parts, in the order they were created.
    package var resources: [Resource]
    /// Where its services answer.
    package var endpoints: [ServiceEndpoint]
    /// For the compose provider: the files `down` must name, as `up` did.
    package var composeFiles: [String]
    /// For the command provider: the `down` command and its timeout in seconds.
    package var downCommand: String?
    /// The command provider's timeout, in seconds.
    package var commandTimeout: Double?
    /// The stop grace period, in seconds.
    package var gracePeriod: Double

    enum CodingKeys: String, CodingKey {
        case schema, name, provider, run, root, createdAt = "created_at", expiresAt = "expires_at", state, resources, endpoints
        case composeFiles = "compose_files", downCommand = "down_command", commandTimeout = "command_timeout", gracePeriod = "grace_period"
    }
}

/// Where ledgers are kept: the run's state directory, and a machine-wide registry so that `gc` on a
/// self-hosted runner finds the environments of runs whose state directory is gone.
package struct LedgerStore: Sendable {
    /// The run's state directory.
    package var stateDirectory: StateDirectory
    /// The machine-wide registry directory.
    package var registry: String

    /// The registry: `$GANTRY_REGISTRY`, else `$XDG_STATE_HOME/gantry/environments`, else `~/.local/state/gantry/environments`.
    package static func registry(environment: [String: String]) -> String {
        if let explicit = environment["GANTRY_REGISTRY"], !explicit.isEmpty { return explicit }
        let base =
            environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        return base + "/gantry/environments"
    }

    /// Creates a store.
    package init(stateDirectory: StateDirectory, registry: String) {
        self.stateDirectory = stateDirectory
        self.registry = registry
    }

    private var directory: String { stateDirectory.path + "/environments" }

    /// Writes the ledger to both places, atomically. The state directory's copy must be written; the
    /// registry's is best effort (it only helps `gc`).
    package func save(_ ledger: Ledger) throws(GantryError) {
        let text = JSON.encode(ledger, pretty: true)
        _ = try stateDirectory.saveFile(named: "environments/\(ledger.name).json", contents: text)
        if ledger.state == .down {
            try? FileManager.default.removeItem(atPath: registry + "/\(ledger.name).json")
        } else {
            try? AtomicFile.write(text, to: registry + "/\(ledger.name).json", what: "the environment registry")
        }
    }

    /// The run's ledgers, newest first.
    package func ledgers() -> [Ledger] { Self.read(directory) }

    /// Every ledger in the registry, of any run on this machine.
    package func registered() -> [Ledger] { Self.read(registry) }

    private static func read(_ directory: String) -> [Ledger] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.compactMap { name in
            FileManager.default.contents(atPath: directory + "/" + name).flatMap { JSON.decode(Ledger.self, from: $0) }
        }
        .filter { $0.schema <= Ledger.currentSchema }
        .sorted { $0.createdAt > $1.createdAt }
    }
}
