import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The action's "Run gantry" step, run as the runner runs it: the `command` input becomes gantry's
/// arguments without a shell, gantry is the step's process, and it writes the outputs the action
/// declares.
@Suite("The action's run step", .serialized)
struct RunStepTests {
    let action: CompositeAction
    let repository: GitFixture
    let scripts: TemporaryDirectory
    let base: String

    init() throws {
        action = try CompositeAction()
        repository = try GitFixture()
        scripts = try TemporaryDirectory(prefix: "gantry-action-steps")
        base = try repository.commit(files: [
            "gantry.yml": """
            version: 1
            registry: ghcr.io/acme
            services:
              api: {paths: ["services/api/**"]}
              web: {paths: ["services/web/**"]}

            """,
            "services/api/app.py": "1", "services/web/index.js": "1",
        ])
    }

    /// Runs the step under a simulated push from `base` to the head.
    func runStep(_ inputs: [String: String], in directory: String? = nil) async throws -> (
        result: CommandResult, actions: ActionsEnvironment
    ) {
        let head = try repository.git("rev-parse", "HEAD")
        let actions = try ActionsEnvironment(
            eventName: "push", payload: ["before": base, "after": head, "ref": "refs/heads/main"], workspace: repository.path, sha: head)
        var variables = GitFixture.environment.filter { !$0.key.hasPrefix("GITHUB_") && !$0.key.hasPrefix("RUNNER_") }
        variables.merge(actions.variables) { _, new in new }
        let result = try await action.run(
            step: "gantry", inputs: inputs, context: ["steps.install.outputs.path": try gantryExecutable()], variables: variables,
            in: directory ?? repository.path, scripts: scripts)
        return (result, actions)
    }

    @Test(
        "a hostile command input runs nothing: no substitution, no variable, no second command",
        arguments: [
            "changes --base $(touch PWNED)",
            "changes --base \"$(touch PWNED)\"",
            "changes --base `touch PWNED`",
            "changes; touch PWNED",
            "changes ; touch PWNED",
            "changes && touch PWNED",
            "changes | touch PWNED",
            "changes\ntouch PWNED",
            "changes --base a;touch${IFS}PWNED",
            "$(touch PWNED)",
            "tags --ref 'refs/heads/$(touch PWNED)'",
        ])
    func hostileCommandRunsNothing(command: String) async throws {
        let (result, actions) = try await runStep(["command": command])
        #expect(!FileManager.default.fileExists(atPath: repository.path + "/PWNED"), "\(command) ran something")
        #expect(!FileManager.default.fileExists(atPath: scripts.path + "/PWNED"))
        // Refused as usage (2), or taken as literal text (a tag for a branch named so): never more.
        #expect([0, 2].contains(result.status), "\(result.standardError)")
        #expect(actions.outputs["exit-code"] == String(result.status))
    }

    @Test("the command's outputs and exit-code reach the step's outputs; json is the command's document")
    func outputs() async throws {
        try repository.commit(files: ["services/web/index.js": "2"])
        let (result, actions) = try await runStep(["command": "changes"])
        #expect(result.status == 0, "\(result.standardError)")
        let outputs = actions.outputs
        #expect(outputs["changed"] == "[\"web\"]")
        #expect(outputs["any-changed"] == "true")
        #expect(outputs["exit-code"] == "0")
        #expect(outputs["summary"] == "false", "auto renders no summary after a single command")
        let json = try #require(try JSONSerialization.jsonObject(with: Data((outputs["json"] ?? "").utf8)) as? [String: Any])
        #expect(json["changed"] as? [String] == ["web"])
        for name in outputs.keys where !["summary", "state-dir", "api", "web"].contains(name) {
            #expect(action.outputs[name] != nil, "gantry writes output \(name), which action.yml does not declare")
        }
    }

    @Test(
        "exit-code is gantry's exit code, also for usage and configuration errors",
        arguments: [
            ("changes", 0), ("changes --no-such-flag", 2), ("validate --config missing.yml", 2), ("", 2),
            ("gate --command 'exit 3' --failure-threshold 1", 1),
        ])
    func exitCode(command: String, expected: Int32) async throws {
        let (result, actions) = try await runStep(["command": command])
        #expect(result.status == expected, "\(result.standardError)")
        #expect(actions.outputs["exit-code"] == String(expected))
    }

    @Test("env up with a service serving TLS writes ca-bundle, an output action.yml declares: the bundle that verifies it")
    func caBundleOutput() async throws {
        try repository.commit(files: [
            "gantry.yml": """
            version: 1
            services:
              api: {paths: ["services/api/**"], working_directory: ".", tls: true, run: "exec python3 server.py", health: ["${url}/"]}

            """,
            "server.py": PerRunTLSService.script,
        ])
        let state = try TemporaryDirectory(prefix: "gantry-action-state")
        let (up, actions) = try await runStep(["command": "env up --state-dir \(state.path)"])
        let bundle = actions.outputs["ca-bundle"] ?? ""
        let (down, _) = try await runStep(["command": "env down --state-dir \(state.path)"])
        #expect(up.status == 0, "\(up.standardOutput)\(up.standardError)")
        #expect(action.outputs["ca-bundle"] != nil, "gantry writes output ca-bundle, which action.yml does not declare")
        #expect(bundle.hasPrefix(state.path) && bundle.hasSuffix("/tls/trusted.pem"), "\(actions.outputs)")
        #expect(down.status == 0, "\(down.standardOutput)\(down.standardError)")
        #expect(!bundle.isEmpty && !FileManager.default.fileExists(atPath: bundle), "env down deletes the bundle")
    }

