import Basics
import Config
import GantryKit
import Git
import TestSupport
import Testing

/// `inputs: dockerfile` on real repositories: a Python API built from the repository root (it copies
/// the shared library), and a multi-stage Node web service with its own context and ignore file.
@Suite("Inputs derived from Dockerfiles")
struct DockerfileInputsTests {
    static let configuration = """
        version: 1
        services:
          api:
            context: .
            dockerfile: services/api/Dockerfile
            inputs: dockerfile
            build_args: {PYTHON_VERSION: "3.12"}
          web:
            context: services/web
            inputs: dockerfile

        """
    static let apiDockerfile = """
        # syntax=docker/dockerfile:1
        ARG PYTHON_VERSION=3.11
        FROM python:${PYTHON_VERSION}-slim AS base
        WORKDIR /app
        COPY services/api/requirements.txt .
        RUN pip install -r requirements.txt
        COPY libs/common /app/libs/common
        COPY services/api/src ./src
        CMD ["python", "-m", "src.main"]

        """
    static let webDockerfile = """
        FROM node:20 AS build
        WORKDIR /web
        COPY package.json package-lock.json ./
        RUN npm ci
        COPY . .
        RUN npm run build

        FROM nginx:1.27
        COPY --from=build /web/dist /usr/share/nginx/html

        """

    let fixture: GitFixture
    let initial: String

    init() throws {
        fixture = try GitFixture()
        initial = try fixture.commit(
            files: [
                "gantry.yml": Self.configuration,
                "services/api/Dockerfile": Self.apiDockerfile,
                "services/api/requirements.txt": "flask\n",
                "services/api/src/main.py": "print('api')\n",
                "services/api/tests/test_main.py": "def test(): pass\n",
                "libs/common/text.py": "def slug(): pass\n",
                "libs/other/unused.py": "x = 1\n",
                "services/web/Dockerfile": Self.webDockerfile,
                "services/web/.dockerignore": "node_modules\n**/*.md\n!CHANGELOG.md\n",
                "services/web/package.json": "{}\n",
                "services/web/package-lock.json": "{}\n",
                "services/web/src/app.js": "app\n",
                "services/web/README.md": "docs\n",
                "services/web/CHANGELOG.md": "1.0\n",
            ], message: "initial")
    }

    @Test func aCopiedSharedLibraryFileChangesTheServiceWithItsLine() async throws {
        let head = try fixture.commit(files: ["libs/common/text.py": "def slug(): return 1\n"])
        let changes = try await fixture.changes(from: initial, to: head)
        #expect(changes.changedServiceNames == ["api"])
        #expect(changes.reasons(of: "api") == ["inputs: libs/common/text.py, copied by services/api/Dockerfile:7"])
        #expect(try fixture.treeHashes(at: head)["api"] != fixture.treeHashes(at: initial)["api"])
        #expect(try fixture.treeHashes(at: head)["web"] == fixture.treeHashes(at: initial)["web"])
    }

    @Test func aFileInTheContextThatNoInstructionReadsChangesNothing() async throws {
        let head = try fixture.commit(files: [
            "services/api/tests/test_main.py": "def test(): assert 1\n", "libs/other/unused.py": "x = 2\n",
        ])
        #expect(try await fixture.changes(from: initial, to: head).changedServiceNames == [])
        #expect(try fixture.treeHashes(at: head) == fixture.treeHashes(at: initial))
    }

