import Foundation
import TestSupport
import Testing

/// `target:` through the binary: `explain` shows the stage built and the stages not built, the bake
/// file builds that stage, and a target the Dockerfile lacks fails `changes`, `tags` and `explain` at the Dockerfile.
@Suite("gantry with a build target")
struct BuildTargetCommandTests {
    static let configuration = """
        version: 1
        tags: [type=sha, type=tree]
        services:
          api:
            context: services/api
            inputs: dockerfile
            target: runtime

        """

    let fixture: GitFixture
    let base: String

    init() throws {
        fixture = try GitFixture()
        base = try fixture.commit(
            files: [
                "gantry.yml": Self.configuration,
                "services/api/Dockerfile":
                    "FROM python:3.12 AS runtime\nCOPY src/ /app/src/\n\nFROM runtime AS test\nCOPY tests/ /app/tests/\n",
                "services/api/src/main.py": "main\n",
                "services/api/tests/test_main.py": "test\n",
            ], message: "initial")
    }

    @Test func explainShowsTheTargetAndMarksTheStagesNotBuilt() throws {
        let text = try runGantry(["explain", "api"], in: fixture.path)
        #expect(text.status == 0, "\(text.standardError)")
        #expect(text.standardOutput.contains("no ignore file; builds the stage runtime (target: runtime)"))
        #expect(
            text.standardOutput.contains(
                "5  COPY tests/ /app/tests/\n     reads nothing: the stage test is not needed by the target stage runtime"))
        #expect(text.standardOutput.contains("2  COPY src/ /app/src/\n     reads services/api/src/main.py"))
        let json = try runGantry(["explain", "api", "--format", "json"], in: fixture.path)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        #expect(document["target"] as? String == "runtime")
        #expect(document["built_stage"] as? String == "runtime")
        #expect(document["inputs"] as? Int == 2)  // main.py and the Dockerfile
    }

    @Test func theBakeFileBuildsTheTargetAndTheTreeTagIgnoresTheTests() throws {
        let bake = try runGantry(["tags", "--all", "--format", "bake"], in: fixture.path)
        #expect(bake.status == 0, "\(bake.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bake.standardOutput.utf8)) as? [String: Any])
        let targets = try #require(object["target"] as? [String: [String: Any]])
        #expect(targets["api"]?["target"] as? String == "runtime")
        let tree = { (output: String) in output.split(separator: "\n").first { $0.contains(":tree-") }.map(String.init) }
        let before = tree(try runGantry(["tags", "--all"], in: fixture.path).standardOutput)
        _ = try fixture.commit(files: ["services/api/tests/test_main.py": "test v2\n"])
        let afterTests = tree(try runGantry(["tags", "--all"], in: fixture.path).standardOutput)
        _ = try fixture.commit(files: ["services/api/src/main.py": "main v2\n"])
        let afterSource = tree(try runGantry(["tags", "--all"], in: fixture.path).standardOutput)
        #expect(before != nil)
        #expect(afterTests == before)
        #expect(afterSource != before)
    }

    @Test func changesPassesOnThePullRequestThatAddsTheTargetStage() throws {
        let before = try fixture.commit(files: ["services/api/Dockerfile": "FROM python:3.12\nCOPY src/ /app/src/\n"])
        let head = try fixture.commit(files: [
            "services/api/Dockerfile": "FROM python:3.12 AS runtime\nCOPY src/ /app/src/\n",
            "services/api/src/main.py": "main v2\n",
        ])
        let changes = try runGantry(["changes", "--base", before, "--head", head], in: fixture.path)
        #expect(changes.status == 0, "\(changes.standardError)")
        #expect(changes.standardOutput.contains("services/api/src/main.py, copied by services/api/Dockerfile:2"))
        let tags = try runGantry(["tags", "--all"], in: fixture.path)
        #expect(tags.status == 0, "\(tags.standardError)")
    }

    @Test func aTargetTheDockerfileLacksFailsChangesTagsAndExplainAtTheDockerfile() throws {
        let head = try fixture.commit(files: [
            "gantry.yml": Self.configuration.replacingOccurrences(of: "target: runtime", with: "target: prod"),
            "services/api/src/main.py": "main v3\n",
        ])
        let message =
            "services/api/Dockerfile:1:1: `services.api.target` is \"prod\", but no stage of the Dockerfile has that name (docker: "
            + "target stage \"prod\" could not be found); expected one of its stages: runtime, test"
        let changes = try runGantry(["changes", "--base", base, "--head", head], in: fixture.path)
        #expect(changes.status == 2)
        #expect(changes.standardError.contains(message), "\(changes.standardError)")
        let tags = try runGantry(["tags", "--all"], in: fixture.path)
        #expect(tags.status == 2)
        #expect(tags.standardError.contains(message), "\(tags.standardError)")
        let explain = try runGantry(["explain", "api"], in: fixture.path)
        #expect(explain.status == 2)
        #expect(explain.standardError.contains(message), "\(explain.standardError)")
    }
}
