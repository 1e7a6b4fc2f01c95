import ArgumentParser
import GantryKit
import GitHubActions
import Pipeline

/// `gantry summary`
struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Render one report of everything gantry recorded in this run.",
        discussion: """
            Under Actions it writes the job's step summary; run it as the last step, under \
            `if: always()`. Elsewhere it prints the report.

            Examples:
              gantry summary
              gantry summary --summary-file report.md
            """
    )

    @Option(
        help: ArgumentHelp(
            "Where commands recorded what they did (default: $RUNNER_TEMP/gantry under Actions, else .gantry).", valueName: "path"))
    var stateDir: String?

    @Option(help: ArgumentHelp("Also write the markdown report to this file.", valueName: "path"))
    var summaryFile: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A directory inside the repository (default: the Actions workspace, else the current directory).", valueName: "path"))
    var repository: String?

    func run() throws {
        let context = ActionsContext.current()
        let root = Workspace.locate(repository: repository, configuration: nil, context: context).root
        try Gantry.finish(
            SummaryStep(
                stateDirectory: .locate(explicit: stateDir, context: context, root: root), summaryFile: summaryFile,
                context: context
            ).run())
    }
}
