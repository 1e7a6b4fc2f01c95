import ArgumentParser
import Basics
import Foundation
import GantryKit
import GitHubActions
import Pipeline
import Reports

/// The root command: `gantry <command>`.
struct Gantry: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gantry",
        abstract: "The runner-side agent of a CI job for monorepos of containerized services.",
        discussion: """
            Exit codes: 0 success, 1 a gate, test or teardown failed, 2 usage or configuration
            error, 130 stopped by a signal (after tearing down what it started).
            Documentation: the README at the root of gantry's repository.
            """,
        version: gantryVersion,
        subcommands: [Run.self, Changes.self, Tags.self, Env.self, Gate.self, Findings.self, Validate.self, Summary.self, Explain.self, Action.self]
    )

    /// Parses `arguments` (the words after `gantry`), runs the command, and returns the exit code.
    static func execute(_ arguments: [String]) async -> Int32 {
        // What scripts and the release checks run to identify a binary, answered as ArgumentParser
        // answers it but before it: its reflection over the command types was a quarter of the
        // time `--version` took.
        if arguments == ["--version"] {
            FileHandle.standardOutput.write(Data("\(gantryVersion)\n".utf8))
            return 0
        }
        do {
            try await run(try parseAsRoot(arguments))
            return ExitStatus.success
        } catch {
            if let unknown = unknownSubcommand(in: arguments) {
                FileHandle.standardError.write(Data("gantry: \(unknown)\n".utf8))
                return ExitStatus.usage
            }
            return report(error)
        }
    }

    /// "unknown command `chnages`; did you mean `changes`? …" when the words before any option do
    /// not name a command (ArgumentParser says only "Unexpected argument"), else nil.
    static func unknownSubcommand(in arguments: [String]) -> String? {
        var command: ParsableCommand.Type = Gantry.self
        for word in arguments.prefix(while: { !$0.hasPrefix("-") }) {
            let subcommands = command.configuration.subcommands
            let names = subcommands.map { subcommand in subcommand._commandName }
            guard !names.isEmpty else { return nil }
            guard let index = names.firstIndex(of: word) else {
                let path = (["gantry"] + arguments.prefix { $0 != word }).joined(separator: " ")
                return
                    "unknown command `\(word)`\(suggestion(for: word, among: names)) (\(path) commands: \(names.joined(separator: ", ")))"
            }
            command = subcommands[index]
        }
        return nil
    }

    /// Runs a parsed command, asynchronous or not.
    static func run(_ command: ParsableCommand) async throws {
        var command = command
        if var asynchronous = command as? AsyncParsableCommand {
            try await asynchronous.run()
        } else {
            try command.run()
        }
    }

    /// Prints an error the way users expect and returns gantry's documented exit code for it: usage
    /// and configuration errors are 2 (ArgumentParser's own default would be 64); help and the
    /// version go to standard output with 0.
    static func report(_ error: any Error) -> Int32 {
        if let error = error as? GantryError {
            FileHandle.standardError.write(Data(error.lines.map { "gantry: \($0)\n" }.joined().utf8))
            return error.exitCode
        }
        if let exit = error as? ExitCode { return exit.rawValue }
        let message = fullMessage(for: error)
        if exitCode(for: error) == .success {
            if !message.isEmpty { print(message) }
            return ExitStatus.success
        }
        FileHandle.standardError.write(Data("\(message)\n".utf8))
        return ExitStatus.usage
    }

    /// Prints what a step produced and exits with its code. Workflow commands (annotations) go to
    /// standard error, so standard output stays what the command promises (JSON with --format json).
    static func finish(_ outcome: StepOutcome) throws {
        for line in outcome.workflowCommands { FileHandle.standardError.write(Data((line + "\n").utf8)) }
        let colours = TerminalColor.isWanted(environment: ProcessInfo.processInfo.environment, isTerminal: isatty(1) == 1)
        for line in outcome.standardOutput { print(colours ? TerminalColor.colouring(line) : line) }
        for line in outcome.standardError { FileHandle.standardError.write(Data((line + "\n").utf8)) }
        if outcome.exitCode != ExitStatus.success { throw ExitCode(outcome.exitCode) }
    }
}

/// Options every command that reads the repository shares.
struct WorkspaceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The configuration file (default: gantry.yml at the repository root).", valueName: "path"))
    var config: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A directory inside the repository (default: the Actions workspace, else the current directory).", valueName: "path"))
    var repository: String?

    func workspace(context: ActionsContext?) -> Workspace {
        Workspace.locate(repository: repository, configuration: config, context: context)
    }
}

/// Options every reporting command shares.
struct ReportArguments: ParsableArguments {
    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @OptionGroup var recording: RecordingArguments

    var options: ReportOptions { recording.options(json: format == .json) }
}

/// Where a command records and reports, for commands with formats of their own.
struct RecordingArguments: ParsableArguments {
    @Option(help: ArgumentHelp("Also write findings as SARIF 2.1.0 to this file (written, empty, when there are none).", valueName: "path"))
    var sarif: String?

    @Option(
        help: ArgumentHelp(
            "Where commands record what they did (default: $RUNNER_TEMP/gantry under Actions, else .gantry).", valueName: "path"))
    var stateDir: String?

    func options(json: Bool) -> ReportOptions { ReportOptions(stateDirectory: stateDir, sarifPath: sarif, json: json) }
}

/// How a command prints its result.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
