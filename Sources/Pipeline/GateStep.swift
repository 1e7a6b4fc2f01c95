import Basics
import Foundation
import GantryKit
import GitHubActions
import Reports

/// `gantry gate`: the health, smoke and latency gates of the configured services, or one ad hoc check.
package struct GateStep {
    /// What to gate.
    package enum Target: Sendable {
        /// The configured gates of these services (all with gates when empty), reached at these URLs
        /// (`--url NAME=URL`), else as the environment recorded them.
        case services([String], urls: [String: String])
        /// One check from the command line.
        case check(any AdHocCheck)
    }

    /// Where the repository and its configuration are.
    package var workspace: Workspace
    /// What to gate.
    package var target: Target
    /// How to report.
    package var options: ReportOptions
    /// The Actions context; nil outside Actions.
    package var context: ActionsContext?
    /// The process environment, for `${env.NAME}` and commands.
    package var environment: [String: String]

    /// Creates the step.
    package init(workspace: Workspace, target: Target, options: ReportOptions, context: ActionsContext?, environment: [String: String]) {
        self.workspace = workspace
        self.target = target
        self.options = options
        self.context = context
        self.environment = environment
    }

    /// Prepares every gate (an unresolved variable stops it before anything runs), runs them all,
    /// records and reports. Exit 1 when any gate did not pass.
    package func run() async throws(GantryError) -> StepOutcome {
        let reporter = options.reporter(context: context, workspace: workspace)
        let gates: PreparedGates
        let liveness: @Sendable (String) -> String?
        do {
            (gates, liveness) = try prepare(stateDirectory: reporter.stateDirectory)
        } catch {
            return StepOutcome(failure: error, command: "gate", reporter: reporter)
        }
        let document = await gates.run(liveness: liveness)
        let report = GatesReport(document)
        var outcome = StepOutcome()
        outcome.exitCode = document.passed ? ExitStatus.success : ExitStatus.failure
        outcome.workflowCommands = try reporter.finish(
            Record(command: "gate", exitCode: outcome.exitCode, gates: document), findings: report.findings(),
            outputs: report.stepOutputs())
        let text = options.json ? report.json() : report.text()
        outcome.print(report: text, isJSON: options.json, context: context)
        return outcome
    }

    /// The gates, and why a service can no longer pass: a service whose process the environment's
    /// ledger records, and that has exited, fails its checks at once rather than at their deadline.
    private func prepare(stateDirectory: StateDirectory) throws(GantryError) -> (PreparedGates, @Sendable (String) -> String?) {
        switch target {
        case .check(let options):
            return (try PreparedGates.adHoc(options.check(), environment: environment, directory: workspace.root), { _ in nil })
        case .services(let names, let urls):
            let configuration = try workspace.loadConfiguration()
            var services = try configuration.services(named: names)
            // The environment `env up` recorded, with --url taking precedence service by service.
            let store = LedgerStore(stateDirectory: stateDirectory, registry: LedgerStore.registry(environment: environment))
            let ledger = store.ledgers().first { $0.state == .up }
            var endpoints = ledger?.endpoints.filter { urls[$0.service] == nil } ?? []
            for (name, url) in urls.sorted(by: { $0.key < $1.key }) {
                guard configuration.service(named: name) != nil else {
                    throw .usage("--url names `\(name)`, which is not a service in \(workspace.configurationName)")
                }
                endpoints.append(ServiceEndpoint(service: name, url: url))
            }
            if services.isEmpty {
                // With addresses given, gate what they name; else every service with gates.
                services =
                    endpoints.isEmpty
                    ? configuration.services.filter { !$0.gates.isEmpty }
                    : configuration.services.filter { service in endpoints.contains { $0.service == service.name } }
            }
            let gates = try PreparedGates.prepare(
                configuration: configuration, services: services, endpoints: endpoints, environment: environment, directory: workspace.root)
            guard !gates.isEmpty else {
                throw .usage(
                    "no service in \(workspace.configurationName) has gates (health, smoke or latency); add some, or give a check such as --http URL"
                )
            }
            let recorded = ProcessProvider.liveness(in: ledger)
            return (gates, { service in urls[service] == nil ? recorded(service) : nil })
        }
    }
}
