import Basics
import Foundation
import GantryKit
import GitHubActions
import Pipeline
import TestSupport
import Testing

/// `gantry tags` over a real repository and simulated events: which services, which tags, which
/// labels, and the errors that say why.
@Suite("Tags step")
struct TagsStepTests {
    static let configuration = """
        version: 1
        registry: ghcr.io/acme
        groups:
          common: ["libs/**"]
        tags:
          - type=ref,event=branch
          - type=ref,event=pr
          - type=semver,pattern={{version}}
          - type=sha
          - type=tree
        labels: ["org.opencontainers.image.vendor=Acme"]
        services:
          api: {paths: ["services/api/**"], depends_on: [common]}
          web: {paths: ["services/web/**"]}

        """

    let fixture: GitFixture
    let base: String
    let state: TemporaryDirectory

    init() throws {
        state = try TemporaryDirectory(prefix: "gantry-state")
        fixture = try GitFixture()
        base = try fixture.commit(files: [
            "gantry.yml": Self.configuration, "services/api/app.py": "1", "services/web/index.js": "1", "libs/util.py": "1",
        ])
    }

    func run(
        _ selection: TagsStep.Selection = .all, event: String? = nil, payload: [String: Any] = [:], sha: String? = nil,
        ref: String? = nil, options: TagOptions = TagOptions()
    ) async throws -> (outcome: StepOutcome, actions: ActionsEnvironment?) {
        var actions: ActionsEnvironment?
        if let event {
            actions = try ActionsEnvironment(eventName: event, payload: payload, workspace: fixture.path, sha: sha, ref: ref)
        }
        let context = actions.flatMap { ActionsContext.current(environment: $0.variables) }
        let step = TagsStep(
            workspace: Workspace.locate(repository: fixture.path, configuration: nil, context: context), selection: selection,
            tagOptions: options, format: .json, options: ReportOptions(stateDirectory: state.path, json: true), context: context,
            now: Date(timeIntervalSince1970: 1_600_000_000))
        return (try await step.run(), actions)
    }

