import Basics
import Config
import Foundation
import GantryKit
import GitHubActions
import Reports

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
        let provider = manager.configuration.environment.provider.rawValue
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
            document = EnvironmentDocument(report, of: removed, name: name ?? "", provider: provider)
        case .status:
            let ledgers = manager.store.ledgers()
            document =
                ledgers.first.map(EnvironmentDocument.init)
                ?? EnvironmentDocument(
                    name: "", provider: provider, state: .none, note: "no environment of this run")
        case .collectGarbage(let age):
            document = EnvironmentDocument(await manager.collectGarbage(olderThan: age), of: nil, name: "", provider: provider)
        }
        if takesDown, !document.problems.isEmpty {
            exitCode = ExitStatus.failure
            findings.append(Finding(rule: .environmentTeardownFailed, message: document.problems.joined(separator: "; ")))
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

    /// Whether the action removes environments (`down`, `gc`), so that what it could not remove fails it.
    private var takesDown: Bool {
        switch action {
        case .down, .collectGarbage: true
        case .up, .status: false
        }
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

    /// `up` as `gantry env up` runs it: up once every service passed its health gates; on failure
    /// or a signal, what was created is taken down before it returns.
    static func upOrTakeDown(_ services: [Service], manager: EnvironmentManager, environment: [String: String]) async -> (
        EnvironmentDocument, Int32
    ) {
        let outcome = await manager.upUnlessCancelled(
            services, awaitHealth: HealthWaiter.waiter(configuration: manager.configuration, root: manager.root, environment: environment),
            awaitsEveryService: true)
        var document = EnvironmentDocument(outcome, name: manager.name, provider: manager.configuration.environment.provider.rawValue)
        guard let name = outcome.leftover else { return (document, outcome.exitCode) }
        // Teardown must not be cut short by the cancellation that may have caused it.
        let down = await Task.detached { await manager.down(named: name) }.value
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
