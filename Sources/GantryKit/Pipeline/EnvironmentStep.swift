import Foundation
import Basics
import GitHubActions

/// `gantry env up`, `down`, `status` and `gc`.
package struct EnvironmentStep {
    /// What to do.
    package enum Action: Sendable {
        /// Bring up the environment of these services (all when empty).
        case up([String])
        /// Take down this run's environment (or the one named).
        case down(String?)
        /// Show this run's environments.
        case status
        /// Remove environments past their time to live, or older than a duration.
        case collectGarbage(olderThan: Duration?)
    }

    /// Where the repository and its configuration are.
    package var workspace: Workspace
    /// What to do.
    package var action: Action
    /// How to report.
    package var options: ReportOptions
    /// The Actions context; nil outside Actions.
    package var context: ActionsContext?
    /// The process environment.
    package var environment: [String: String]

    /// Creates the step.
    package init(workspace: Workspace, action: Action, options: ReportOptions, context: ActionsContext?, environment: [String: String]) {
        self.workspace = workspace
        self.action = action
        self.options = options
        self.context = context
        self.environment = environment
    }

    /// Does it, records it, reports it. `up` stops on the first signal and takes down what it made.
    package func run() async throws(GantryError) -> StepOutcome {
        let reporter = options.reporter(context: context, workspace: workspace)
        let command = "env " + name
        let manager: EnvironmentManager
        do {
            manager = try makeManager(reporter: reporter)
        } catch {
            return StepOutcome(failure: error, command: command, reporter: reporter)
        }
        let document: EnvironmentDocument
        var exitCode = ExitStatus.success
        var findings: [Finding] = []
        switch action {
        case .up(let names):
            let services: [Service]
            do {
                services = try EnvironmentServices.select(names, in: manager.configuration)
            } catch {
                return StepOutcome(failure: error, command: command, reporter: reporter)
            }
            let environment = self.environment
            (document, exitCode) = await SignalTrap.run { () async -> (EnvironmentDocument, Int32) in
                await Self.upOrTakeDown(services, manager: manager, environment: environment)
            }
            if exitCode != ExitStatus.success {
                findings.append(Finding(rule: .environmentStartFailed, message: document.problems.joined(separator: "; ")))
            }
        case .down(let name):
            let report = await manager.down(named: name)
            // What was taken down, with the URLs it had, so that the summary keeps saying where it ran.
            let removed = manager.store.ledgers().first { $0.name == report.removed.first }
            var taken = removed.map(EnvironmentDocument.init) ?? EnvironmentDocument(
                name: name ?? "", provider: manager.configuration.environment.provider.rawValue, state: .none)
            taken.state = !report.problems.isEmpty ? .failed : report.removed.isEmpty ? EnvironmentState.none : .down
            taken.removed = report.removed
            taken.problems = report.problems
            taken.note = report.note
            document = taken
            if !report.problems.isEmpty {
                exitCode = ExitStatus.failure
                findings.append(Finding(rule: .environmentTeardownFailed, message: report.problems.joined(separator: "; ")))
            }
        case .status:
            let ledgers = manager.store.ledgers()
            document = ledgers.first.map(EnvironmentDocument.init) ?? EnvironmentDocument(
                name: "", provider: manager.configuration.environment.provider.rawValue, state: .none, note: "no environment of this run")
        case .collectGarbage(let age):
            let report = await manager.collectGarbage(olderThan: age)
            let state: EnvironmentState = !report.problems.isEmpty ? .failed : report.removed.isEmpty ? .none : .down
            document = EnvironmentDocument(
                name: "", provider: manager.configuration.environment.provider.rawValue, state: state,
                removed: report.removed, problems: report.problems, note: report.note)
            if !report.problems.isEmpty {
                exitCode = ExitStatus.failure
                findings.append(Finding(rule: .environmentTeardownFailed, message: report.problems.joined(separator: "; ")))
            }
        }
        let report = EnvironmentReport(document)
        var outcome = StepOutcome()
        outcome.exitCode = exitCode
        outcome.workflowCommands = try reporter.finish(
            Record(command: command, exitCode: exitCode, environment: document), findings: findings,
            outputs: report.stepOutputs(), variables: report.environmentVariables())
        let text = options.json ? report.json() : report.text()
        outcome.print(report: text, isJSON: options.json, context: context)
        return outcome
    }

    private var name: String {
        switch action {
        case .up: "up"
        case .down: "down"
        case .status: "status"
        case .collectGarbage: "gc"
        }
    }

    private func makeManager(reporter: Reporter) throws(GantryError) -> EnvironmentManager {
        let configuration = try workspace.loadConfiguration()
        return EnvironmentManager(
            configuration: configuration, root: workspace.root,
            store: LedgerStore(stateDirectory: reporter.stateDirectory, registry: LedgerStore.registry(environment: environment)),
            context: context, environment: environment)
    }

    /// What `up` came to.
    struct UpOutcome: Sendable {
        /// What to report.
        var document: EnvironmentDocument
        /// 0 up, 1 failed, 130 stopped by a signal.
        var exitCode: Int32
        /// The environment a failure or a signal left behind, for the caller to take down; nil when
        /// it is up, or when nothing was created (a refused second `up` must leave the first alone).
        var leftover: String?
    }

    /// Brings the environment up. A signal that comes after the last part was created still ends
    /// the run: the environment is then a leftover too.
    static func up(_ services: [Service], manager: EnvironmentManager, environment: [String: String], awaitsEveryService: Bool) async -> UpOutcome {
        let stopped = "stopped by a signal"
        do {
            let ledger = try await manager.up(
                services: services, awaitHealth: HealthWaiter.waiter(configuration: manager.configuration, root: manager.root, environment: environment),
                awaitsEveryService: awaitsEveryService)
            var document = EnvironmentDocument(ledger)
            guard Task.isCancelled else { return UpOutcome(document: document, exitCode: ExitStatus.success) }
            document.state = .failed
            document.problems = [stopped]
            return UpOutcome(document: document, exitCode: ExitStatus.cancelled, leftover: ledger.name)
        } catch {
            let cancelled = Task.isCancelled
            var document = error.ledger.map(EnvironmentDocument.init) ?? EnvironmentDocument(
                name: manager.name, provider: manager.configuration.environment.provider.rawValue, state: .failed)
            document.state = .failed
            document.problems = [cancelled ? stopped : error.message]
            if let service = error.service {
                document.failures = [ServiceFailure(service: service, log: error.logPath, tail: error.logTail)]
            }
            return UpOutcome(document: document, exitCode: cancelled ? ExitStatus.cancelled : ExitStatus.failure, leftover: error.ledger?.name)
        }
    }

    /// `up` as `gantry env up` runs it: up once every service passed its health gates; on failure
    /// or a signal, what was created is taken down before it returns.
    static func upOrTakeDown(_ services: [Service], manager: EnvironmentManager, environment: [String: String]) async -> (EnvironmentDocument, Int32) {
        let outcome = await up(services, manager: manager, environment: environment, awaitsEveryService: true)
        guard let name = outcome.leftover else { return (outcome.document, outcome.exitCode) }
        // Teardown must not be cut short by the cancellation that may have caused it.
        let down = await Task.detached { await manager.down(named: name) }.value
        var document = outcome.document
        document.problems += down.problems.isEmpty ? ["what was started has been taken down"] : down.problems
        return (document, outcome.exitCode)
    }
}

/// Which services an environment gets.
enum EnvironmentServices {
    /// The named services (all when none are named) and everything they depend on.
    static func select(_ names: [String], in configuration: Configuration) throws(GantryError) -> [Service] {
        var chosen = Set<String>()
        for service in try configuration.services(named: names) {
            chosen.insert(service.name)
            chosen.formUnion(configuration.serviceDependencies(of: service))
        }
        return names.isEmpty ? configuration.services : configuration.services.filter { chosen.contains($0.name) }
    }
}
