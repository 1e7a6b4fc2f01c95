/// What `env up`, `env down`, `env status` and `env gc` did, as recorded and as `--format json` prints it.
public struct EnvironmentDocument: Codable, Sendable, Equatable {
    /// The environment's name; empty when there was none.
    public var name: String
    /// The provider.
    public var provider: String
    /// `up`, `failed`, `down`, or `none` (there was no environment to act on).
    public var state: String
    /// Where its services answer.
    public var endpoints: [ServiceEndpoint]
    /// Each service's log file, for upload-artifact.
    public var logs: [String: String]
    /// The environments removed (down, gc).
    public var removed: [String]
    /// What went wrong, in plain words.
    public var problems: [String]
    /// The services that failed to start or to pass their gates, with the end of their logs.
    public var failures: [ServiceFailure]
    /// Anything worth saying, such as "nothing to take down".
    public var note: String?

    /// Creates a document.
    public init(
        name: String, provider: String, state: String, endpoints: [ServiceEndpoint] = [], logs: [String: String] = [:],
        removed: [String] = [], problems: [String] = [], failures: [ServiceFailure] = [], note: String? = nil
    ) {
        self.name = name
        self.provider = provider
        self.state = state
        self.endpoints = endpoints
        self.logs = logs
        self.removed = removed
        self.problems = problems
        self.failures = failures
        self.note = note
    }

    /// The document of a ledger.
    public init(_ ledger: Ledger) {
        var logs: [String: String] = [:]
        for resource in ledger.resources { if let service = resource.service, let log = resource.log { logs[service] = log } }
        self.init(name: ledger.name, provider: ledger.provider.rawValue, state: ledger.state.rawValue, endpoints: ledger.endpoints, logs: logs)
    }

    /// Whether it says nothing about an environment: a `down`, `gc` or `status` that found none.
    public var isNothingToReport: Bool { state == "none" && removed.isEmpty && problems.isEmpty }

    enum CodingKeys: String, CodingKey {
        case name, provider, state, endpoints, logs, removed, problems, failures, note
    }
}

/// A service that failed, and the end of its log.
public struct ServiceFailure: Codable, Sendable, Equatable {
    /// The service.
    public var service: String
    /// Its log file, when it has one.
    public var log: String?
    /// The log's last lines.
    public var tail: [String]

    /// Creates a failure.
    public init(service: String, log: String?, tail: [String]) {
        self.service = service
        self.log = log
        self.tail = tail
    }
}
