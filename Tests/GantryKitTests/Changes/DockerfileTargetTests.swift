import Basics
import Config
import GantryKit
import Git
import TestSupport
import Testing

/// `target:` with `inputs: dockerfile` on a real repository: one Dockerfile whose `runtime` stage
/// is the service's image and whose `test` stage after it copies the tests, built by two services
/// as a compose file or bake file builds them.
@Suite("Inputs of a targeted Dockerfile stage")
struct DockerfileTargetTests {
    static let configuration = """
        version: 1
        services:
          api:
            context: services/api
            inputs: dockerfile
            target: runtime
          api-tests:
            context: services/api
            inputs: dockerfile
            target: Test

        """
    static let dockerfile = """
        FROM python:3.12-slim AS base
        WORKDIR /app
        COPY requirements.txt .
        RUN pip install -r requirements.txt

        FROM base AS runtime
        COPY src/ ./src/
        CMD ["python", "-m", "src.main"]

        FROM runtime AS test
        COPY tests/ ./tests/
        RUN pytest

        """

    let fixture: GitFixture
    let initial: String

    init() throws {
        fixture = try GitFixture()
        initial = try fixture.commit(
            files: [
                "gantry.yml": Self.configuration,
                "services/api/Dockerfile": Self.dockerfile,
                "services/api/requirements.txt": "flask\n",
                "services/api/src/main.py": "print('api')\n",
                "services/api/tests/test_main.py": "def test(): pass\n",
            ], message: "initial")
    }

    @Test func aFileOnlyAStageAfterTheTargetCopiesChangesNeitherTheServiceNorItsTreeTag() async throws {
        let head = try fixture.commit(files: ["services/api/tests/test_main.py": "def test(): assert True\n"])
        let changes = try await fixture.changes(from: initial, to: head)
        #expect(changes.changedServiceNames == ["api-tests"])
        #expect(changes.reasons(of: "api-tests") == ["inputs: services/api/tests/test_main.py, copied by services/api/Dockerfile:11"])
        let before = try fixture.treeHashes(at: initial)
        let after = try fixture.treeHashes(at: head)
        #expect(after["api"] == before["api"])
        #expect(after["api-tests"] != before["api-tests"])
    }

    @Test func aFileTheTargetStageCopiesChangesTheServiceAndItsTreeTag() async throws {
        let head = try fixture.commit(files: ["services/api/src/main.py": "print('api v2')\n"])
        let changes = try await fixture.changes(from: initial, to: head)
        #expect(changes.changedServiceNames == ["api", "api-tests"])
        #expect(changes.reasons(of: "api") == ["inputs: services/api/src/main.py, copied by services/api/Dockerfile:7"])
        #expect(try fixture.treeHashes(at: head)["api"] != fixture.treeHashes(at: initial)["api"])
    }

    @Test func theTargetIsPartOfTheTreeTag() throws {
        let before = try fixture.treeHashes(at: initial)  // the configuration is read from the working tree
        let head = try fixture.commit(files: [
            "gantry.yml": Self.configuration.replacingOccurrences(of: "target: runtime", with: "target: base")
        ])
        #expect(try fixture.treeHashes(at: head)["api"] != before["api"])
        #expect(try fixture.treeHashes(at: head)["api-tests"] == before["api-tests"])
    }

    @Test func aTargetNoStageHasIsAnErrorAtTheDockerfileNotNothingChanged() async throws {
        let misnamed = try fixture.commit(files: [
            "gantry.yml": Self.configuration.replacingOccurrences(of: "target: runtime", with: "target: runtim"),
            "services/api/src/main.py": "print('api v3')\n",
        ])
        let expected = GantryError.invalidConfiguration([
            Diagnostic(
                "`services.api.target` is \"runtim\", but no stage of the Dockerfile has that name (docker: target stage \"runtim\" "
                    + "could not be found); expected one of its stages: base, runtime, test",
                at: SourceLocation(file: "services/api/Dockerfile", line: 1, column: 1), kind: .invalidValue)
        ])
        await #expect(throws: expected) { try await fixture.changes(from: initial, to: misnamed) }
        #expect(throws: expected) { try fixture.treeHashes(at: misnamed) }
    }

    @Test func aPullRequestThatAddsTheTargetStageIsJudgedWithTheWholeContextAtTheBase() async throws {
        let base = try fixture.commit(files: ["services/api/Dockerfile": "FROM python:3.12-slim AS base\nCOPY requirements.txt .\n"])
        let head = try fixture.commit(files: [
            "services/api/Dockerfile": Self.dockerfile,
            "services/api/src/main.py": "print('api v2')\n",
            "services/api/tests/test_main.py": "def test(): assert True\n",
        ])
        let changes = try await fixture.changes(from: base, to: head)
        #expect(changes.changedServiceNames == ["api", "api-tests"])
        #expect(
            changes.reasons(of: "api") == [
                "inputs: services/api/Dockerfile, the Dockerfile",
                "inputs: services/api/tests/test_main.py, read (the whole context) by services/api/Dockerfile:1",
                "inputs: services/api/src/main.py, copied by services/api/Dockerfile:7",
            ])
    }

    @Test func aTargetThatIsNoStageNameIsLocatedInTheConfiguration() throws {
        let text = """
            version: 1
            services:
              api:
                context: services/api
                target: [runtime]
              web:
                context: services/web
                target: 1
              docs:
                context: services/docs
                target: "run time"

            """
        do {
            _ = try Configuration(parsing: text, file: "gantry.yml")
            Issue.record("the configuration was accepted")
        } catch {
            let expected =
                "must name a stage of the Dockerfile (`FROM IMAGE AS NAME`): a letter, then letters, digits, `-`, `_` or `.`, "
                + "like runtime (a stage's index is not accepted)"
            #expect(
                error.lines == [
                    "gantry.yml:5:13: `services.api.target` must be a string, got a list",
                    "gantry.yml:8:13: `services.web.target` \(expected); got the number 1",
                    "gantry.yml:11:13: `services.docs.target` \(expected); got the string \"run time\"",
                ])
        }
    }
}
