import Basics
import Config
import Foundation
import Git
import GitHubActions
import TagGrammar

/// Computes each service's image from the tag rules, the event and the repository.
package struct ImageTagger {
    var configuration: Configuration
    var repository: Repository
    var event: TagEvent
    /// The repository as the event payload describes it, for the labels.
    var payloadRepository: EventPayload.Repository?
    /// Input hashes are computed only for services whose rules use `type=tree`, once per commit.
    private var inputHash: InputHash

    package init(configuration: Configuration, repository: Repository, event: TagEvent, payloadRepository: EventPayload.Repository?) {
        self.configuration = configuration
        self.repository = repository
        self.event = event
        self.payloadRepository = payloadRepository
        inputHash = InputHash(configuration: configuration, repository: repository, commit: event.commit)
    }

    /// The image of one service. A rule set that yields no tag is a configuration error at the
    /// service's rules, saying for each rule why it gave nothing on this event.
    package mutating func image(of service: Service) throws(GantryError) -> ServiceImage {
        let settings = configuration.tagSettings(for: service)
        var context = event.context
        if settings.ruleSet.rules.contains(where: { $0.type == .tree }) {
            context.treeHash = try inputHash.hash(of: service).hex
        }
        let location = settings.location ?? service.location
        let evaluation: TagEvaluation
        let labels: [(key: String, value: String)]
        do {
            evaluation = try settings.ruleSet.evaluate(in: context)
            labels = try ImageLabels.labels(
                title: service.name, description: payloadRepository?.description ?? "",
                url: payloadRepository?.htmlURL ?? "", source: payloadRepository?.htmlURL ?? "", version: evaluation.version,
                created: context.commitDate, revision: context.sha, licenses: payloadRepository?.license?.spdxID ?? "",
                custom: settings.labels, context: context)
        } catch {
            throw .invalidConfiguration([
                Diagnostic("cannot compute the tags of `\(service.name)`: \(error.message)", at: location, kind: .invalidValue)
            ])
        }
        guard !evaluation.tags.isEmpty else {
            let reasons = evaluation.skipped.map { "\($0.rule): \($0.reason)" }
            let rules = settings.rules.isEmpty ? "the default rules" : "its tag rules"
            throw .invalidConfiguration([
                Diagnostic(
                    "service `\(service.name)` gets no tag on this \(event.summary): \(rules) give none ("
                        + reasons.joined(separator: "; ") + "); add a rule for this event, such as type=sha",
                    at: location, kind: .invalidValue)
            ])
        }
        let image = service.image.lowercased()
        return ServiceImage(
            service: service.name, image: image, version: evaluation.version, tags: evaluation.tags.map { "\(image):\($0)" },
            labels: Dictionary(labels, uniquingKeysWith: { _, last in last }), context: service.context,
            dockerfile: service.dockerfile, buildArguments: service.buildArguments.isEmpty ? nil : service.buildArguments,
            target: service.target)
    }
}
