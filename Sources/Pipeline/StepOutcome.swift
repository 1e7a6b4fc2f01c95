import Basics
import GantryKit
import GitHubActions
import Reports

/// What a command prints and how it exits, returned to the executable to carry out.
package struct StepOutcome: Sendable {
    /// Workflow commands (annotations) for the runner, printed first.
    package var workflowCommands: [String] = []
    /// Lines for standard output, in order.
    package var standardOutput: [String] = []
    /// Lines for standard error, in order; control characters in a line are escaped, since the
    /// runner reads workflow commands there too, so add multi-line text line by line.
    package var standardError: [String] = [] {
        didSet { standardError = standardError.map(UntrustedText.escapingControlCharacters) }
    }
    /// The exit code: 0 ok, 1 a gate or check failed, 2 usage or configuration error.
    package var exitCode = ExitStatus.success

    /// An empty outcome.
    package init() {}

    /// Adds a report to standard output. Text echoes names from the repository, the event and
    /// servers, so under Actions it is wrapped in a pause of workflow commands, lest the runner read
    /// a line of it as one; JSON needs no pause, since it escapes control characters and none of
    /// its lines can start a command.
    mutating func print(report text: String, isJSON: Bool = false, context: ActionsContext?) {
        standardOutput.append(context == nil || isJSON ? text : UntrustedText.pausingWorkflowCommands(text))
    }
}

/// Options every reporting command shares.
package struct ReportOptions: Sendable {
    /// `--state-dir`.
    package var stateDirectory: String?
    /// `--sarif`.
    package var sarifPath: String?
    /// `--format json`.
    package var json: Bool

    /// Creates options.
    package init(stateDirectory: String? = nil, sarifPath: String? = nil, json: Bool = false) {
        self.stateDirectory = stateDirectory
        self.sarifPath = sarifPath
        self.json = json
    }

    func reporter(context: ActionsContext?, workspace: Workspace) -> Reporter {
        Reporter(
            stateDirectory: .locate(explicit: stateDirectory, context: context, root: workspace.root), sarifPath: sarifPath,
            context: context, configurationName: workspace.configurationName, repositoryRoot: workspace.root)
    }
}
