import Basics
import Config
import Foundation
import GantryKit
import Git
import GitHubActions
import Reports

/// How `gantry tags` prints its images.
package enum TagsFormat: String, Sendable, CaseIterable {
    /// For people.
    case text
    /// `{"services": {…}}` for scripts.
    case json
    /// A docker buildx bake file.
    case bake
}

/// `gantry tags`: image references, tags and labels per service.
package struct TagsStep {
    /// Which services to tag.
    package enum Selection: Sendable, Equatable {
        /// The services `gantry changes` finds changed for this event.
        case changed
        /// These services, by name.
        case named([String])
        /// Every service.
        case all
    }

    /// Where the repository and its configuration are.
    package var workspace: Workspace
    /// Which services to tag.
    package var selection: Selection
    /// The ref and sha options.
    package var tagOptions: TagOptions
    /// What to print.
    package var format: TagsFormat
    /// How to report.
    package var options: ReportOptions
    /// The Actions context; nil outside Actions.
    package var context: ActionsContext?
    /// The time `{{date}}` renders; only that template reads the clock.
    package var now: Date

    /// Creates the step.
    package init(
        workspace: Workspace, selection: Selection, tagOptions: TagOptions, format: TagsFormat, options: ReportOptions,
        context: ActionsContext?, now: Date = Date()
    ) {
        self.workspace = workspace
        self.selection = selection
        self.tagOptions = tagOptions
        self.format = format
        self.options = options
        self.context = context
        self.now = now
    }

    /// Computes, records and prints the images. An error is recorded and annotated like any step's.
    package func run() async throws(GantryError) -> StepOutcome {
        let reporter = options.reporter(context: context, workspace: workspace)
        let document: TagsDocument
        do {
            document = try await taggedImages()
        } catch {
            return StepOutcome(failure: error, command: "tags", reporter: reporter)
        }
        let report = TagsReport(document)
        var outputs = report.stepOutputs()
        if context != nil {
            let name = "bake-\(context?.runKey ?? "local").json"
            outputs.append(("bake-file", try reporter.stateDirectory.saveFile(named: name, contents: report.bakeFile())))
        }
        var outcome = StepOutcome()
        outcome.workflowCommands = try reporter.finish(
            Record(command: "tags", exitCode: ExitStatus.success, tags: document), outputs: outputs)
        switch format {
        case .json: outcome.print(report: report.json(), isJSON: true, context: context)
        case .bake: outcome.print(report: report.bakeFile(), isJSON: true, context: context)
        case .text: outcome.print(report: report.text(), context: context)
        }
        return outcome
    }

    private func taggedImages() async throws(GantryError) -> TagsDocument {
        let configuration = try workspace.loadConfiguration()
        let repository: Repository
        do {
            repository = try Repository(discoveringFrom: workspace.root)
        } catch {
            throw .notARepository(path: workspace.root, reason: error.message)
        }
        let event = try TagEvent.resolve(actions: context, repository: repository, options: tagOptions, now: now)
        var note: String?
        let services: [Service]
        switch selection {
        case .all:
            services = configuration.services
        case .named(let names):
            services = try configuration.services(named: names)
        case .changed:
            let changes = try await ChangeDetector(repositoryPath: workspace.root, context: context).detect(configuration: configuration)
            services = changes.services.filter(\.isChanged).map(\.service)
            if services.isEmpty { note = "no service changed: nothing to tag (pass --all or --service NAME to tag anyway)" }
        }
        var tagger = ImageTagger(
            configuration: configuration, repository: repository, event: event, payloadRepository: context?.payload.repository)
        var images: [ServiceImage] = []
        var problems: [Diagnostic] = []
        for service in services {
            do {
                images.append(try tagger.image(of: service))
            } catch {
                guard case .invalidConfiguration(let diagnostics) = error else { throw error }
                problems += diagnostics
            }
        }
        if !problems.isEmpty { throw .invalidConfiguration(problems) }
        return TagsDocument(event: event.summary, commit: event.commit.hex, note: note, images: images)
    }
}
