import Basics
import Config
import Foundation
import GantryKit
import GitHubActions
import Reports

/// `gantry run`: the whole job. Changes, then (when something changed) the environment, its gates
/// and the test command, then the environment down, always, then one record for the summary.
package struct RunStep {
    /// Where the repository and its configuration are.
    package var workspace: Workspace
    /// What to compare.
    package var changeOptions: ChangeOptions
    /// Bring the environment up even when nothing changed (all services).
    package var always: Bool
    /// The test command, run with every service's URL in its environment.
    package var testCommand: String?
    /// How to report.
    package var options: ReportOptions
    /// The Actions context; nil outside Actions.
    package var context: ActionsContext?
    /// The process environment.
    package var environment: [String: String]

    /// Creates the step.
    package init(
        workspace: Workspace, changeOptions: ChangeOptions, always: Bool, testCommand: String?, options: ReportOptions,
        context: ActionsContext?, environment: [String: String]
    ) {
        self.workspace = workspace
        self.changeOptions = changeOptions
        self.always = always
        self.testCommand = testCommand
        self.options = options
        self.context = context
        self.environment = environment
    }

    /// Runs every phase; the first signal stops the current phase and goes straight to teardown.
    /// The exit code is the worst outcome: 2 a configuration or usage error, 130 stopped by a
    /// signal, 1 a gate or the test failed.
    package func run() async throws(GantryError) -> StepOutcome {
        let reporter = options.reporter(context: context, workspace: workspace)
        let configuration: Configuration
        let changes: ChangeSet
        let clock = ContinuousClock()
        let changesStart = clock.now
        do {
            configuration = try workspace.loadConfiguration()
            changes = try await ChangeDetector(repositoryPath: workspace.root, context: context).detect(
                changeOptions, configuration: configuration)
        } catch {
            return StepOutcome(failure: error, command: "run", reporter: reporter)
        }
        var phases = [Phase(name: "changes", seconds: Self.seconds(clock.now - changesStart), outcome: "passed")]
        let changed = changes.services.filter(\.isChanged).map(\.service.name)
        guard always || !changed.isEmpty else {
            phases.append(Phase(name: "up", seconds: 0, outcome: "skipped: no service changed"))
            return try finish(
                RunResult(phases: phases, exitCode: ExitStatus.success), changes: ChangesDocument(changes), reporter: reporter,
                note: "no service changed: nothing to bring up (pass --always to run anyway)")
        }
        let services: [Service]
        do {
            services = try EnvironmentServices.select(always ? [] : changed, in: configuration)
        } catch {
            return StepOutcome(failure: error, command: "run", reporter: reporter)
        }
        let manager = EnvironmentManager(
            configuration: configuration, root: workspace.root,
            store: LedgerStore(stateDirectory: reporter.stateDirectory, registry: LedgerStore.registry(environment: environment)),
            context: context, environment: environment)
        let interruptible = RunPhases(manager: manager, services: services, testCommand: testCommand, environment: environment)
        var result = await SignalTrap.run { await interruptible.run() }
        result.phases = phases + result.phases
        return try finish(result, changes: ChangesDocument(changes), reporter: reporter, note: nil)
    }

    private func finish(_ result: RunResult, changes: ChangesDocument, reporter: Reporter, note: String?) throws(GantryError) -> StepOutcome
    {
        var findings: [Finding] = []
        if let gates = result.gates { findings += GatesReport(gates).findings() }
        if let environment = result.environment, environment.state == .failed {
            findings.append(Finding(rule: .environmentStartFailed, message: environment.problems.joined(separator: "; ")))
        }
        if let down = result.down, !down.problems.isEmpty {
            findings.append(Finding(rule: .environmentTeardownFailed, message: down.problems.joined(separator: "; ")))
        }
        var environment = result.environment
        if let note {
            environment = environment ?? EnvironmentDocument(name: "", provider: "", state: .none)
            environment?.note = note
        }
        if let down = result.down { environment?.problems += down.problems }
        let record = Record(
            command: "run", exitCode: result.exitCode, changes: changes, gates: result.gates, environment: environment,
            phases: result.phases,
            test: result.test)
        let report = RunReport(record: record, note: note)
        var outcome = StepOutcome()
        outcome.exitCode = result.exitCode
        outcome.workflowCommands = try reporter.finish(
            record, findings: findings, outputs: report.stepOutputs(),
            variables: environment.map { EnvironmentReport($0).environmentVariables() } ?? [])
        outcome.print(report: options.json ? report.json() : report.text(), isJSON: options.json, context: context)
        return outcome
    }

    static func seconds(_ duration: Duration) -> Double {
        (duration.inSeconds * 1000).rounded() / 1000
    }
}

