import ArgumentParser
import Basics
import GantryKit
import Pipeline
import GitHubActions

/// `gantry findings`
struct Findings: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "findings",
        abstract: "Read other tools' SARIF files, and gate on their severity with accepted risks.",
        discussion: """
            Each finding's severity is GitHub's: its rule's security-severity score (critical from \
            9.0, high from 7.0, medium from 4.0, low above 0), else its level (error high, warning \
            medium, note low). Findings covered by a current entry of `findings: accept:` in \
            gantry.yml are shown as accepted. Without --fail-on it only reports; with it, exit 1 when \
            a finding at or above that severity is not accepted. Under Actions the step outputs are \
            `passed` and `json`, and `gantry summary` shows a Findings section.

            Examples:
              gantry findings trivy.sarif
              gantry findings trivy.sarif hadolint.sarif --fail-on high
              gantry findings results/*.sarif --fail-on critical --format json
            """
    )

    @OptionGroup var workspaceOptions: WorkspaceOptions
    @OptionGroup var reportArguments: ReportArguments

    @Option(name: .customLong("fail-on"), help: ArgumentHelp("Fail on a finding at or above this severity that is not accepted."))
    var failOn: Severity?

    @Argument(help: ArgumentHelp("SARIF 2.1.0 files, from any tool.", valueName: "file"))
    var files: [String]

    func run() throws {
        let context = ActionsContext.current()
        let step = FindingsStep(
            workspace: workspaceOptions.workspace(context: context), files: files, failOn: failOn,
            requiresConfiguration: workspaceOptions.config != nil, options: reportArguments.options, context: context)
        try Gantry.finish(try step.run())
    }
}

extension Severity: ExpressibleByArgument {}
