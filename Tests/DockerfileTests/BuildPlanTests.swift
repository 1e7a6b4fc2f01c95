import Basics
import Testing

@testable import Dockerfile

/// What a Dockerfile reads from its context, instruction by instruction.
@Suite("Build plans")
struct BuildPlanTests {
    private func plan(_ text: String, _ arguments: [String: String] = [:]) throws -> BuildPlan {
        try BuildPlan(DockerfileSyntax(text: text, file: "Dockerfile"), buildArguments: arguments)
    }

    private func readFiles(_ text: String, _ files: [String], ignore: String = "", _ arguments: [String: String] = [:]) throws -> [String] {
        var budget = MatchBudget()
        let selection = try ContextSelection(
            plan: try plan(text, arguments), ignore: try IgnoreFile(text: ignore, file: ".dockerignore"), files: files, budget: &budget)
        return selection.readers.keys.sorted()
    }

    static let files = [
        "app/main.py", "app/util.py", "docs/guide.md", "libs/common/text.py", "package.json", "requirements.txt", "tests/test_x.py",
    ]

    @Test func multiStagePythonBuildReadsOnlyWhatItCopies() throws {
        let dockerfile = """
            # syntax=docker/dockerfile:1.7
            ARG PYTHON=3.12
            FROM python:${PYTHON}-slim AS base
            WORKDIR /app
            COPY requirements.txt .
            RUN pip install -r requirements.txt

            FROM base AS final
            COPY libs/common /app/libs/common
            COPY app/ ./app/
            CMD ["python", "-m", "app.main"]
            """
        #expect(
            try readFiles(dockerfile, Self.files) == ["app/main.py", "app/util.py", "libs/common/text.py", "requirements.txt"])
        let steps = try plan(dockerfile).steps
        #expect(steps.first?.outside == ["the base image python:3.12-slim"])
        #expect(steps.first { $0.sources.map(\.path) == ["libs/common"] }?.line == 9)
    }

    @Test func continuationsHeredocsAndTheEscapeDirectiveKeepLineNumbers() throws {
        let dockerfile = """
            # escape=`
            FROM scratch
            RUN <<EOF
            COPY docs /docs
            EOF
            COPY `
              # a comment inside the instruction
              app `
              /app
            """
        let steps = try plan(dockerfile).steps
        #expect(steps.map(\.line) == [2, 6])
        #expect(steps[1].sources.map(\.path) == ["app"])
    }

    @Test func copyFromAStageOrImageAndRemoteAddReadNothingFromTheContext() throws {
        let dockerfile = """
            FROM node:20 AS build
            COPY package.json ./
            FROM nginx
            COPY --from=build /app/dist /usr/share/nginx/html
            COPY --from=alpine /etc/os-release /
            ADD https://example.com/a.tgz /tmp/
            ADD git@github.com:acme/x.git /x
            """
        #expect(try readFiles(dockerfile, Self.files) == ["package.json"])
        let outside = try plan(dockerfile).steps.flatMap(\.outside)
        #expect(outside.contains("the URL https://example.com/a.tgz"))
        #expect(outside.contains("the git repository git@github.com:acme/x.git"))
    }

    @Test func aStageTheTargetDoesNotNeedIsNotBuilt() throws {
        let dockerfile = """
            FROM python AS tests
            COPY tests /tests
            FROM python
            COPY app /app
            """
        #expect(try readFiles(dockerfile, Self.files) == ["app/main.py", "app/util.py"])
    }

    @Test func buildArgumentsAndEnvironmentAreExpandedInSources() throws {
        let dockerfile = """
            FROM scratch
            ARG SERVICE_DIR=docs
            ENV LIB=libs/common
            COPY ${SERVICE_DIR} $LIB/*.py /dest/
            """
        #expect(try readFiles(dockerfile, Self.files) == ["docs/guide.md", "libs/common/text.py"])
        #expect(try readFiles(dockerfile, Self.files, ["SERVICE_DIR": "app"]) == ["app/main.py", "app/util.py", "libs/common/text.py"])
    }

    @Test func anArgumentWithNoValueFallsBackToTheWholeContext() throws {
        let dockerfile = "FROM scratch\nARG DIR\nCOPY $DIR /dest\n"
        let step = try plan(dockerfile).steps[1]
        #expect(step.fallback?.contains("DIR, which has no value") == true)
        #expect(try readFiles(dockerfile, Self.files).count == Self.files.count)
        #expect(try readFiles(dockerfile, Self.files, ["DIR": "app"]) == ["app/main.py", "app/util.py"])
    }

    @Test func aNameOnlyTheBaseImageCouldDefineFallsBack() throws {
        let step = try plan("FROM python\nCOPY $APP_HOME/x /x\n").steps[1]
        #expect(step.fallback?.contains("base image's environment") == true)
        #expect(try plan("FROM scratch\nCOPY ${APP_HOME}app /x\n").steps[1].sources.map(\.path) == ["app"])
    }

    @Test func unknownFrontendsFlagsAndWholeContextMountsFallBack() throws {
        #expect(try plan("# syntax=example.com/my/frontend:1\nFROM scratch\nCOPY app /app\n").steps.first?.fallback != nil)
        #expect(try plan("# syntax=docker/dockerfile:1-labs\nFROM scratch\nCOPY app /app\n").steps[1].fallback == nil)
        #expect(try plan("FROM scratch\nCOPY --future-flag app /app\n").steps[1].fallback?.contains("--future-flag") == true)
        #expect(
            try plan("FROM alpine\nRUN --mount=type=bind,target=/src make\n").steps[1].fallback?.contains("whole build context") == true)
        #expect(try plan("FROM alpine\nRUN --mount=type=bind,source=app,target=/src make\n").steps[1].sources.map(\.path) == ["app"])
        #expect(try plan("FROM alpine\nRUN --mount=type=cache,target=/root/.cache pip install x\n").steps.count == 1)
    }

    @Test func excludeAndParentsNarrowAndWidenSources() throws {
        #expect(try readFiles("FROM scratch\nCOPY --exclude=*.md . /src\n", Self.files).contains("docs/guide.md"))
        #expect(try !readFiles("FROM scratch\nCOPY --exclude=**/*.md . /src\n", Self.files).contains("docs/guide.md"))
        #expect(try readFiles("FROM scratch\nCOPY --parents **/*.py /src/\n", Self.files).count == 4)
    }

    @Test func theIgnoreFileRemovesWhatCopyWouldRead() throws {
        var budget = MatchBudget()
        let selection = try ContextSelection(
            plan: try plan("FROM scratch\nCOPY . /app\n"), ignore: try IgnoreFile(text: "docs\ntests\n", file: ".dockerignore"),
            files: Self.files, budget: &budget)
        #expect(selection.steps[1].ignored.map(\.path) == ["docs/guide.md", "tests/test_x.py"])
        #expect(selection.steps[1].ignored.map(\.line) == [1, 2])
        #expect(selection.readers["app/main.py"] == [2])
    }

    @Test func hostileInputIsRefusedAtItsLine() {
        let cases = [
            ("FROM scratch\nRUN <<EOF\necho\n", 2),  // a here-document never closed
            (String(repeating: "FROM scratch\n", count: 300), 257),  // too many stages
            ("COPY a b\n", 1),  // COPY before FROM
            ("FROM scratch\nCOPY onlyone\n", 2),
            ("FROM scratch\nCOPY [a /b\n", 2),
        ]
        for (text, line) in cases {
            do {
                _ = try plan(text)
                Issue.record("expected an error for \(text.prefix(40).debugDescription)")
            } catch {
                #expect((error as? DockerfileError)?.location.line == line, "\(error)")
            }
        }
    }

    @Test func deepExpansionIsCutOffNotFollowed() throws {
        let nested = String(repeating: "${A:-", count: 40) + "x" + String(repeating: "}", count: 40)
        #expect(try plan("FROM scratch\nCOPY \(nested) /x\n").steps[1].fallback?.contains("deeper") == true)
    }
}
