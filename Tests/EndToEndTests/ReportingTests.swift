import Foundation
import TestSupport
import Testing

/// The recommended workflow, each command its own step (its own process), `gantry summary` last.
@Suite("Reporting across steps")
struct ReportingTests {
    let fixture: GitFixture
    let base: String

    init() throws {
        fixture = try GitFixture()
        base = try fixture.commit(files: [
            "gantry.yml": "version: 1\nservices:\n  api: {paths: [\"services/api/**\"]}\n  web: {paths: [\"services/web/**\"]}\n",
            "services/api/app.py": "1", "services/web/index.js": "1",
        ])
    }

    func gantry(_ arguments: [String], _ actions: ActionsEnvironment) throws -> CommandResult {
        try runGantry(arguments, in: fixture.path, variables: actions.variables)
    }

    @Test("validate, changes and summary compose into one summary with every section once")
    func oneSummary() throws {
        let head = try fixture.commit(files: ["services/web/index.js": "2"])
        let actions = try ActionsEnvironment(
            eventName: "push", payload: ["before": base, "after": head, "ref": "refs/heads/main"], workspace: fixture.path, sha: head)
        for arguments in [["validate"], ["changes"], ["changes"], ["summary"]] {
            let result = try gantry(arguments, actions)
            #expect(result.status == 0, "\(arguments): \(result.standardError)")
        }
        let summary = try String(contentsOfFile: actions.variables["GITHUB_STEP_SUMMARY"]!, encoding: .utf8)
        #expect(summary.hasPrefix("## ✅ gantry: 1 of 2 services changed\n"))
        #expect(summary.components(separatedBy: "### Changes").count == 2)
        let html = try CmarkGFM.html(summary)
        #expect(html.contains("<td>web</td>"))
        #expect(html.components(separatedBy: "<tr>").count - 1 == 2)
    }

    @Test("locally, a summary shows only its own run: a new one starts after a summary, or when the head commit changes")
    func localRuns() throws {
        let local = { (arguments: [String]) throws -> CommandResult in
            let result = try runGantry(arguments, in: self.fixture.path)
            #expect(result.status == 0, "\(arguments): \(result.standardError)")
            return result
        }
        _ = try local(["tags", "--all"])
        _ = try local(["changes", "--all"])
        #expect(try local(["summary"]).standardOutput.contains("api:main"), "one run: tags and changes")
        _ = try local(["changes", "--base", "HEAD", "--head", "HEAD"])
        let second = try local(["summary"]).standardOutput
        #expect(second.hasPrefix("✓ gantry: no service changed"), "\(second)")
        #expect(!second.contains("api:main"), "the earlier run's images are not mixed in: \(second)")
        _ = try local(["summary"])
        try fixture.commit(files: ["services/api/app.py": "2"])
        _ = try local(["validate"])
        let third = try local(["summary"]).standardOutput
        #expect(third.hasPrefix("✓ gantry: gantry.yml is valid"), "a new commit starts a new run: \(third)")
    }

    @Test("hostile branch and file names add no output, no workflow command, and do not break the summary")
    func hostileCorpus() throws {
        let delimiterLike = "gantry_" + String(repeating: "0", count: 32)
        let names = [
            "services/web/new\nline.js", "services/web/::error::pwned.js", "services/web/%0Aevil=1.js",
            "services/web/a|b.js", "services/web/<script>alert(1)<\\script>.js", "services/web/`tick`.js",
            "services/web/" + String(repeating: "long", count: 60) + ".js", "services/web/\(delimiterLike)\nweb=false.js",
            "services/web/any-changed=false\n.js",
        ]
        var files: [String: String] = [:]
        for name in names { files[name] = "x" }
        try fixture.git("checkout", "-q", "-b", "evil")
        let head = try fixture.commit(files: files)
        let actions = try ActionsEnvironment(
            eventName: "push",
            payload: [
                "before": String(repeating: "0", count: 40), "after": head, "ref": "refs/heads/evil\n::error::branch|<b>`x`\nchanged=[]",
                "repository": ["default_branch": "main"],
            ],
            workspace: fixture.path, sha: head, ref: "refs/heads/evil")
        let changes = try gantry(["changes"], actions)
        #expect(changes.status == 0, "\(changes.standardError)")
        let summary = try gantry(["summary"], actions)
        #expect(summary.status == 0)

        #expect(workflowCommands(in: changes) == [])
        #expect(workflowCommands(in: summary) == [])
        let outputs = actions.outputs
        #expect(Set(outputs.keys) == ["changed", "matrix", "any-changed", "base", "head", "json", "api", "web"])
        #expect(outputs["web"] == "true")
        #expect(outputs["any-changed"] == "true")
        #expect(outputs["changed"] == "[\"web\"]")

        let markdown = try String(contentsOfFile: actions.variables["GITHUB_STEP_SUMMARY"]!, encoding: .utf8)
        let html = try CmarkGFM.html(markdown)
        #expect(!html.contains("<script"))
        #expect(html.components(separatedBy: "<tr>").count - 1 == 2)
        // Every file is listed once, as code, inside the details of web.
        #expect(html.components(separatedBy: "<li><code>").count - 1 == names.count)
    }