    @Test("a run whose environment never comes up writes passed=false, not nothing, beside exit-code 1")
    func passedFalseWhenUpFails() async throws {
        try repository.commit(files: [
            "gantry.yml": """
            version: 1
            services:
              api: {paths: ["services/api/**"], working_directory: ".", run: "exit 3", health: ["${url}/"]}

            """
        ])
        let (result, actions) = try await runStep(["command": "run --always"])
        #expect(result.status == 1, "\(result.standardError)")
        #expect(actions.outputs["passed"] == "false")
        #expect(actions.outputs["exit-code"] == "1")
    }

    @Test("a leading `gantry` is allowed, and summary auto renders after run only")
    func summaryChoice() async throws {
        for (inputs, expected) in [
            (["command": "gantry changes"], "false"), (["command": "run"], "true"), (["command": "changes", "summary": "true"], "true"),
            (["command": "run", "summary": "false"], "false"),
        ] {
            let (result, actions) = try await runStep(inputs)
            #expect(result.status == 0, "\(inputs): \(result.standardError)")
            #expect(actions.outputs["summary"] == expected, "\(inputs)")
        }
        let (refused, _) = try await runStep(["command": "changes", "summary": "yes"])
        #expect(refused.status == 2)
        #expect(refused.standardError.contains("expected auto, true or false"))
    }

    @Test("working-directory becomes --repository, and config and sarif are read from there")
    func workingDirectory() async throws {
        try repository.commit(files: [
            "monorepo/ci/gantry.yml": "version: 1\nservices:\n  solo: {paths: [\"monorepo/solo/**\"]}\n", "monorepo/solo/a": "1",
        ])
        let (result, actions) = try await runStep([
            "command": "changes", "working-directory": "monorepo", "config": "ci/gantry.yml", "sarif": "gantry.sarif",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(actions.outputs["changed"] == "[\"solo\"]")
        let sarif = try #require(actions.outputs["sarif"])
        #expect(sarif == repository.path + "/monorepo/gantry.sarif")
        #expect(FileManager.default.fileExists(atPath: sarif))
    }

    @Test("the sarif output names only a file that was written, and the summary step reads the records where the command kept them")
    func sarifAndStateDirectory() async throws {
        let (refused, refusedActions) = try await runStep(["command": "changes --no-such-flag", "sarif": "gantry.sarif"])
        #expect(refused.status == 2)
        #expect(refusedActions.outputs["sarif"] == "", "a command that stopped early wrote no SARIF file")

        try repository.commit(files: ["services/web/index.js": "2"])
        let (result, actions) = try await runStep(["command": "changes --state-dir records", "summary": "true"])
        #expect(result.status == 0, "\(result.standardError)")
        let stateDirectory = try #require(actions.outputs["state-dir"])
        #expect(stateDirectory == repository.path + "/records")
        var variables = GitFixture.environment.filter { !$0.key.hasPrefix("GITHUB_") && !$0.key.hasPrefix("RUNNER_") }
        variables.merge(actions.variables) { _, new in new }
        let summary = try await action.run(
            step: "summary", inputs: [:],
            context: ["steps.install.outputs.path": try gantryExecutable(), "steps.gantry.outputs.state-dir": stateDirectory],
            variables: variables, in: repository.path, scripts: scripts)
        #expect(summary.status == 0, "\(summary.standardError)")
        let written = try String(contentsOfFile: actions.directory.url("summary"), encoding: .utf8)
        #expect(written.contains("1 of 2 services changed"), "\(written)")
    }

    @Test("gantry is the step's own process, so the runner's SIGINT reaches it: the environment goes down and it exits 130")
    func cancellationReachesGantry() async throws {
        try repository.commit(files: [
            "gantry.yml": """
            version: 1
            services:
              api:
                paths: ["services/api/**"]
                working_directory: "."
                run: "exec python3 -m http.server ${port} --bind 127.0.0.1"
                health: ["${url}/"]
            environment: {grace: 1s}

            """
        ])
        let head = try repository.git("rev-parse", "HEAD")
        let actions = try ActionsEnvironment(
            eventName: "push", payload: ["before": base, "after": head, "ref": "refs/heads/main"], workspace: repository.path, sha: head)
        let registry = try TemporaryDirectory(prefix: "gantry-action-registry")
        var variables = GitFixture.environment.filter { !$0.key.hasPrefix("GITHUB_") && !$0.key.hasPrefix("RUNNER_") }
        variables.merge(actions.variables) { _, new in new }
        variables["GANTRY_REGISTRY"] = registry.path
        let marker = repository.path + "/test.started"
        let step = try action.start(
            step: "gantry", inputs: ["command": "run --always --test 'touch test.started; sleep 60'"],
            context: ["steps.install.outputs.path": try gantryExecutable()], variables: variables, in: repository.path, scripts: scripts)
        defer { step.stop() }
        var waited = 0
        while !FileManager.default.fileExists(atPath: marker), waited < 300 {
            try await Task.sleep(for: .milliseconds(100))
            waited += 1
        }
        try #require(FileManager.default.fileExists(atPath: marker), "the test command never started: \(step.standardError)")
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(step.id)/exe")
        #expect(
            executable == URL(fileURLWithPath: try gantryExecutable()).resolvingSymlinksInPath().path, "the step's process is \(executable)"
        )
        step.send(SIGINT)
        let status = await step.wait(timeout: .seconds(10))
        #expect(status == 130, "\(step.standardOutput)\(step.standardError)")
        #expect(actions.outputs["exit-code"] == "130")
        #expect(step.standardOutput.contains(try Regex("(?m)^down +[0-9.]+ s +passed$")), "\(step.standardOutput)")
    }
}
