import Basics
import GitHubActions

/// `gantry changes`: which services changed, and why.
package struct ChangesStep {
    /// Where the repository and its configuration are.
    package var workspace: Workspace
    /// What to compare.
    package var changeOptions: ChangeOptions
    /// How to report.
    package var options: ReportOptions
    /// The Actions context; nil outside Actions.
    package var context: ActionsContext?

    /// Creates the step.
    package init(workspace: Workspace, changeOptions: ChangeOptions, options: ReportOptions, context: ActionsContext?) {
        self.workspace = workspace
        self.changeOptions = changeOptions
        self.options = options
        self.context = context
    }

    /// Detects and reports. An error is recorded, and its configuration problems annotated, so the
    /// summary can say why the step failed; it comes back as the outcome's message and exit code.
    package func run() throws(GantryError) -> StepOutcome {
        let reporter = options.reporter(context: context, workspace: workspace)
        let changeSet: ChangeSet
        do {
            changeSet = try ChangeDetector(repositoryPath: workspace.root, context: context)
                .detect(changeOptions, loadingConfiguration: workspace.loadConfiguration)
        } catch {
            return StepOutcome(failure: error, command: "changes", reporter: reporter)
        }
        let document = ChangesDocument(changeSet)
        let report = ChangesReport(document)
        var outcome = StepOutcome()
        outcome.workflowCommands = try reporter.finish(
            Record(command: "changes", exitCode: ExitStatus.success, changes: document), outputs: report.stepOutputs())
        let text = options.json ? report.json() : report.text()
        outcome.print(report: text, isJSON: options.json, context: context)
        return outcome
    }
}
