import Foundation
import TestSupport
import Testing

/// `gantry changes` as a user or a workflow runs it: the real binary, a real repository.
@Suite("gantry changes")
struct ChangesCommandTests {
    let fixture: GitFixture
    let base: String

    init() throws {
        fixture = try GitFixture()
        base = try fixture.commit(files: [
            "gantry.yml": """
            version: 1
            registry: ghcr.io/acme
            groups:
              common: ["libs/**"]
            services:
              api: {paths: ["services/api/**"], depends_on: [common]}
              web: {paths: ["services/web/**"]}

            """,
            "services/api/app.py": "1", "services/web/index.js": "1", "libs/util.py": "1",
        ])
    }

    func gantry(_ arguments: [String], environment: [String: String] = [:], in directory: String? = nil) throws -> CommandResult {
        try runGantry(arguments, in: directory ?? fixture.path, variables: environment)
    }

    @Test("prints the documented JSON shape")
    func jsonShape() throws {
        let head = try fixture.commit(files: ["libs/util.py": "2"])
        let result = try gantry(["changes", "--format", "json", "--base", base])
        #expect(result.status == 0, "\(result.standardError)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(json["base"] as? String == base)
        #expect(json["head"] as? String == head)
        #expect(json["base_reason"] as? String == "--base \(base)")
        #expect(json["changed"] as? [String] == ["api"])
        let services = try #require(json["services"] as? [[String: Any]])
        #expect(services.map { $0["name"] as? String } == ["api", "web"])
        #expect(services[0]["changed"] as? Bool == true)
        #expect((services[0]["reasons"] as? [[String: Any]])?.first?["kind"] as? String == "dependency")
        #expect((services[0]["reasons"] as? [[String: Any]])?.first?["detail"] as? String == "group common")
        #expect(services[1]["files"] as? [String] == [])
        let matrix = try #require(json["matrix"] as? [String: Any])
        let include = try #require(matrix["include"] as? [[String: String]])
        #expect(
            include == [
                ["service": "api", "image": "ghcr.io/acme/api", "context": "services/api", "dockerfile": "services/api/Dockerfile"]
            ])
    }

    @Test("a service that builds a named stage carries it in its matrix entry, for build-push-action's target; the others have none")
    func matrixCarriesTheTarget() throws {
        let monorepo = try GitFixture()
        let first = try monorepo.commit(files: [
            "gantry.yml": "version: 1\nservices:\n  api: {paths: [api/**], target: runtime}\n  web: {paths: [web/**]}\n"
        ])
        try monorepo.commit(files: ["api/main.py": "1", "web/index.js": "1"])
        let result = try gantry(["changes", "--format", "json", "--base", first], in: monorepo.path)
        #expect(result.status == 0, "\(result.standardError)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let include = try #require((json["matrix"] as? [String: Any])?["include"] as? [[String: String]])
        #expect(include.map { $0["target"] } == ["runtime", nil])
    }

    @Test("more changed services than --max-jobs: the matrix packs each once into that many balanced jobs, and the notes say so")
    func matrixPackedPastMaxJobs() throws {
        let names = (1...8).map { "svc-\($0)" }
        let monorepo = try GitFixture()
        let services = names.map { "  \($0): {paths: [\"\($0)/**\"]}" }.joined(separator: "\n")
        let first = try monorepo.commit(files: ["gantry.yml": "version: 1\nservices:\n\(services)\n"])
        try monorepo.commit(files: Dictionary(uniqueKeysWithValues: names.map { ("\($0)/main.py", "1") }))

        let packed = try gantry(["changes", "--format", "json", "--base", first, "--max-jobs", "3"], in: monorepo.path)
        #expect(packed.status == 0, "\(packed.standardError)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(packed.standardOutput.utf8)) as? [String: Any])
        let include = try #require((json["matrix"] as? [String: Any])?["include"] as? [[String: Any]])
        let packs = include.compactMap { $0["services"] as? [String] }
        #expect(include.count == 3 && packs.count == 3)
        #expect(packs.map(\.count) == [3, 3, 2])
        #expect(packs.flatMap { $0 } == names)
        #expect(include.map { $0["service"] as? String } == packs.map { $0.joined(separator: " ") })
        #expect(include.allSatisfy { $0["image"] == nil })
        #expect(
            json["notes"] as? [String]
                == [
                    "8 services changed, more than --max-jobs 3: the matrix packs them into 3 jobs of 2 or 3 services each (`matrix.services`)"
                ])

        let fits = try gantry(["changes", "--format", "json", "--base", first, "--max-jobs", "8"], in: monorepo.path)
        let unpacked = try #require(try JSONSerialization.jsonObject(with: Data(fits.standardOutput.utf8)) as? [String: Any])
        let entries = try #require((unpacked["matrix"] as? [String: Any])?["include"] as? [[String: String]])
        #expect(entries.map { $0["service"] } == names)
        #expect(entries[0] == ["service": "svc-1", "image": "svc-1", "context": "svc-1", "dockerfile": "svc-1/Dockerfile"])
        #expect(unpacked["notes"] as? [String] == [])

        let zero = try gantry(["changes", "--base", first, "--max-jobs", "0"], in: monorepo.path)
        #expect(zero.status == 2)
        #expect(zero.standardError.contains("--max-jobs must be at least 1 (got 0)"))
    }

    @Test("prints a readable report by default")
    func textReport() throws {
        try fixture.commit(files: ["services/web/index.js": "2"])
        let result = try gantry(["changes", "--base", base])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("1 of 2 services changed (1 file in the diff)"))
        #expect(result.standardOutput.contains("● web  1 file: services/web/index.js"))
        #expect(result.standardOutput.contains("○ api  unchanged"))
    }

    @Test("counts read as people say them: 1 file, 1 service, the one service, both services")
    func countsInWords() throws {
        try fixture.commit(files: ["libs/util.py": "2", "services/web/index.js": "2"])
        let both = try gantry(["changes", "--all"])
        #expect(both.standardOutput.contains("\nboth services changed: "), "\(both.standardOutput)")
        let single = try GitFixture()
        let first = try single.commit(files: ["gantry.yml": "version: 1\nservices:\n  api: {paths: [\"api/**\"]}\n", "api/a.py": "1"])
        try single.commit(files: ["api/a.py": "2"])
        let one = try gantry(["changes", "--base", first], in: single.path)
        #expect(one.standardOutput.contains("\n1 of 1 service changed (1 file in the diff)\n"), "\(one.standardOutput)")
        let all = try gantry(["changes", "--all"], in: single.path)
        #expect(all.standardOutput.contains("\nthe one service changed: "), "\(all.standardOutput)")
    }

    @Test("under Actions, writes every output, safely, whatever the branch and file names")
    func stepOutputs() throws {
        let hostile = "services/web/evil\nchanged=[\"pwned\"]\n::error::x.js"
        let head = try fixture.commit(files: [hostile: "x"])
        let actions = try ActionsEnvironment(
            eventName: "push",
            payload: ["before": base, "after": head, "ref": "refs/heads/feat\nany-changed=false"],
            workspace: fixture.path, sha: head)
        let result = try gantry(["changes"], environment: actions.variables)
        #expect(result.status == 0, "\(result.standardError)")
        let outputs = actions.outputs
        #expect(outputs["changed"] == "[\"web\"]")
        #expect(outputs["any-changed"] == "true")
        #expect(outputs["base"] == base)
        #expect(outputs["head"] == head)
        #expect(outputs["web"] == "true")
        #expect(outputs["api"] == "false")
        #expect(
            outputs["matrix"]
                == "{\"include\":[{\"context\":\"services/web\",\"dockerfile\":\"services/web/Dockerfile\",\"image\":\"ghcr.io/acme/web\",\"service\":\"web\"}]}"
        )
        #expect(Set(outputs.keys) == ["changed", "matrix", "any-changed", "base", "head", "json", "api", "web"])
        // The log: the hostile name stays on its line, inside a pause of workflow commands.
        let lines = result.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        let token = try #require(lines.first?.split(separator: "::").last)
        #expect(lines.first == "::stop-commands::\(token)")
        #expect(lines.last == "::\(token)::")
        #expect(lines.dropFirst().dropLast().allSatisfy { !$0.hasPrefix("::") && !$0.hasPrefix("changed=") })
        #expect(result.standardOutput.contains("services/web/evil\\nchanged=[\"pwned\"]\\n::error::x.js"))
    }

    @Test("a missing commit is exit 2 with the remedy, never an empty success")
    func missingCommitExitsTwo() throws {
        let head = try fixture.commit(files: ["services/web/index.js": "2"])
        let actions = try ActionsEnvironment(
            eventName: "push", payload: ["before": String(repeating: "a", count: 40), "after": head, "ref": "refs/heads/main"],
            workspace: fixture.path, sha: head)
        let result = try gantry(["changes"], environment: actions.variables)
        #expect(result.status == 2)
        #expect(result.standardError.contains("fetch-depth: 0"))
        #expect(result.standardOutput.isEmpty)
        #expect(actions.outputFile.isEmpty)
    }

    @Test("a malformed event payload is exit 2 with the file named")
    func malformedPayload() throws {
        let actions = try ActionsEnvironment(eventName: "push", payload: [:], workspace: fixture.path)
        try Data("not json".utf8).write(to: URL(fileURLWithPath: actions.variables["GITHUB_EVENT_PATH"]!))
        let result = try gantry(["changes"], environment: actions.variables)
        #expect(result.status == 2)
        #expect(result.standardError.contains("event payload at \(actions.variables["GITHUB_EVENT_PATH"]!) is not valid JSON"))
    }

    @Test("an invalid configuration is exit 2 with file:line:col")
    func invalidConfiguration() throws {
        try fixture.commit(files: ["gantry.yml": "version: 1\nservices:\n  api: {pathz: [a]}\n"])
        let result = try gantry(["changes", "--all"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("gantry.yml:3:9: unknown key `pathz` in `services.api`; did you mean `paths`?"))
    }

    @Test("an unknown option is exit 2")
    func usageError() throws {
        let result = try gantry(["changes", "--bogus"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("Unknown option '--bogus'"))
    }

    @Test("a mistyped command is exit 2 with the command meant and the list: gantry chnages, gantry env dwn")
    func mistypedCommand() throws {
        let top = try gantry(["chnages", "--base", "HEAD"])
        #expect(top.status == 2)
        #expect(
            top.standardError
                == "gantry: unknown command `chnages`; did you mean `changes`? (gantry commands: run, changes, tags, env, gate, findings, validate, summary, explain, action)\n"
        )
        let nested = try gantry(["env", "dwn"])
        #expect(nested.status == 2)
        #expect(
            nested.standardError.hasPrefix("gantry: unknown command `dwn`; did you mean `down`? (gantry env commands: up, down, "),
            "\(nested.standardError)")
        let unlike = try gantry(["deploy"])
        #expect(unlike.standardError.hasPrefix("gantry: unknown command `deploy` (gantry commands: "), "\(unlike.standardError)")
    }

    @Test("--help shows examples, --version the version")
    func helpAndVersion() throws {
        let help = try gantry(["changes", "--help"])
        #expect(help.status == 0)
        #expect(help.standardOutput.contains("Examples:"))
        #expect(help.standardOutput.contains("--working-tree"))
        let version = try gantry(["--version"])
        #expect(version.status == 0)
        #expect(version.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
        // `--version` alone is answered before ArgumentParser runs; the same flag elsewhere is
        // ArgumentParser's, and both must print the same.
        let parsed = try gantry(["--version", "--version"])
        #expect(parsed.status == 0)
        #expect(parsed.standardOutput == version.standardOutput && version.standardError.isEmpty)
    }
}

