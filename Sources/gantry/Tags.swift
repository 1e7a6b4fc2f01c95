import ArgumentParser
import Basics
import Foundation
import GantryKit
import GitHubActions
import Pipeline

/// `gantry tags`
struct Tags: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tags",
        abstract: "Compute image references, tags and OCI labels for each service.",
        discussion: """
            The rules are docker/metadata-action's (`tags`, `flavor`, `labels` in gantry.yml), plus \
            type=tree, a tag from a hash of the service's inputs. By default the changed services are \
            tagged. Under Actions the step outputs are `tags` (one reference per line), `json` and \
            `bake-file` (a bake file written to the state directory).

            Examples:
              gantry tags
              gantry tags --all --format json
              gantry tags --service api --ref refs/tags/v1.2.0
              gantry tags --format bake > docker-bake.json && docker buildx bake -f docker-bake.json
            """
    )

    @OptionGroup var workspaceOptions: WorkspaceOptions

    @Option(help: "Output format: text, json, or bake (a docker buildx bake file).")
    var format: TagsFormat = .text

    @OptionGroup var recording: RecordingArguments

    @Option(
        name: .customLong("service"), help: ArgumentHelp("Tag this service (repeatable) instead of the changed ones.", valueName: "name"))
    var services: [String] = []

    @Flag(help: "Tag every service.")
    var all = false

    @Option(
        help: ArgumentHelp(
            "Tag as if on this ref, such as refs/tags/v1.2.0 (default: the event's, else the current branch).", valueName: "ref"))
    var ref: String?

    @Flag(name: .customLong("pr-head-sha"), help: "For pull requests, use the head commit's sha rather than the merge commit's.")
    var pullRequestHeadSHA = false

    @Option(help: ArgumentHelp("Digits in a short sha (default 7).", valueName: "n"))
    var shortShaLength: Int?

    func validate() throws {
        if all && !services.isEmpty { throw ValidationError("--all and --service contradict each other; pass one") }
        if let shortShaLength, shortShaLength < 1 { throw ValidationError("--short-sha-length must be at least 1") }
    }

    func run() async throws {
        let context = ActionsContext.current()
        var tagOptions = try TagOptions(ref: ref, environment: ProcessInfo.processInfo.environment)
        if pullRequestHeadSHA { tagOptions.usesPullRequestHeadSHA = true }
        if let shortShaLength { tagOptions.shortSHALength = shortShaLength }
        let selection: TagsStep.Selection = all ? .all : services.isEmpty ? .changed : .named(services)
        try Gantry.finish(
            await TagsStep(
                workspace: workspaceOptions.workspace(context: context), selection: selection, tagOptions: tagOptions,
                format: format, options: recording.options(json: format == .json), context: context
            ).run())
    }
}

extension TagsFormat: ExpressibleByArgument {}
