import ArgumentParser
import Basics
import GitHubActions
import Pipeline

/// `gantry validate`
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check gantry.yml and report every problem as file:line:col: message.",
        discussion: """
            Exits 0 when the configuration is valid and 2 when it is not. Under Actions every problem \
            is also an annotation on its line; --sarif writes them for code scanning.

            Examples:
              gantry validate
              gantry validate --config ci/gantry.yml --sarif gantry.sarif
            """
    )

    @OptionGroup var workspaceOptions: WorkspaceOptions
    @OptionGroup var reportArguments: ReportArguments

    func run() throws {
        let context = ActionsContext.current()
        try Gantry.finish(
            ValidateStep(workspace: workspaceOptions.workspace(context: context), options: reportArguments.options, context: context)
                .run())
    }
}