    func services(_ outcome: StepOutcome) throws -> [String: [String: Any]] {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.joined().utf8)) as? [String: Any])
        return try #require(json["services"] as? [String: [String: Any]])
    }

    @Test("a push to a branch: the branch, the short sha and the tree hash")
    func branchPush() async throws {
        let head = try fixture.commit(files: ["services/api/app.py": "2"])
        let (outcome, actions) = try await run(
            .changed, event: "push", payload: ["before": base, "after": head, "ref": "refs/heads/feature/Login"], sha: head,
            ref: "refs/heads/feature/Login")
        #expect(outcome.exitCode == 0, "\(outcome.standardError)")
        let services = try services(outcome)
        #expect(Array(services.keys) == ["api"], "only the changed service")
        let tags = try #require(services["api"]?["tags"] as? [String])
        #expect(tags.count == 3)
        #expect(tags[0] == "ghcr.io/acme/api:feature-Login")
        #expect(tags[1] == "ghcr.io/acme/api:sha-\(head.prefix(7))")
        #expect(tags[2].hasPrefix("ghcr.io/acme/api:tree-"))
        #expect(services["api"]?["version"] as? String == "feature-Login")
        #expect(actions?.outputs["tags"] == tags.joined(separator: "\n"))
        #expect(actions?.outputs["json"]?.hasPrefix("{\"services\":{\"api\":") == true)
        let bakeFile = try #require(actions?.outputs["bake-file"])
        #expect(FileManager.default.fileExists(atPath: bakeFile))
    }

    @Test("labels: OCI labels from the event and the commit, created at the commit's time, and the configured ones")
    func labels() async throws {
        let head = try fixture.commit(files: ["services/api/app.py": "2"])
        let committed = try fixture.git("show", "-s", "--format=%cI", head)
        let (outcome, _) = try await run(
            event: "push",
            payload: [
                "before": base, "after": head, "ref": "refs/heads/main",
                "repository": [
                    "default_branch": "main", "html_url": "https://github.com/acme/monorepo", "description": "Videos",
                    "license": ["spdx_id": "MIT"],
                ],
            ], sha: head, ref: "refs/heads/main")
        let labels = try #require(try services(outcome)["api"]?["labels"] as? [String: String])
        #expect(labels["org.opencontainers.image.title"] == "api")
        #expect(labels["org.opencontainers.image.source"] == "https://github.com/acme/monorepo")
        #expect(labels["org.opencontainers.image.url"] == "https://github.com/acme/monorepo")
        #expect(labels["org.opencontainers.image.description"] == "Videos")
        #expect(labels["org.opencontainers.image.licenses"] == "MIT")
        #expect(labels["org.opencontainers.image.revision"] == head)
        #expect(labels["org.opencontainers.image.version"] == "main")
        #expect(labels["org.opencontainers.image.vendor"] == "Acme")
        let created = try #require(labels["org.opencontainers.image.created"])
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        #expect(formatter.date(from: created) == ISO8601DateFormatter().date(from: committed), "the commit's time, not the clock")
    }

    @Test("the tree tag stays when a commit touches none of the service's inputs, and moves when one does")
    func treeTag() async throws {
        func treeTag(at sha: String) async throws -> String? {
            let (outcome, _) = try await run(
                .named(["api"]), event: "push", payload: ["ref": "refs/heads/main"], sha: sha, ref: "refs/heads/main")
            return (try services(outcome)["api"]?["tags"] as? [String])?.first { $0.contains(":tree-") }
        }
        let first = try await treeTag(at: base)
        let unrelated = try fixture.commit(files: ["services/web/index.js": "2"])
        let dependency = try fixture.commit(files: ["libs/util.py": "2"])
        #expect(first != nil)
        #expect(try await treeTag(at: unrelated) == first)
        #expect(try await treeTag(at: dependency) != first)
    }

    @Test("a pull request: pr-N and the merge commit's sha, or the head's with the option")
    func pullRequest() async throws {
        let head = try fixture.commit(files: ["services/web/index.js": "2"])
        let payload: [String: Any] = [
            "number": 42,
            "pull_request": ["number": 42, "base": ["ref": "main", "sha": base], "head": ["ref": "topic", "sha": head]],
        ]
        let (outcome, _) = try await run(.named(["web"]), event: "pull_request", payload: payload, sha: head, ref: "refs/pull/42/merge")
        let tags = try #require(try services(outcome)["web"]?["tags"] as? [String])
        #expect(tags.first == "ghcr.io/acme/web:pr-42")
        #expect(tags.contains("ghcr.io/acme/web:sha-\(head.prefix(7))"))
    }

    @Test("a semver tag push, with --ref: the version and latest")
    func tagPush() async throws {
        let (outcome, _) = try await run(
            .named(["web"]), event: "push", payload: ["ref": "refs/tags/v1.2.3"], sha: base, ref: "refs/tags/v1.2.3")
        let web = try #require(try services(outcome)["web"])
        #expect(web["version"] as? String == "1.2.3")
        let tags = try #require(web["tags"] as? [String])
        #expect(tags.first == "ghcr.io/acme/web:1.2.3")
        #expect(tags.last == "ghcr.io/acme/web:latest")
    }

    @Test("outside Actions: the tags a push of the checked-out branch would get")
    func local() async throws {
        _ = try fixture.git("checkout", "-q", "-b", "topic/x")
        let (outcome, _) = try await run(.named(["api"]))
        #expect(outcome.exitCode == 0, "\(outcome.standardError)")
        let tags = try #require(try services(outcome)["api"]?["tags"] as? [String])
        #expect(tags.first == "ghcr.io/acme/api:topic-x")
    }

    @Test("rules that give no tag on this event are an error at the rules, saying why for each")
    func noTag() async throws {
        try fixture.write(
            "gantry.yml",
            Self.configuration.replacingOccurrences(
                of: "  - type=ref,event=branch\n  - type=ref,event=pr\n  - type=semver,pattern={{version}}\n  - type=sha\n  - type=tree\n",
                with: "  - type=semver,pattern={{version}}\n"))
        _ = try fixture.commit("only semver")
        let (outcome, _) = try await run(
            .named(["api"]), event: "push", payload: ["ref": "refs/heads/main"], sha: try fixture.git("rev-parse", "HEAD"),
            ref: "refs/heads/main")
        #expect(outcome.exitCode == 2)
        let message = outcome.standardError.joined(separator: "\n")
        #expect(message.contains("gantry.yml:5:"), "\(message)")
        #expect(message.contains("`api` gets no tag"))
        #expect(message.contains("push of refs/heads/main"))
        #expect(message.contains("type=semver,pattern={{version}}"))
    }

    @Test("an unknown --service is a usage error with a suggestion")
    func unknownService() async throws {
        let (outcome, _) = try await run(.named(["api", "webb"]))
        #expect(outcome.exitCode == 2)
        #expect(outcome.standardError.joined().contains("no service named `webb`"))
        #expect(outcome.standardError.joined().contains("did you mean `web`?"))
    }

    @Test("nothing changed: no images, a note, and empty outputs")
    func nothingChanged() async throws {
        let head = try fixture.commit(files: ["README.md": "docs"])
        let (outcome, actions) = try await run(
            .changed, event: "push", payload: ["before": base, "after": head, "ref": "refs/heads/main"], sha: head, ref: "refs/heads/main")
        #expect(outcome.exitCode == 0)
        #expect(try services(outcome).isEmpty)
        #expect(actions?.outputs["tags"] == "")
    }
}
