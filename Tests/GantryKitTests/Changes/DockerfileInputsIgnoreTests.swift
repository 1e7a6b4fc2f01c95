import Config
import GantryKit
import Git
import TestSupport
import Testing

/// A service's `ignore` applies to the inputs its Dockerfile gives it, as it does to `paths`: an
/// ignored file changes neither the service nor its tree hash, even when a `COPY` reads it.
@Suite("Ignore with inputs derived from Dockerfiles")
struct DockerfileInputsIgnoreTests {
    static let configuration = """
        version: 1
        services:
          api:
            context: .
            dockerfile: services/api/Dockerfile
            inputs: dockerfile
            ignore: ["**/*.md"]

        """

    let fixture: GitFixture
    let initial: String

    init() throws {
        fixture = try GitFixture()
        initial = try fixture.commit(
            files: [
                "gantry.yml": Self.configuration,
                "services/api/Dockerfile": "FROM python:3.12\nCOPY docs /docs\nCOPY services/api /app\n",
                "docs/README.md": "docs\n",
                "docs/schema.json": "{}\n",
                "services/api/app.py": "print('api')\n",
            ], message: "initial")
    }

    @Test func aCopiedFileThatIgnoreMatchesChangesNeitherTheServiceNorItsTreeHash() async throws {
        let head = try fixture.commit(files: ["docs/README.md": "more docs\n"])
        #expect(try await fixture.changes(from: initial, to: head).changedServiceNames == [])
        #expect(try fixture.treeHashes(at: head)["api"] == fixture.treeHashes(at: initial)["api"])
    }

    @Test func aCopiedFileThatIgnoreDoesNotMatchStillChangesTheService() async throws {
        let head = try fixture.commit(files: ["docs/schema.json": "{\"v\": 2}\n"])
        #expect(try await fixture.changes(from: initial, to: head).changedServiceNames == ["api"])
        #expect(try fixture.treeHashes(at: head)["api"] != fixture.treeHashes(at: initial)["api"])
    }
}
