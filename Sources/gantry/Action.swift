import ArgumentParser
import Basics
import Foundation
import GitHubActions

/// `gantry action`: what the composite action's run step execs. It reads the action's inputs from
/// the environment, splits the `command` input into words without a shell, runs that command in
/// this process (so the runner's signals reach the code that tears environments down), and writes
/// the step outputs only the action needs: `summary`, `sarif` and `exit-code`.
struct Action: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "action",
        abstract: "Run the command line the composite action was given (action.yml's run step).",
        discussion: """
            Reads GANTRY_ACTION_COMMAND (the gantry command line, split as a POSIX shell splits \
            words, never expanded), GANTRY_ACTION_CONFIG, GANTRY_ACTION_SARIF and \
            GANTRY_ACTION_SUMMARY (auto, true or false). The command reads the repository in the \
            current directory. Writes the outputs exit-code, summary and sarif.
            """,
        shouldDisplay: false
    )

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let outputs = environment["GITHUB_OUTPUT"].flatMap { $0.isEmpty ? nil : FileCommandWriter(path: $0) }
        let (status, sarif) = await Self.execute(ActionInputs(environment: environment), outputs: outputs)
        var code = status
        do {
            // Only a file that is there: an upload step after a command that stopped early must
            // find nothing to upload rather than fail on a missing file.
            let written = sarif.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil } ?? ""
            try outputs?.write([("sarif", written), ("exit-code", String(code))])
        } catch {
            code = max(code, Gantry.report(error))
        }
        throw ExitCode(code)
    }

    /// Runs the command; returns its exit code and the SARIF file it was to write, if any.
    private static func execute(_ inputs: ActionInputs, outputs: FileCommandWriter?) async -> (Int32, String?) {
        var sarif: String?
        do {
            let words = try inputs.words()
            // Written before the command runs, so the summary step knows what to do even when the
            // command is refused, cancelled or killed.
            try outputs?.write([("summary", try inputs.rendersSummary(after: words) ? "true" : "false")])
            var command = try Gantry.parseAsRoot(words)
            let directory = FileManager.default.currentDirectoryPath
            let absolute = { (path: String) in path.hasPrefix("/") ? path : directory + "/" + path }
            if var reader = command as? any RepositoryCommand {
                reader.workspaceOptions.repository = reader.workspaceOptions.repository ?? directory
                if !inputs.configuration.isEmpty { reader.workspaceOptions.config = reader.workspaceOptions.config ?? inputs.configuration }
                command = reader
            }
            if var recorder = command as? any RecordingCommand {
                if !inputs.sarif.isEmpty { recorder.recording.sarif = recorder.recording.sarif ?? inputs.sarif }
                sarif = recorder.recording.sarif.map(absolute)
                // The summary step reads the records where this command writes them.
                try outputs?.write([("state-dir", recorder.recording.stateDir.map(absolute) ?? "")])
                command = recorder
            }
            try await Gantry.run(command)
            return (ExitStatus.success, sarif)
        } catch {
            return (Gantry.report(error), sarif)
        }
    }
}

/// The action's inputs, as action.yml passes them.
struct ActionInputs {
    var commandLine: String
    var configuration: String
    var sarif: String
    var summary: String

    init(environment: [String: String]) {
        commandLine = environment["GANTRY_ACTION_COMMAND"] ?? ""
        configuration = environment["GANTRY_ACTION_CONFIG"] ?? ""
        sarif = environment["GANTRY_ACTION_SARIF"] ?? ""
        summary = environment["GANTRY_ACTION_SUMMARY"] ?? "auto"
    }

    /// The command's words, without a leading `gantry` that users naturally write.
    func words() throws(GantryError) -> [String] {
        var words = try ShellWords.split(commandLine)
        if words.first == "gantry" { words.removeFirst() }
        guard let first = words.first else {
            throw .usage("the action's `command` input is empty: give a gantry command such as `run`, `changes` or `gate --http URL`")
        }
        guard first != Action._commandName else {
            throw .usage("the action's `command` input is a gantry command such as `run` or `changes`, not `action`")
        }
        return words
    }

    /// Whether the summary step renders the report: `auto` after `run`, the whole job in one step,
    /// and not after single commands, whose job ends with a `summary` step of its own.
    func rendersSummary(after words: [String]) throws(GantryError) -> Bool {
        switch summary {
        case "true": true
        case "false": false
        case "auto", "": words.first == Run._commandName
        default: throw .usage("the action's `summary` input is \"\(summary)\"; expected auto, true or false")
        }
    }
}

/// A command that reads a repository: the action points it at its working directory.
protocol RepositoryCommand: ParsableCommand {
    var workspaceOptions: WorkspaceOptions { get set }
}

/// A command that records what it did in the state directory, and can write SARIF.
protocol RecordingCommand: ParsableCommand {
    var recording: RecordingArguments { get set }
}

/// A recording command whose report options hold its recording options.
protocol ReportingCommand: RecordingCommand {
    var reportArguments: ReportArguments { get set }
}

extension ReportingCommand {
    var recording: RecordingArguments {
        get { reportArguments.recording }
        set { reportArguments.recording = newValue }
    }
}

extension Changes: RepositoryCommand, ReportingCommand {}
extension Run: RepositoryCommand, ReportingCommand {}
extension Gate: RepositoryCommand, ReportingCommand {}
extension Validate: RepositoryCommand, ReportingCommand {}
extension Env.Up: RepositoryCommand, ReportingCommand {}
extension Env.Down: RepositoryCommand, ReportingCommand {}
extension Env.Status: RepositoryCommand, ReportingCommand {}
extension Env.GarbageCollection: RepositoryCommand, ReportingCommand {}
extension Tags: RepositoryCommand, RecordingCommand {}