    @Test func anIgnoredFileChangesNothingButAnExceptionDoes() async throws {
        let ignored = try fixture.commit(files: ["services/web/README.md": "more docs\n"])
        #expect(try await fixture.changes(from: initial, to: ignored).changedServiceNames == [])
        #expect(try fixture.treeHashes(at: ignored)["web"] == fixture.treeHashes(at: initial)["web"])
        let excepted = try fixture.commit(files: ["services/web/CHANGELOG.md": "1.1\n"])
        #expect(try await fixture.changes(from: initial, to: excepted).changedServiceNames == ["web"])
        #expect(
            try await fixture.changes(from: initial, to: excepted).reasons(of: "web") == [
                "inputs: services/web/CHANGELOG.md, copied by services/web/Dockerfile:5"
            ])
    }

    @Test func theDockerfileAndTheIgnoreFileAreInputsThemselves() async throws {
        let dockerfile = try fixture.commit(files: ["services/api/Dockerfile": Self.apiDockerfile + "EXPOSE 8000\n"])
        #expect(
            try await fixture.changes(from: initial, to: dockerfile).reasons(of: "api") == [
                "inputs: services/api/Dockerfile, the Dockerfile"
            ])
        let ignore = try fixture.commit(files: ["services/web/.dockerignore": "node_modules\n"])
        // The README is no longer ignored at the head: the union of both sides' inputs counts it too.
        #expect(try await fixture.changes(from: initial, to: ignore).changedServiceNames == ["api", "web"])
        #expect(
            try await fixture.changes(from: initial, to: ignore).reasons(of: "web") == [
                "inputs: services/web/.dockerignore, copied by services/web/Dockerfile:5"
            ])  // `COPY . .` copies it too
        #expect(try await fixture.changes(from: initial, to: dockerfile).reasons(of: "web") == [])
        #expect(try fixture.treeHashes(at: ignore)["web"] != fixture.treeHashes(at: initial)["web"])
    }

    @Test func aFileACommitStopsCopyingStillCounts() async throws {
        let head = try fixture.commit(files: [
            "services/api/Dockerfile": Self.apiDockerfile.replacingOccurrences(of: "COPY libs/common /app/libs/common\n", with: ""),
            "libs/common/text.py": "changed\n",
        ])
        #expect(
            try await fixture.changes(from: initial, to: head).reasons(of: "api").contains(
                "inputs: libs/common/text.py, copied by services/api/Dockerfile:7"))
    }

    @Test func buildArgumentsAreHashed() throws {
        let before = try fixture.treeHashes(at: initial)
        let head = try fixture.commit(files: [
            "gantry.yml": Self.configuration.replacingOccurrences(of: "\"3.12\"", with: "\"3.13\"")
        ])
        #expect(try fixture.treeHashes(at: head)["api"] != before["api"])
        #expect(try fixture.treeHashes(at: head)["web"] == before["web"])
    }

    @Test func aSourceWithAnUnknownArgumentFallsBackToTheWholeContext() async throws {
        let dockerfile = "FROM node:20\nARG APP_DIR\nCOPY $APP_DIR /app\n"
        let base = try fixture.commit(files: ["services/web/Dockerfile": dockerfile])
        let head = try fixture.commit(files: ["services/web/README.md": "changed\nbut ignored\n", "services/web/src/app.js": "v2\n"])
        let changes = try await fixture.changes(from: base, to: head)
        #expect(changes.reasons(of: "web") == ["inputs: services/web/src/app.js, read (the whole context) by services/web/Dockerfile:3"])
    }

    @Test func badValuesOfTheNewKeysAreLocated() throws {
        let text = """
            version: 1
            services:
              api:
                context: services/api
                inputs: dockerfiles
                build_args: {"1BAD": x}

            """
        #expect(throws: GantryError.self) { try Configuration(parsing: text, file: "gantry.yml") }
        do {
            _ = try Configuration(parsing: text, file: "gantry.yml")
        } catch {
            #expect(
                error.lines == [
                    "gantry.yml:5:13: `services.api.inputs` must be `dockerfile` (the files its Dockerfile's COPY and ADD read); got \"dockerfiles\"",
                    "gantry.yml:6:18: `services.api.build_args` has the name \"1BAD\", which no ARG can declare; expected letters, digits and _, like NODE_VERSION",
                ])
        }
    }

    @Test func aHostileDockerfileIsAnErrorAtItsLine() async throws {
        let head = try fixture.commit(files: [
            "services/web/Dockerfile": "FROM node\nRUN <<EOF\nnever closed\n", "services/web/src/app.js": "v3\n",
        ])
        await #expect(
            throws: GantryError.invalidConfiguration([
                Diagnostic(
                    "the here-document `<<EOF` is never closed; expected a line that is exactly `EOF`",
                    at: SourceLocation(file: "services/web/Dockerfile", line: 2, column: 1), kind: .invalidValue)
            ])
        ) { try await fixture.changes(from: initial, to: head) }
    }
}