/// What the phases after `changes` came to.
struct RunResult: Sendable {
    var phases: [Phase]
    var exitCode: Int32
    var environment: EnvironmentDocument?
    var gates: GatesDocument?
    var down: EnvironmentManager.DownReport?
    var test: TestDocument?
}

/// Up, gates, test, down: the part of `gantry run` a signal can interrupt, and that always ends
/// with the environment down.
struct RunPhases: Sendable {
    var manager: EnvironmentManager
    var services: [Service]
    var testCommand: String?
    var environment: [String: String]

    func run() async -> RunResult {
        let clock = ContinuousClock()
        var result = RunResult(phases: [], exitCode: ExitStatus.success)
        var start = clock.now
        let up = await manager.upUnlessCancelled(
            services, awaitHealth: HealthWaiter.waiter(configuration: manager.configuration, root: manager.root, environment: environment),
            awaitsEveryService: false)
        let upDocument = EnvironmentDocument(up, name: manager.name, provider: manager.configuration.environment.provider.rawValue)
        result.environment = upDocument
        result.phases.append(
            Phase(
                name: "up", seconds: RunStep.seconds(clock.now - start),
                outcome: up.exitCode == ExitStatus.success ? "passed" : Task.isCancelled ? "cancelled" : "failed"))
        guard up.exitCode == ExitStatus.success else {
            result.exitCode = up.exitCode
            // A refused `up` created nothing, and must not take down the environment that refused it.
            if let leftover = up.leftover { await takeDown(leftover, into: &result) }
            return result
        }
        let ledger = manager.store.ledgers().first { $0.name == upDocument.name }
        start = clock.now
        if !Task.isCancelled {
            result.gates = await gates(endpoints: upDocument.endpoints, ledger: ledger)
            let passed = result.gates?.passed ?? true
            result.phases.append(
                Phase(
                    name: "gates", seconds: RunStep.seconds(clock.now - start),
                    outcome: Task.isCancelled ? "cancelled" : passed ? "passed" : "failed"))
            if !passed {
                result.exitCode = ExitStatus.failure
                result.environment?.failures = failures(result.gates, ledger: ledger)
            }
        }
        if let testCommand, result.exitCode == ExitStatus.success, !Task.isCancelled {
            let test = await test(testCommand, endpoints: upDocument.endpoints, directory: manager.logDirectory(of: upDocument.name))
            result.test = test
            let outcome = test.exitCode.map { $0 == 0 ? "passed" : "failed: exit \($0)" } ?? "cancelled"
            result.phases.append(Phase(name: "test", seconds: test.seconds, outcome: outcome))
            if test.exitCode != 0 { result.exitCode = ExitStatus.failure }
        }
        if Task.isCancelled { result.exitCode = ExitStatus.cancelled }
        await takeDown(upDocument.name, into: &result)
        result.environment?.state = result.down?.problems.isEmpty == true ? .down : .failed
        // Taken down, the bundle is gone: no later step may be pointed at it.
        result.environment?.caBundle = nil
        return result
    }

