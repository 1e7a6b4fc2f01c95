import ArgumentParser
import Basics
import Foundation
import GantryKit
import GitHubActions
import Pipeline

/// `gantry run`
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The whole job: changes, environment up, gates, a test command, environment down (always).",
        discussion: """
            When no service changed, nothing is brought up (unless --always). The environment holds \
            the changed services and what they depend on; the test command gets every service's URL \
            as <SERVICE>_URL. The environment goes down whatever happens, also on SIGINT or SIGTERM. \
            Exit code: the worst outcome (2 configuration, 130 stopped by a signal, 1 a gate or the \
            test failed).

            Examples:
              gantry run
              gantry run --test "pytest tests/e2e"
              gantry run --always --base origin/main
            """
    )

    @OptionGroup var workspaceOptions: WorkspaceOptions
    @OptionGroup var reportArguments: ReportArguments

    @Option(help: ArgumentHelp("Run this shell command once the gates pass.", valueName: "command"))
    var test: String?

    @Flag(help: "Bring up every service even when none changed.")
    var always = false

    @Option(help: ArgumentHelp("Compare from this revision instead of the event's base.", valueName: "revision"))
    var base: String?

    @Option(help: ArgumentHelp("Compare to this revision instead of the event's head.", valueName: "revision"))
    var head: String?

    @Flag(help: "Never fetch missing commits from the remote of a shallow clone.")
    var noFetch = false

    func run() async throws {
        let context = ActionsContext.current()
        let step = RunStep(
            workspace: workspaceOptions.workspace(context: context),
            changeOptions: ChangeOptions(base: base, head: head, includesWorkingTree: false, all: always, mayFetch: !noFetch),
            always: always, testCommand: test, options: reportArguments.options, context: context,
            environment: ProcessInfo.processInfo.environment)
        try Gantry.finish(try await step.run())
    }
}
