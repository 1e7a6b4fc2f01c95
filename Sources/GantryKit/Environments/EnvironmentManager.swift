import Basics
import Config
import Foundation
import GitHubActions

/// Brings a run's environment up and down through its ledger: the one place that knows which
/// provider created what.
package struct EnvironmentManager: Sendable {
    /// The configuration.
    package var configuration: Configuration
    /// The repository's root.
    package var root: String
    /// Where ledgers are kept.
    package var store: LedgerStore
    /// The Actions context; nil outside Actions.
    package var context: ActionsContext?
    /// gantry's environment, passed on to what it starts.
    package var environment: [String: String]

    /// Creates a manager.
    package init(configuration: Configuration, root: String, store: LedgerStore, context: ActionsContext?, environment: [String: String]) {
        self.configuration = configuration
        self.root = root
        self.store = store
        self.context = context
        self.environment = environment
    }

    /// The name this run's environment gets.
    package var name: String {
        EnvironmentName.make(
            template: configuration.environment.nameTemplate, context: context, repositoryRoot: root, environment: environment)
    }

    /// Creates the environment of `services`. Refused when this run's environment is already up.
    /// - Parameters:
    ///   - awaitHealth: Waits for a service's health gates, for the process provider's start order;
    ///     returns why it is not healthy, or nil.
    ///   - awaitsEveryService: Whether the process provider returns only once every service has
    ///     passed its health gates (or, without any, is still alive after it started).
    package func up(
        services: [Service], awaitHealth: @escaping HealthWait = EnvironmentManager.noHealthWait, awaitsEveryService: Bool = false
    ) async throws(EnvironmentFailure) -> Ledger {
        let name = self.name
        if let existing = store.ledgers().first(where: { $0.name == name && $0.state != .down }) {
            throw EnvironmentFailure(
                message:
                    "environment \(name) is already \(existing.state == .up ? "up" : "partly up (\(existing.state.rawValue))"); run gantry env down first"
            )
        }
        let settings = configuration.environment
        if settings.provider != .process, let service = services.first(where: { $0.process?.servesPerRunCertificate(in: settings) == true })
        {
            throw EnvironmentFailure(
                message:
                    "per-run certificates (`tls: true` on `\(service.name)`) are made by the process provider only: a \(settings.provider.rawValue) environment serves certificates of its own; remove `tls: true` and give its checks `ca:`",
                service: service.name)
        }
        let now = Date()
        let ledger = Ledger(
            schema: Ledger.currentSchema, name: name, provider: settings.provider, run: context?.runKey, root: root, createdAt: now,
            expiresAt: now.addingTimeInterval(settings.timeToLive.inSeconds), state: .starting, resources: [], endpoints: [],
            composeFiles: [], downCommand: nil, commandTimeout: nil, gracePeriod: settings.stopGracePeriod.inSeconds)
        let journal = Journal(ledger, store: store)
        do {
            try journal.update { _ in }
        } catch {
            throw EnvironmentFailure(message: error.description)
        }
        let request = EnvironmentRequest(
            name: name, configuration: configuration, services: services, root: root,
            logDirectory: logDirectory(of: name), environment: environment)
        do {
            let endpoints = try await provider(for: settings.provider, awaitHealth: awaitHealth, awaitsEveryService: awaitsEveryService)
                .up(request, journal: journal)
            try? journal.update { ledger in
                ledger.endpoints = endpoints
                ledger.state = .up
            }
            return journal.ledger
        } catch {
            try? journal.update { $0.state = .failed }
            var failure = error
            failure.ledger = journal.ledger
            throw failure
        }
    }

    /// Where the logs of the environment `name` go: its services', and `gantry run`'s test command's.
    package func logDirectory(of name: String) -> String { store.stateDirectory.path + "/environments/\(name)" }

    /// What `down` did.
    package struct DownReport: Sendable {
        /// The environments removed.
        package var removed: [String]
        /// What could not be removed, in plain words; empty when all went.
        package var problems: [String]
        /// Said when there was nothing to do.
        package var note: String?
    }

    /// Removes this run's environments (or the one named), whatever state `up` left them in. Safe to
    /// repeat: with nothing to remove it succeeds with a note.
    package func down(named name: String? = nil) async -> DownReport {
        let ledgers = store.ledgers().filter { $0.state != .down && (name == nil || $0.name == name) }
        guard !ledgers.isEmpty else {
            return DownReport(removed: [], problems: [], note: "nothing to take down: no environment of this run is up")
        }
        var report = DownReport(removed: [], problems: [])
        for ledger in ledgers {
            let problems = await remove(ledger)
            if problems.isEmpty { report.removed.append(ledger.name) } else { report.problems += problems }
        }
        return report
    }

    /// Removes the environments of any run on this machine that are past their time to live, or,
    /// with `olderThan`, were created longer ago than that.
    package func collectGarbage(olderThan age: Duration? = nil, now: Date = Date()) async -> DownReport {
        let expired = store.registered().filter { ledger in
            guard ledger.state != .down else { return false }
            if let age { return now.timeIntervalSince(ledger.createdAt) > age.inSeconds }
            return ledger.expiresAt < now
        }
        guard !expired.isEmpty else { return DownReport(removed: [], problems: [], note: "no environment is past its time to live") }
        var report = DownReport(removed: [], problems: [])
        for ledger in expired {
            let problems = await remove(ledger)
            if problems.isEmpty { report.removed.append(ledger.name) } else { report.problems += problems }
        }
        return report
    }

    private func remove(_ ledger: Ledger) async -> [String] {
        let journal = Journal(ledger, store: store)
        let problems = await provider(for: ledger.provider, awaitHealth: EnvironmentManager.noHealthWait).down(ledger, journal: journal)
        if problems.isEmpty { try? journal.update { $0.state = .down } }
        return problems.map { "\(ledger.name): \($0)" }
    }

    private func provider(
        for kind: EnvironmentSettings.Provider, awaitHealth: @escaping HealthWait, awaitsEveryService: Bool = false
    ) -> any EnvironmentProvider {
        switch kind {
        case .process:
            return ProcessProvider(awaitHealth: awaitHealth, awaitsEveryService: awaitsEveryService)
        case .compose:
            return ComposeProvider(
                file: configuration.environment.composeFile ?? "docker-compose.yml", docker: environment["GANTRY_DOCKER"] ?? "docker",
                timeout: configuration.environment.composeTimeout)
        case .command:
            return CommandProvider(
                commands: configuration.environment.commands
                    ?? EnvironmentSettings.Commands(up: "true", down: "true", outputs: nil, timeout: .seconds(1800)))
        }
    }
}
