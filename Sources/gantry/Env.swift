import ArgumentParser
import Basics
import Foundation
import GitHubActions
import Pipeline

/// `gantry env`
struct Env: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env",
        abstract: "Bring a run's ephemeral environment up and down.",
        discussion: """
            The environment's ledger, in the state directory, records what will be created before it \
            is, so `down` removes exactly that, also after a crash, and is safe under `if: always()`.

            Examples:
              gantry env up
              gantry env up --service web
              gantry env down
              gantry env gc --older-than 2h
            """,
        subcommands: [Up.self, Down.self, Status.self, GarbageCollection.self]
    )

    /// `gantry env up`
    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "up",
            abstract: "Create the environment of the services (and what they depend on).",
            discussion: """
                Under Actions the step outputs are `environment`, `<service>-url` and `logs`, and each \
                service's URL is exported to later steps as <SERVICE>_URL. A signal (SIGINT, SIGTERM) \
                stops it and takes down what it started.
                """)

        @OptionGroup var workspaceOptions: WorkspaceOptions
        @OptionGroup var reportArguments: ReportArguments

        @Option(name: .customLong("service"), help: ArgumentHelp("Only this service and its dependencies (repeatable).", valueName: "name"))
        var services: [String] = []

        func run() async throws {
            try await Env.run(.up(services), workspaceOptions, reportArguments)
        }
    }

    /// `gantry env down`
    struct Down: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "down", abstract: "Remove this run's environment; succeeds with a note when there is none.")

        @OptionGroup var workspaceOptions: WorkspaceOptions
        @OptionGroup var reportArguments: ReportArguments

        @Option(help: ArgumentHelp("Remove the environment of this name (default: this run's).", valueName: "name"))
        var name: String?

        func run() async throws {
            try await Env.run(.down(name), workspaceOptions, reportArguments)
        }
    }

    /// `gantry env status`
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "Show this run's environment and its services' URLs.")

        @OptionGroup var workspaceOptions: WorkspaceOptions
        @OptionGroup var reportArguments: ReportArguments

        func run() async throws {
            try await Env.run(.status, workspaceOptions, reportArguments)
        }
    }

    /// `gantry env gc`
    struct GarbageCollection: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gc",
            abstract: "Remove environments of any run on this machine that are past their time to live.")

        @OptionGroup var workspaceOptions: WorkspaceOptions
        @OptionGroup var reportArguments: ReportArguments

        @Option(help: ArgumentHelp("Remove those created longer ago than this instead, such as 2h.", valueName: "duration"))
        var olderThan: String?

        func validate() throws {
            if let olderThan, DurationText.parse(olderThan) == nil {
                throw ValidationError("--older-than must be a duration such as 30m, 2h or 1h30m; got \"\(olderThan)\"")
            }
        }

        func run() async throws {
            try await Env.run(.collectGarbage(olderThan: olderThan.flatMap(DurationText.parse)), workspaceOptions, reportArguments)
        }
    }

    static func run(_ action: EnvironmentStep.Action, _ workspace: WorkspaceOptions, _ report: ReportArguments) async throws {
        let context = ActionsContext.current()
        let step = EnvironmentStep(
            workspace: workspace.workspace(context: context), action: action, options: report.options, context: context,
            environment: ProcessInfo.processInfo.environment)
        try Gantry.finish(try await step.run())
    }
}
