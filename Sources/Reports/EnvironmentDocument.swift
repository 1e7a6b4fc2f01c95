import GantryKit

/// What `env up`, `env down`, `env status` and `env gc` did, as recorded and as `--format json` prints it.
package struct EnvironmentDocument: Codable, Sendable, Equatable {
    /// The environment's name; empty when there was none.
    package var name: String
    /// The provider.
    package var provider: String
    /// `up`, `failed`, `down`, or `none` (there was no environment to act on).
    package var state: EnvironmentState
    /// Where its services answer.
    package var endpoints: [ServiceEndpoint]
    /// Each service's log file, for upload-artifact.
    package var logs: [String: String]
    /// The environments removed (down, gc).
    package var removed: [String]
    /// What went wrong, in plain words.
    package var problems: [String]
    /// The services that failed to start or to pass their gates, with the end of their logs.
    package var failures: [ServiceFailure]
    /// Anything worth saying, such as "nothing to take down".
    package var note: String?
    /// The bundle a client trusts to verify the services' per-run certificates (the system's
    /// roots plus the environment's authority), while the environment is up and one serves TLS:
    /// a later step's `SSL_CERT_FILE`.
    package var caBundle: String?

    /// Creates a document.
    package init(
        name: String, provider: String, state: EnvironmentState, endpoints: [ServiceEndpoint] = [], logs: [String: String] = [:],
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
    package init(_ ledger: Ledger) {
        var logs: [String: String] = [:]
        for resource in ledger.resources { if let service = resource.service, let log = resource.log { logs[service] = log } }
        self.init(name: ledger.name, provider: ledger.provider.rawValue, state: ledger.state, endpoints: ledger.endpoints, logs: logs)
        if ledger.state == .up { caBundle = PerRunCertificates(of: ledger.endpoints)?.trustFile }
    }

    /// The document of what `up` came to: the environment as it was left, and why it is not up.
    package init(_ outcome: EnvironmentManager.UpOutcome, name: String, provider: String) {
        self = outcome.ledger.map(EnvironmentDocument.init) ?? EnvironmentDocument(name: name, provider: provider, state: .failed)
        guard let failure = outcome.failure else { return }
        state = .failed
        caBundle = nil
        problems = [failure.message]
        if let service = failure.service {
            failures = [ServiceFailure(service: service, log: failure.logPath, tail: failure.logTail)]
        }
    }

    /// The document of a `down` or `gc`: the environment taken down (`ledger`, when there was one)
    /// and what could not be removed.
    package init(_ report: EnvironmentManager.DownReport, of ledger: Ledger?, name: String, provider: String) {
        self = ledger.map(EnvironmentDocument.init) ?? EnvironmentDocument(name: name, provider: provider, state: .none)
        state = !report.problems.isEmpty ? .failed : report.removed.isEmpty ? .none : .down
        removed = report.removed
        problems = report.problems
        note = report.note
    }

    /// Whether it says nothing about an environment: a `down`, `gc` or `status` that found none.
    package var isNothingToReport: Bool { state == .none && removed.isEmpty && problems.isEmpty }

    enum CodingKeys: String, CodingKey {
        case name, provider, state, endpoints, logs, removed, problems, failures, note
        case caBundle = "ca_bundle"
    }
}

/// A service that failed, and the end of its log.
package struct ServiceFailure: Codable, Sendable, Equatable {
    /// The service.
    package var service: String
    /// Its log file, when it has one.
    package var log: String?
    /// The log's last lines.
    package var tail: [String]

    /// Creates a failure.
    package init(service: String, log: String?, tail: [String]) {
        self.service = service
        self.log = log
        self.tail = tail
    }
}
