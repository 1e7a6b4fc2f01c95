import Foundation

/// What an environment is made of, written down before each part is created and again after, so
/// that `env down`, a later job's `env gc`, or a rerun after gantry was killed finds everything.
public struct Ledger: Codable, Sendable, Equatable {
    /// The schema this build writes.
    public static let currentSchema = 1

    /// Where the environment is in its life.
    public enum State: String, Codable, Sendable {
        /// `up` is creating it.
        case starting
        /// It is up.
        case up
        /// `up` failed; parts of it may exist until `down`.
        case failed
        /// It is gone.
        case down
    }

    /// One part of the environment.
    public struct Resource: Codable, Sendable, Equatable {
        /// `planned` before it is created, `created` after, `removed` once `down` removed it.
        public enum Status: String, Codable, Sendable { case planned, created, removed }

        /// `process`, `compose` or `command`.
        public var kind: String
        /// The service it runs, for processes.
        public var service: String?
        /// Where it stands.
        public var status: Status
        /// For processes: the session id (the command's process id).
        public var session: Int32?
        /// For processes: the log file.
        public var log: String?
        /// For processes: the port it listens on.
        public var port: Int?
    }

    /// The schema the ledger was written with.
    public var schema: Int
    /// The environment's name.
    public var name: String
    /// The provider that created it.
    public var provider: EnvironmentSettings.Provider
    /// The run it belongs to (`RUN_ID-ATTEMPT-JOB`), or nil outside Actions.
    public var run: String?
    /// The repository's root, where its commands run.
    public var root: String
    /// When `up` began.
    public var createdAt: Date
    /// When `gc` may remove it.
    public var expiresAt: Date
    /// Where it stands.
    public var state: State
    /// Its parts, in the order they were created.
    public var resources: [Resource]
    /// Where its services answer.
    public var endpoints: [ServiceEndpoint]
    /// For the compose provider: the files `down` must name, as `up` did.
    public var composeFiles: [String]
    /// For the command provider: the `down` command and its timeout in seconds.
    public var downCommand: String?
    /// The command provider's timeout, in seconds.
    public var commandTimeout: Double?
    /// The stop grace period, in seconds.
    public var gracePeriod: Double

    enum CodingKeys: String, CodingKey {
        case schema, name, provider, run, root, createdAt = "created_at", expiresAt = "expires_at", state, resources, endpoints
        case composeFiles = "compose_files", downCommand = "down_command", commandTimeout = "command_timeout", gracePeriod = "grace_period"
    }
}

/// Where ledgers are kept: the run's state directory, and a machine-wide registry so that `gc` on a
/// self-hosted runner finds the environments of runs whose state directory is gone.
public struct LedgerStore: Sendable {
    /// The run's state directory.
    public var stateDirectory: StateDirectory
    /// The machine-wide registry directory.
    public var registry: String

    /// The registry: `$GANTRY_REGISTRY`, else `$XDG_STATE_HOME/gantry/environments`, else `~/.local/state/gantry/environments`.
    public static func registry(environment: [String: String]) -> String {
        if let explicit = environment["GANTRY_REGISTRY"], !explicit.isEmpty { return explicit }
        let base = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        return base + "/gantry/environments"
    }

    /// Creates a store.
    public init(stateDirectory: StateDirectory, registry: String) {
        self.stateDirectory = stateDirectory
        self.registry = registry
    }

    private var directory: String { stateDirectory.path + "/environments" }

    /// Writes the ledger to both places, atomically. The state directory's copy must be written; the
    /// registry's is best effort (it only helps `gc`).
    public func save(_ ledger: Ledger) throws(GantryError) {
        let text = JSON.encode(ledger, pretty: true)
        _ = try stateDirectory.saveFile(named: "environments/\(ledger.name).json", contents: text)
        if ledger.state == .down {
            try? FileManager.default.removeItem(atPath: registry + "/\(ledger.name).json")
        } else {
            try? AtomicFile.write(text, to: registry + "/\(ledger.name).json", what: "the environment registry")
        }
    }

    /// The run's ledgers, newest first.
    public func ledgers() -> [Ledger] { Self.read(directory) }

    /// Every ledger in the registry, of any run on this machine.
    public func registered() -> [Ledger] { Self.read(registry) }

    private static func read(_ directory: String) -> [Ledger] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.compactMap { name in
            FileManager.default.contents(atPath: directory + "/" + name).flatMap { JSON.decode(Ledger.self, from: $0) }
        }
        .filter { $0.schema <= Ledger.currentSchema }
        .sorted { $0.createdAt > $1.createdAt }
    }
}
