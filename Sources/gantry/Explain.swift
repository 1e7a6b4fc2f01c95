import ArgumentParser
import Basics
import GantryKit
import Pipeline

/// `gantry explain SERVICE`
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show the inputs a service's Dockerfile reads, line by line.",
        discussion: """
            For a service with `inputs: dockerfile`: each Dockerfile line with the context files it \
            brings in, what the ignore file removed, what comes from outside the repository, and \
            where gantry falls back to the whole context, and why. Read from a commit's tree.

            Examples:
              gantry explain api
              gantry explain web --revision origin/main --format json
            """
    )

    @OptionGroup var workspaceOptions: WorkspaceOptions

    @Argument(help: "The service.")
    var service: String

    @Option(help: ArgumentHelp("The commit whose tree is read.", valueName: "revision"))
    var revision = "HEAD"

    @Option(help: "Output format: text or json.")
    var format = "text"

    func validate() throws {
        guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json (got \(format))") }
    }

    func run() throws {
        try Gantry.finish(
            ExplainStep(workspace: workspaceOptions.workspace(context: nil), service: service, revision: revision, json: format == "json")
                .run())
    }
}
