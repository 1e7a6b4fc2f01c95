import Basics
import GantryKit
import GitHubActions
import Reports

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
    /// The most entries the `matrix` output may have (`--max-jobs`); more changed services are packed.
    package var jobLimit: Int

    /// Creates the step.
    package init(
        workspace: Workspace, changeOptions: ChangeOptions, options: ReportOptions, context: ActionsContext?,
        jobLimit: Int = ChangesDocument.Matrix.gitHubJobLimit
    ) {
        self.workspace = workspace
        self.changeOptions = changeOptions
        self.options = options
        self.context = context
        self.jobLimit = jobLimit
    }

    /// Detects and reports. An error is recorded, and its configuration problems annotated, so the
    /// summary can say why the step failed; it comes back as the outcome's message and exit code.
    package func run() async throws(GantryError) -> StepOutcome {
        let reporter = options.reporter(context: context, workspace: workspace)
        let changeSet: ChangeSet
        do {
            changeSet = try await ChangeDetector(repositoryPath: workspace.root, context: context)
                .detect(changeOptions, loadingConfiguration: workspace.loadConfiguration)
        } catch {
            return StepOutcome(failure: error, command: "changes", reporter: reporter)
        }
        let document = ChangesDocument(changeSet, jobLimit: jobLimit)
        let report = ChangesReport(document)
        // The printed report and the run's record are each an encoding of the whole document, at
        // the very end of the run: made on two cores at once, the second costs no wall time.
        let json = options.json
        async let text = json ? report.json() : report.text()
        var outcome = StepOutcome()
        outcome.workflowCommands = try reporter.finish(
            // Step outputs are written only under Actions; encoding them elsewhere would be wasted.
            Record(command: "changes", exitCode: ExitStatus.success, changes: document), outputs: context == nil ? [] : report.stepOutputs()
        )
        outcome.print(report: await text, isJSON: json, context: context)
        return outcome
    }
}
