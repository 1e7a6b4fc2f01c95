import Basics
import Config
import Foundation
import GantryKit
import GitHubActions
import Reports

/// `gantry findings`: reads other tools' SARIF files, judges them against the accepted risks of
/// the configuration and `--fail-on`, records and reports.
package struct FindingsStep {
    /// Where the repository and its configuration are.
    package var workspace: Workspace
    /// The SARIF files, as given.
    package var files: [String]
    /// `--fail-on`; nil reports only.
    package var failOn: Severity?
    /// Whether the configuration was named (`--config`): then it must exist. Otherwise a repository
    /// without `gantry.yml` has no accepted risks.
    package var requiresConfiguration: Bool
    /// How to report.
    package var options: ReportOptions
    /// The Actions context; nil outside Actions.
    package var context: ActionsContext?
    /// The day acceptances are judged on.
    package var today: CalendarDay

    /// Creates the step.
    package init(
        workspace: Workspace, files: [String], failOn: Severity?, requiresConfiguration: Bool, options: ReportOptions,
        context: ActionsContext?, today: CalendarDay = CalendarDay(Date())
    ) {
        self.workspace = workspace
        self.files = files
        self.failOn = failOn
        self.requiresConfiguration = requiresConfiguration
        self.options = options
        self.context = context
        self.today = today
    }

    /// Exit 1 when a finding at or above `failOn` is not accepted; 2 when a file or the
    /// configuration cannot be read.
    package func run() throws(GantryError) -> StepOutcome {
        let reporter = options.reporter(context: context, workspace: workspace)
        let document: FindingsDocument
        do {
            document = try evaluate()
        } catch {
            return StepOutcome(failure: error, command: "findings", reporter: reporter)
        }
        let report = FindingsReport(document)
        var outcome = StepOutcome()
        outcome.exitCode = document.passed ? ExitStatus.success : ExitStatus.failure
        outcome.workflowCommands = try reporter.finish(
            Record(command: "findings", exitCode: outcome.exitCode, findings: document), outputs: report.stepOutputs())
        if context != nil {
            outcome.workflowCommands += WorkflowCommands.commands(
                for: report.annotations { FileManager.default.fileExists(atPath: workspace.root + "/" + $0) },
                where: "see the step summary (gantry summary) or gantry findings --format json")
        }
        outcome.print(report: options.json ? report.json() : report.text(), isJSON: options.json, context: context)
        return outcome
    }

    private func evaluate() throws(GantryError) -> FindingsDocument {
        var acceptances: [Acceptance] = []
        if requiresConfiguration || FileManager.default.fileExists(atPath: workspace.configurationPath) {
            acceptances = try workspace.loadConfiguration().findings.acceptances
        }
        var results: [ScannedResult] = []
        for file in files {
            results += try SARIFReader.read(contentsOf: file)
            guard results.count <= SARIFLimits.results else {
                throw .invalidSARIF("more than \(SARIFLimits.results) results in \(files.joined(separator: ", ")); expected at most that many in all")
            }
        }
        return FindingsGate(acceptances: acceptances, failOn: failOn, today: today).evaluate(results, files: files)
    }
}
