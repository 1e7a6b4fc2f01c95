import Basics
import GitHubActions
import Reports

extension StepOutcome {
    /// The outcome of a command stopped by `error`: recorded, with its configuration problems
    /// annotated, so the summary can say why the step failed; printed as the error's lines.
    init(failure error: GantryError, command: String, reporter: Reporter) {
        var validation: ValidationDocument?
        if case .invalidConfiguration(let diagnostics) = error {
            validation = ValidationDocument(file: reporter.configurationName, diagnostics: diagnostics)
        }
        self.init()
        exitCode = error.exitCode
        // Failing to report must not hide why the step failed.
        workflowCommands =
            (try? reporter.finish(
                Record(command: command, exitCode: error.exitCode, error: "\(error)", validation: validation),
                findings: validation?.problems.map(Finding.init) ?? [])) ?? []
        standardError = error.lines.map { "gantry: \($0)" }
    }
}