@Suite("gantry validate")
struct ValidateCommandTests {
    func validate(_ text: String?, arguments: [String] = []) throws -> CommandResult {
        let directory = try TemporaryDirectory()
        if let text { try Data(text.utf8).write(to: URL(fileURLWithPath: directory.url("gantry.yml"))) }
        return try runCommand(try gantryExecutable(), ["validate", "--repository", directory.path] + arguments, in: directory.path)
    }

    @Test("exit 0 and a summary for a valid file")
    func valid() throws {
        let result = try validate("version: 1\nservices:\n  api: {paths: [a/**]}\n")
        #expect(result.status == 0)
        #expect(result.standardOutput == "gantry.yml: valid (1 service, 0 groups)\n")
    }

    @Test("exit 2 and one file:line:col: message per problem")
    func invalid() throws {
        let result = try validate("version: 1\nservices:\n  api:\n    paths: [a/**]\n    depends_on: [api]\n  Web: {paths: [b]}\n")
        #expect(result.status == 2)
        #expect(
            result.standardError == """
                gantry.yml:5:18: dependency cycle: api → api; depends_on must not lead back to a service
                gantry.yml:6:3: invalid service name `Web`: it must start with a lowercase letter; expected lowercase letters, digits, '-' and '_', starting with a letter, such as `user-api`
                gantry.yml: 2 problems

                """)
    }

    @Test("--format json lists the diagnostics")
    func json() throws {
        let result = try validate("version: 1\nservices: {}\n", arguments: ["--format", "json"])
        #expect(result.status == 2)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(json["valid"] as? Bool == false)
        let diagnostics = try #require(json["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.first?["line"] as? Int == 2)
        #expect(diagnostics.first?["column"] as? Int == 11)
    }

    @Test("a missing or empty file is exit 2 with a clear message, not a crash")
    func missingAndEmpty() throws {
        let missing = try validate(nil)
        #expect(missing.status == 2)
        #expect(missing.standardError.hasPrefix("gantry.yml:1:1: no configuration file here"))
        let empty = try validate("")
        #expect(empty.status == 2)
        #expect(empty.standardError.hasPrefix("gantry.yml:1:1: the file is empty"))
    }
}
