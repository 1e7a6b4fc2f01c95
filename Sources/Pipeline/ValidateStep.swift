import Basics
import GantryKit
import GitHubActions
import Reports

/// `gantry validate`: checks the configuration and reports every problem.
package struct ValidateStep {
    /// Where the repository and its configuration are.
    package var workspace: Workspace
    /// How to report.
    package var options: ReportOptions
    /// The Actions context, for annotations; nil outside Actions.
    package var context: ActionsContext?

    /// Creates the step.
    package init(workspace: Workspace, options: ReportOptions, context: ActionsContext?) {
        self.workspace = workspace
        self.options = options
        self.context = context
    }

    /// Validates and reports: exit 0 when valid, 2 when not.
    package func run() throws(GantryError) -> StepOutcome {
        let document: ValidationDocument
        do {
            document = ValidationDocument(valid: try workspace.loadConfiguration())
        } catch .invalidConfiguration(let diagnostics) {
            document = ValidationDocument(file: workspace.configurationName, diagnostics: diagnostics)
        }
        var outcome = StepOutcome()
        outcome.exitCode = document.valid ? ExitStatus.success : ExitStatus.usage
        outcome.workflowCommands = try options.reporter(context: context, workspace: workspace).finish(
            Record(command: "validate", exitCode: outcome.exitCode, validation: document),
            findings: document.problems.map(Finding.init))
        let report = ValidationReport(document)
        if options.json {
            outcome.standardOutput.append(report.json())
        } else if document.valid {
            outcome.standardOutput.append(report.text())
        }
        if !document.valid { outcome.standardError += report.text().split(separator: "\n").map(String.init) }
        return outcome
    }
}
