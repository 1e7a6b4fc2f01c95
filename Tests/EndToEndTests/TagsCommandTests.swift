import Foundation
import TestSupport
import Testing

/// `gantry tags` as a workflow runs it: the real binary, a real repository, an event.
@Suite("gantry tags")
struct TagsCommandTests {
    let fixture: GitFixture
    let base: String

    init() throws {
        fixture = try GitFixture()
        base = try fixture.commit(files: [
            "gantry.yml": """
            version: 1
            registry: ghcr.io/acme
            tags: |
              type=ref,event=branch
              type=ref,event=pr
              type=sha
            services:
              api: {paths: ["services/api/**"]}
              web: {paths: ["services/web/**"], dockerfile: docker/web.Dockerfile}

            """,
            "services/api/app.py": "1", "services/web/index.js": "1",
        ])
    }

    func gantry(_ arguments: [String], _ actions: ActionsEnvironment? = nil) throws -> CommandResult {
        try runGantry(arguments, in: fixture.path, variables: actions?.variables ?? [:])
    }

    @Test("the changed services' tags as outputs, a bake file, and an Images section in the summary")
    func workflow() throws {
        let head = try fixture.commit(files: ["services/web/index.js": "2"])
        let actions = try ActionsEnvironment(
            eventName: "push", payload: ["before": base, "after": head, "ref": "refs/heads/main"], workspace: fixture.path,
            sha: head, ref: "refs/heads/main")
        let tags = try gantry(["tags"], actions)
        #expect(tags.status == 0, "\(tags.standardError)")
        #expect(tags.standardOutput.contains("ghcr.io/acme/web:main"))
        #expect(actions.outputs["tags"] == "ghcr.io/acme/web:main\nghcr.io/acme/web:sha-\(head.prefix(7))")
        let bake = try #require(actions.outputs["bake-file"])
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: bake))) as? [String: Any])
        let target = try #require((object["target"] as? [String: [String: Any]])?["web"])
        #expect(target["context"] as? String == "services/web")
        #expect(target["dockerfile"] as? String == "../../docker/web.Dockerfile")

        let summary = try gantry(["summary"], actions)
        #expect(summary.status == 0)
        let markdown = try String(contentsOfFile: actions.variables["GITHUB_STEP_SUMMARY"]!, encoding: .utf8)
        #expect(markdown.contains("### Images"))
        #expect(markdown.contains("`ghcr.io/acme/web:main`"))
    }

    @Test("rules pasted with ${{ }} expressions are evaluated against the run: event, ref, repository and payload")
    func pastedExpressions() throws {
        try fixture.commit(files: [
            "gantry.yml": """
            version: 1
            registry: ghcr.io/Acme
            tags:
              - type=raw,value=dev,enable=${{ github.ref == 'refs/heads/develop' }}
              - type=raw,value=latest,enable=${{ github.ref == format('refs/heads/{0}', github.event.repository.default_branch) }}
              - type=raw,value=${{ github.event_name }}-${{ github.run_number }},enable=${{ startsWith(github.ref, 'refs/heads/') }}
            services:
              api: {paths: ["services/api/**"]}

            """
        ])
        let head = try fixture.commit(files: ["services/api/app.py": "2"])
        for (ref, expected) in [("refs/heads/develop", ["dev", "push-7"]), ("refs/heads/main", ["latest", "push-7"])] {
            let actions = try ActionsEnvironment(
                eventName: "push", payload: ["before": base, "after": head, "ref": ref, "repository": ["default_branch": "main"]],
                workspace: fixture.path, sha: head, ref: ref)
            actions.set("GITHUB_RUN_NUMBER", "7")
            let tags = try gantry(["tags", "--service", "api"], actions)
            #expect(tags.status == 0, "\(tags.standardError)")
            #expect(actions.outputs["tags"] == expected.map { "ghcr.io/acme/api:\($0)" }.joined(separator: "\n"), "\(ref)")
        }
        let validate = try gantry(["validate"])
        #expect(validate.status == 0, "\(validate.standardOutput)")
    }

    @Test("an expression outside the supported subset is a validation error at its line and column")
    func unsupportedExpression() throws {
        try fixture.commit(files: [
            "gantry.yml": "version: 1\ntags:\n  - type=raw,value=x,enable=${{ vars.DEPLOY }}\nservices:\n  api: {paths: [a/**]}\n"
        ])
        let validate = try gantry(["validate"])
        #expect(validate.status == 2)
        #expect(validate.standardError.contains("gantry.yml:3:33: "), "\(validate.standardError)")
        #expect(validate.standardError.contains("'vars' is not available in gantry.yml: gantry evaluates the github context only"))
    }

    @Test("--format bake prints a bake file; --format json the documented shape")
    func formats() throws {
        let bake = try gantry(["tags", "--all", "--format", "bake"])
        #expect(bake.status == 0, "\(bake.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bake.standardOutput.utf8)) as? [String: Any])
        #expect((object["group"] as? [String: [String: [String]]])?["default"]?["targets"] == ["api", "web"])
        let json = try gantry(["tags", "--service", "api", "--format", "json"])
        let services = try #require(
            (try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])?["services"] as? [String: Any])
        #expect(Array(services.keys) == ["api"])
    }

    @Test("a hostile ref yields valid tags and cannot inject an output or a workflow command")
    func hostileRef() throws {
        let ref = "refs/heads/evil\n::error::pwned\ntags=injected"
        let actions = try ActionsEnvironment(
            eventName: "push", payload: ["ref": ref], workspace: fixture.path, sha: base, ref: ref)
        let result = try gantry(["tags", "--all"], actions)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(workflowCommands(in: result) == [])
        #expect(Set(actions.outputs.keys) == ["tags", "json", "bake-file"])
        for reference in actions.outputs["tags"]?.split(separator: "\n") ?? [] {
            let tag = reference.split(separator: ":").last ?? ""
            #expect(tag.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }, "\(tag)")
        }
    }

    @Test("--all with --service is a usage error")
    func contradiction() throws {
        let result = try gantry(["tags", "--all", "--service", "api"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("contradict"))
    }
}
