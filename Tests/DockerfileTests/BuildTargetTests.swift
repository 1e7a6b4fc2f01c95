import Basics
import Testing

@testable import Dockerfile

/// A build that targets a named stage (`target:`), as BuildKit's `--target` selects it.
@Suite("Build targets")
struct BuildTargetTests {
    /// A runtime stage, and a test stage after it that copies the tests, as real bake files write them.
    static let dockerfile = """
        FROM python:3.12 AS base
        COPY requirements.txt .
        RUN pip install -r requirements.txt

        FROM base AS Runtime
        COPY app/ ./app/

        FROM runtime AS test
        COPY tests/ ./tests/
        """
    static let files = ["app/main.py", "requirements.txt", "tests/test_main.py"]

    private func plan(_ text: String = Self.dockerfile, target: String?) throws(DockerfileError) -> BuildPlan {
        try BuildPlan(
            DockerfileSyntax(text: text, file: "services/api/Dockerfile"), buildArguments: [:],
            target: target.map { BuildPlan.Target(stage: $0, setting: "services.api.target") })
    }

    private func readFiles(_ plan: BuildPlan) throws -> [String] {
        var budget = MatchBudget()
        return try ContextSelection(plan: plan, ignore: IgnoreFile(), files: Self.files, budget: &budget).readers.keys.sorted()
    }

    @Test func aNamedTargetReadsOnlyWhatTheStagesItReachesCopy() throws {
        let runtime = try plan(target: "runtime")
        #expect(try readFiles(runtime) == ["app/main.py", "requirements.txt"])
        #expect(runtime.builtStage == "runtime")
        #expect(runtime.steps.filter { $0.unbuiltStage == "test" }.map(\.line) == [8, 9])
        #expect(runtime.steps.allSatisfy { $0.unbuiltStage == nil || $0.unbuiltStage == "test" })
    }

    @Test func withoutATargetTheLastStageIsBuilt() throws {
        let last = try plan(target: nil)
        #expect(try readFiles(last) == Self.files)
        #expect(last.builtStage == "test")
    }

    @Test func theTargetMatchesAStageNameWithoutCase() throws {
        #expect(try plan(target: "RUNTIME").builtStage == "runtime")
        #expect(try plan(target: "Base").steps.filter { $0.unbuiltStage != nil }.map(\.line) == [5, 6, 8, 9])
    }

    @Test func aTargetReachesTheStagesItCopiesFromAndMounts() throws {
        let dockerfile = """
            FROM golang:1.22 AS build
            COPY cmd/ ./cmd/
            FROM node:20 AS assets
            RUN --mount=type=bind,source=web,target=/web npm run build
            FROM alpine AS docs
            COPY docs/ /docs/
            FROM scratch AS release
            COPY --from=build /out/app /app
            RUN --mount=from=assets,target=/assets cp -r /assets /static
            FROM release AS debug
            COPY tools/ /tools/
            """
        let release = try plan(dockerfile, target: "release")
        #expect(release.steps.filter { $0.unbuiltStage != nil }.map(\.line) == [5, 6, 10, 11])
    }

    @Test func theLastStageOfADuplicatedNameIsTheTarget() throws {
        let dockerfile = "FROM alpine AS app\nCOPY old/ /old/\nFROM alpine AS app\nCOPY new/ /new/\n"
        #expect(try plan(dockerfile, target: "app").steps.map(\.unbuiltStage) == ["app", "app", nil, nil])
    }

    @Test func aTargetNoStageHasIsAnErrorThatListsTheStages() throws {
        #expect(
            throws: DockerfileError(
                "`services.api.target` is \"tests\", but no stage of the Dockerfile has that name (docker: target stage \"tests\" "
                    + "could not be found); expected one of its stages: base, runtime, test",
                file: "services/api/Dockerfile", line: 1)
        ) { try plan(target: "tests") }
        #expect(throws: DockerfileError.self) { try plan("FROM alpine\nCOPY app /app\n", target: "alpine") }
        do {
            _ = try plan("FROM alpine\nCOPY app /app\n", target: "alpine")
        } catch {
            #expect(error.message.hasSuffix("it names no stage; expected `FROM IMAGE AS alpine` on the stage to build"))
        }
    }

    @Test func anotherFrontendIsReadWholeWhateverTheTarget() throws {
        let other = try plan("# syntax=example.com/frontend:1\nFROM alpine AS a\n", target: "missing")
        #expect(other.builtStage == nil)
        #expect(other.steps.first?.fallback != nil)
    }
}
