import ArgumentParser
import Basics
import GantryKit
import GitHubActions
import Pipeline
import Reports

/// `gantry changes`
struct Changes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "changes",
        abstract: "Show which services changed between two commits, and why.",
        discussion: """
            The commits come from the GitHub event (pull request, push, merge group, …) or, outside \
            Actions, from the merge base with the default branch. Under Actions the step outputs are \
            `changed`, `matrix`, `any-changed`, `base`, `head` and one true/false output per service.

            Examples:
              gantry changes
              gantry changes --working-tree
              gantry changes --base origin/main --format json
              gantry changes --all --sarif gantry.sarif
              gantry changes --max-jobs 64
            """
    )

    @OptionGroup var workspaceOptions: WorkspaceOptions
    @OptionGroup var reportArguments: ReportArguments

    @Option(help: ArgumentHelp("Compare from this revision instead of the event's base.", valueName: "revision"))
    var base: String?

    @Option(help: ArgumentHelp("Compare to this revision instead of the event's head.", valueName: "revision"))
    var head: String?

    @Flag(help: "Add uncommitted changes in the working tree and index.")
    var workingTree = false

    @Flag(help: "Count every service as changed.")
    var all = false

    @Flag(help: "Never fetch missing commits from the remote of a shallow clone.")
    var noFetch = false

    @Option(
        help: ArgumentHelp(
            "The most entries the matrix output may have (GitHub's limit); more changed services are packed into balanced entries.",
            valueName: "n"))
    var maxJobs = ChangesDocument.Matrix.gitHubJobLimit

    func validate() throws {
        guard maxJobs >= 1 else { throw ValidationError("--max-jobs must be at least 1 (got \(maxJobs))") }
    }

    func run() async throws {
        let context = ActionsContext.current()
        let changeOptions = ChangeOptions(base: base, head: head, includesWorkingTree: workingTree, all: all, mayFetch: !noFetch)
        try Gantry.finish(
            await ChangesStep(
                workspace: workspaceOptions.workspace(context: context), changeOptions: changeOptions,
                options: reportArguments.options, context: context, jobLimit: maxJobs
            ).run())
    }
}