    /// The `down` phase: always, and to the end, even though the run was cancelled.
    private func takeDown(_ name: String, into result: inout RunResult) async {
        let clock = ContinuousClock()
        let start = clock.now
        let manager = self.manager
        let down = await Task.detached { await manager.down(named: name) }.value
        result.down = down
        result.phases.append(
            Phase(name: "down", seconds: RunStep.seconds(clock.now - start), outcome: down.problems.isEmpty ? "passed" : "failed"))
        if !down.problems.isEmpty && result.exitCode == ExitStatus.success { result.exitCode = ExitStatus.failure }
    }

    private func gates(endpoints: [ServiceEndpoint], ledger: Ledger?) async -> GatesDocument? {
        let gates: PreparedGates
        do {
            gates = try PreparedGates.prepare(
                configuration: manager.configuration, services: services, endpoints: endpoints, environment: environment,
                directory: manager.root)
        } catch {
            return GatesDocument(
                checks: [
                    CheckResult(
                        service: "", gate: "health", name: "preparing the gates", verdict: .failed, attempts: 0, elapsed: 0,
                        message: "\(error)",
                        isInsecure: false)
                ], latency: [])
        }
        guard !gates.isEmpty else { return nil }
        return await gates.run(liveness: ProcessProvider.liveness(in: ledger))
    }

    private func failures(_ gates: GatesDocument?, ledger: Ledger?) -> [ServiceFailure] {
        let failed = Set(
            (gates?.checks ?? []).filter { $0.verdict == .failed }.map(\.service)
                + (gates?.latency ?? []).filter { $0.verdict == .failed }.map(\.service))
        return (ledger?.resources ?? []).compactMap { resource in
            guard let service = resource.service, failed.contains(service) else { return nil }
            return ServiceFailure(service: service, log: resource.log, tail: resource.log.map { LogTail.lines(of: $0) } ?? [])
        }
    }

    /// Runs the test command with every service's URL in its environment and `GANTRY_JUNIT_XML` the
    /// path for a JUnit XML report; its output goes to `directory`/test.log and, as it comes, to
    /// gantry's standard error (standard output stays gantry's report).
    private func test(_ command: String, endpoints: [ServiceEndpoint], directory: String) async -> TestDocument {
        let clock = ContinuousClock()
        let start = clock.now
        let log = directory + "/test.log"
        let junit = directory + "/junit.xml"
        var variables = environment
        for endpoint in endpoints { variables[Configuration.urlVariable(of: endpoint.service)] = endpoint.url }
        // The test command trusts the environment's own authority as the services do.
        if let certificates = PerRunCertificates(of: endpoints) {
            variables.merge(certificates.clientVariables) { _, new in new }
        }
        variables["GANTRY_JUNIT_XML"] = junit
        // A local run's environment has the same name, and its directory, each time: an earlier
        // run's output and report must not be taken for this one's.
        for file in [log, junit] { try? FileManager.default.removeItem(atPath: file) }
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var document = TestDocument(command: command, exitCode: 127, seconds: 0, log: log, tail: [])
        let echo = LogEcho(path: log)
        do {
            let child = try ChildProcess.start(command, in: manager.root, environment: variables, output: .file(log))
            document.exitCode = await child.waitForExit(timeout: .seconds(86_400), polling: echo.copyNew)
            let grace = manager.configuration.environment.stopGracePeriod
            _ = await Task.detached { await ProcessSession(id: child.id).terminate(grace: grace, reaping: child) }.value
        } catch {
            try? append("gantry: \(error)\n", toFile: log, what: "the test log")
        }
        echo.finish()
        document.seconds = RunStep.seconds(clock.now - start)
        document.tail = LogTail.lines(of: log)
        if FileManager.default.fileExists(atPath: junit) {
            do {
                document.results = try JUnitResults.read(junit)
            } catch {
                document.resultsProblem = error.description
            }
        }
        return document
    }
}