    @Test("--sarif writes a valid file with one result per problem, and an empty valid file when all is well")
    func sarifFiles() throws {
        let actions = try ActionsEnvironment(eventName: "push", payload: [:], workspace: fixture.path)
        let clean = actions.directory.url("clean.sarif")
        #expect(try gantry(["validate", "--sarif", clean], actions).status == 0)
        let cleanJSON = try String(contentsOfFile: clean, encoding: .utf8)
        #expect(try sarifSchemaErrors(of: cleanJSON) == [])
        let cleanRun = try #require(
            (try JSONSerialization.jsonObject(with: Data(cleanJSON.utf8)) as? [String: Any])?["runs"] as? [[String: Any]])
        #expect((cleanRun.first?["results"] as? [Any])?.isEmpty == true)

        try fixture.commit(files: [
            "gantry.yml": "version: 1\nservices:\n  api:\n    paths: [\"[\"]\n    depends_on: [api, nope]\n  Web: {pathz: [x]}\n"
        ])
        let broken = actions.directory.url("broken.sarif")
        let result = try gantry(["validate", "--sarif", broken], actions)
        #expect(result.status == 2)
        let brokenJSON = try String(contentsOfFile: broken, encoding: .utf8)
        #expect(try sarifSchemaErrors(of: brokenJSON) == [])
        let results = try #require(
            ((try JSONSerialization.jsonObject(with: Data(brokenJSON.utf8)) as? [String: Any])?["runs"] as? [[String: Any]])?.first?[
                "results"]
                as? [[String: Any]])
        #expect(
            Set(results.compactMap { $0["ruleId"] as? String }) == [
                "gantry/config/invalid-glob", "gantry/config/dependency-cycle", "gantry/config/unknown-dependency",
                "gantry/config/invalid-name", "gantry/config/unknown-key", "gantry/config/invalid-value",
            ])
        let firstRegion =
            ((results.first?["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["region"] as? [String: Any]
        #expect(firstRegion?["startLine"] as? Int == 4)
        // The same problems as annotations on their lines.
        let annotations = workflowCommands(in: result)
        #expect(annotations.count == results.count)
        #expect(annotations.first?.hasPrefix("::error file=gantry.yml,line=4,col=13,title=") == true)
    }

    @Test("more than ten problems: ten error annotations, the rest counted in a notice")
    func annotationLimit() throws {
        let services = (0..<14).map { "  Bad\($0): {paths: [x]}" }.joined(separator: "\n")
        try fixture.commit(files: ["gantry.yml": "version: 1\nservices:\n\(services)\n"])
        let actions = try ActionsEnvironment(eventName: "push", payload: [:], workspace: fixture.path)
        let result = try gantry(["validate"], actions)
        #expect(result.status == 2)
        let commands = workflowCommands(in: result)
        #expect(commands.filter { $0.hasPrefix("::error ") }.count == 10)
        #expect(commands.last?.hasPrefix("::notice::4 more errors not shown as annotations") == true)
        #expect(commands.count == 11)
    }

    @Test("a broken event payload fails changes, and the summary says so instead of reporting success")
    func brokenPayload() throws {
        let actions = try ActionsEnvironment(eventName: "push", payload: [:], workspace: fixture.path)
        try Data(#"{"before": 5}"#.utf8).write(to: URL(fileURLWithPath: actions.variables["GITHUB_EVENT_PATH"]!))
        #expect(try gantry(["validate"], actions).status == 0)
        let changes = try gantry(["changes"], actions)
        #expect(changes.status == 2)
        #expect(changes.standardError.contains("`before` should be a string"))
        let summary = try gantry(["summary"], actions)
        #expect(summary.status == 0)
        let markdown = try String(contentsOfFile: actions.variables["GITHUB_STEP_SUMMARY"]!, encoding: .utf8)
        #expect(markdown.hasPrefix("## ❌ gantry: changes failed\n"))
        #expect(FileManager.default.fileExists(atPath: actions.directory.url("gantry/records")))
    }

    @Test("a step that cannot write its SARIF file fails, and its record says so")
    func unwritableSARIF() throws {
        let actions = try ActionsEnvironment(eventName: "workflow_dispatch", payload: [:], workspace: fixture.path)
        let changes = try gantry(["changes", "--sarif", "/nonexistent/dir/out.sarif"], actions)
        #expect(changes.status == 2)
        #expect(changes.standardError.contains("cannot write the SARIF file /nonexistent/dir/out.sarif"))
        let summary = try gantry(["summary"], actions)
        #expect(summary.standardOutput.contains("gantry: changes failed"))
    }

    @Test("summary exits 0 even when it cannot write the summary file, and says why")
    func unwritableSummary() throws {
        let actions = try ActionsEnvironment(eventName: "workflow_dispatch", payload: [:], workspace: fixture.path)
        actions.set("GITHUB_STEP_SUMMARY", "/nonexistent/dir/summary.md")
        let summary = try gantry(["summary"], actions)
        #expect(summary.status == 0)
        #expect(summary.standardError.contains("cannot open the summary file /nonexistent/dir/summary.md"))
    }

    @Test("steps running at the same time all land in the state directory")
    func concurrentProcesses() throws {
        let state = try TemporaryDirectory()
        let executable = try gantryExecutable()
        let path = fixture.path
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            _ = try? runCommand(executable, ["validate", "--state-dir", state.path], in: path, environment: GitFixture.environment)
        }
        let records = try FileManager.default.contentsOfDirectory(atPath: state.url("records")).filter { $0.hasSuffix(".json") }
        #expect(records.count == 8)
        let summary = try runCommand(executable, ["summary", "--state-dir", state.path], in: path, environment: GitFixture.environment)
        #expect(summary.standardOutput.hasPrefix("✓ gantry: gantry.yml is valid"))
    }
}
