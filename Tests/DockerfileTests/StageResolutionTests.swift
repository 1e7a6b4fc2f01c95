import Basics
import Testing

@testable import Dockerfile

/// Which stage a `FROM`, `COPY --from` or mount `from=` names, as BuildKit's dockerfile2llb resolves
/// it: `FROM` the latest earlier stage of the name, `--from` and `from=` the last one in the whole
/// file, an index only for `COPY --from`, and no variable in either.
@Suite("Stage resolution")
struct StageResolutionTests {
    static let files = ["app/main.py", "one/a.txt", "src/b.txt", "two/c.txt"]

    private func plan(_ text: String, target: String? = nil) throws(DockerfileError) -> BuildPlan {
        try BuildPlan(
            DockerfileSyntax(text: text, file: "Dockerfile"), buildArguments: [:],
            target: target.map { BuildPlan.Target(stage: $0, setting: "services.api.target") })
    }

    private func readFiles(_ plan: BuildPlan) throws -> [String] {
        var budget = MatchBudget()
        return try ContextSelection(plan: plan, ignore: IgnoreFile(), files: Self.files, budget: &budget).readers.keys.sorted()
    }

    private func unbuiltLines(_ plan: BuildPlan) -> [Int] {
        plan.steps.filter { $0.unbuiltStage != nil }.map(\.line)
    }

    private func message(_ text: String, target: String? = nil) -> String? {
        do {
            _ = try plan(text, target: target)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func fromTakesTheLatestEarlierStageOfADuplicatedName() throws {
        let built = try plan(
            "FROM alpine AS builder\nCOPY one/ /one\nFROM alpine AS builder\nCOPY two/ /two\nFROM builder\nCOPY app/ /app\n")
        #expect(try readFiles(built) == ["app/main.py", "two/c.txt"])
        #expect(unbuiltLines(built) == [1, 2])
    }

    @Test func copyFromAndMountFromTakeTheLastStageOfANameInTheWholeFile() throws {
        let stages = "FROM alpine AS builder\nCOPY one/ /one\nFROM alpine AS builder\nCOPY two/ /two\nFROM alpine\n"
        let copy = try plan(stages + "COPY --from=builder /two /two\n")
        #expect(try readFiles(copy) == ["two/c.txt"])
        #expect(unbuiltLines(copy) == [1, 2])
        #expect(copy.steps.last?.outside == ["files of the stage builder, not of the context"])
        // Whatever its type, a mount's from= builds the stage it names.
        let cache = try plan(stages + "RUN --mount=type=cache,from=builder,target=/cache true\n")
        #expect(try readFiles(cache) == ["two/c.txt"])
        #expect(cache.steps.last?.outside == ["a mount of the stage builder, not of the context"])
    }

    @Test func aBuiltStageThatCopiesFromALaterStageIsRefusedAsTheBuilderRefusesIt() throws {
        let forward = "FROM alpine AS app\nCOPY --from=builder /src /src\nFROM alpine AS builder\nCOPY src/ /src\nFROM app\n"
        let refused = try #require(message(forward))
        #expect(refused.hasPrefix("Dockerfile:2:1: --from=builder names the stage of line 3, after the stage app that the build needs"))
        #expect(refused.contains("docker: cannot copy from stage \"builder\", it needs to be defined before current stage \"app\""))
        // Not built, the stage that copies forward is not refused, as the builder never builds it.
        let builder = try plan(forward, target: "builder")
        #expect(try readFiles(builder) == ["src/b.txt"])
        // A name given again after the stage that copies it is that later stage.
        let duplicated = "FROM alpine AS builder\nFROM alpine AS app\nCOPY --from=builder /x /x\nFROM alpine AS builder\nFROM app\n"
        #expect(message(duplicated)?.hasPrefix("Dockerfile:3:1: --from=builder names the stage of line 4") == true)
        let mount = "FROM alpine AS app\nRUN --mount=from=builder,target=/b true\nFROM alpine AS builder\nFROM app\n"
        #expect(message(mount)?.contains("cannot mount from stage \"builder\"") == true)
    }

    @Test func aStageThatDependsOnItselfIsRefusedEvenWhenNotBuilt() throws {
        let refused = message("FROM busybox AS stage0\nCOPY --from=stage0 f1 /sub/\nFROM alpine\n")
        #expect(refused?.hasPrefix("Dockerfile:1:1: the stage stage0 depends on itself") == true)
        #expect(refused?.contains("circular dependency detected on stage: stage0") == true)
        let loop = "FROM busybox AS a\nCOPY --from=b x /\nFROM busybox AS b\nCOPY --from=a y /\nFROM alpine\n"
        #expect(message(loop)?.contains("circular dependency detected on stage: a") == true)
    }

    @Test func onlyCopyFromTakesAStageIndex() throws {
        let stage = "FROM alpine\nCOPY one/ /one\n"
        let fromIndex = try plan(stage + "FROM 0\n")
        #expect(fromIndex.steps.last?.outside == ["the base image 0"])
        #expect(unbuiltLines(fromIndex) == [1, 2])
        let copyIndex = try plan(stage + "FROM alpine\nCOPY --from=0 /one /one\n")
        #expect(try readFiles(copyIndex) == ["one/a.txt"])
        let mountIndex = try plan(stage + "FROM alpine\nRUN --mount=from=0,target=/one true\n")
        #expect(mountIndex.steps.last?.outside == ["a mount of the image or build context 0"])
        #expect(unbuiltLines(mountIndex) == [1, 2])
        #expect(message(stage + "FROM alpine\nCOPY --from=5 /one /one\n")?.contains("invalid stage index 5") == true)
    }

    @Test func variableExpansionInFromIsRefusedAsTheBuilderRefusesIt() throws {
        let copy = message("ARG STAGE=builder\nFROM alpine AS builder\nFROM alpine\nCOPY --from=${STAGE} /x /x\n")
        #expect(copy?.hasPrefix("Dockerfile:4:1: `--from=${STAGE}` uses variable expansion or quotes") == true)
        let mount = message("FROM alpine\nARG STAGE=builder\nRUN --mount=type=bind,from=$STAGE,target=/x true\n")
        #expect(mount?.hasPrefix("Dockerfile:3:1: the mount `--mount=type=bind,from=$STAGE,target=/x` uses variable expansion") == true)
    }
}

/// `TARGETSTAGE`, the argument BuildKit predefines with the stage built.
@Suite("Predefined TARGETSTAGE")
struct TargetStageArgumentTests {
    private func sources(_ text: String, target: String? = nil, _ arguments: [String: String] = [:]) throws -> [String] {
        let plan = try BuildPlan(
            DockerfileSyntax(text: text, file: "Dockerfile"), buildArguments: arguments,
            target: target.map { BuildPlan.Target(stage: $0, setting: "services.api.target") })
        return plan.steps.filter { $0.unbuiltStage == nil }.flatMap { step in
            step.fallback.map { ["fallback: \($0)"] } ?? step.sources.map(\.path)
        }
    }

    @Test func targetStageIsTheTargetElseTheLastStageNameElseDefault() throws {
        let dockerfile = "ARG TARGETSTAGE\nFROM alpine AS runtime\nARG TARGETSTAGE\nCOPY ${TARGETSTAGE}/ /app\nFROM runtime AS test\n"
        #expect(try sources(dockerfile, target: "runtime") == ["runtime"])
        #expect(try sources(dockerfile) == ["test"])
        #expect(try sources("FROM alpine\nARG TARGETSTAGE\nCOPY ${TARGETSTAGE}/ /app\n") == ["default"])
        #expect(try sources(dockerfile, ["TARGETSTAGE": "given"]) == ["given"])
        // Not declared in the stage, it is not in scope there, as with any global argument.
        #expect(try sources("FROM scratch AS app\nCOPY ${TARGETSTAGE}x /app\n") == ["x"])
    }
}

/// `ONBUILD` triggers of a stage, which BuildKit runs in a stage of the same file built FROM it.
@Suite("ONBUILD triggers")
struct OnBuildTriggerTests {
    static let files = ["app/main.py", "one/a.txt", "src/b.txt", "two/c.txt"]

    private func plan(_ text: String) throws(DockerfileError) -> BuildPlan {
        try BuildPlan(DockerfileSyntax(text: text, file: "Dockerfile"), buildArguments: [:])
    }

    private func readFiles(_ plan: BuildPlan) throws -> [String: [Int]] {
        var budget = MatchBudget()
        return try ContextSelection(plan: plan, ignore: IgnoreFile(), files: Self.files, budget: &budget).readers
    }

    @Test func aTriggerRunsInTheStageBuiltFromItsStageAtItsOnBuildLine() throws {
        let built = try plan("FROM alpine AS base\nONBUILD COPY src/ /src\nCOPY one/ /one\nFROM base AS app\nCOPY app/ /app\n")
        #expect(try readFiles(built) == ["app/main.py": [5], "one/a.txt": [3], "src/b.txt": [2]])
        #expect(built.steps.map(\.instruction).contains("ONBUILD COPY src/ /src"))
        // Without a stage built FROM it, the trigger reads nothing in this build.
        let alone = try plan("FROM alpine AS base\nONBUILD COPY src/ /src\nCOPY one/ /one\n")
        #expect(try readFiles(alone) == ["one/a.txt": [3]])
    }

    @Test func aTriggerCopyingFromAStageBuildsThatStage() throws {
        let built = try plan(
            "FROM alpine AS builder\nCOPY two/ /two\nFROM alpine AS base\nONBUILD COPY --from=builder /two /two\nFROM base\n")
        #expect(try readFiles(built) == ["two/c.txt": [2]])
        let unused = try plan("FROM alpine AS builder\nCOPY two/ /two\nFROM alpine AS base\nONBUILD COPY --from=builder /two /two\n")
        #expect(try readFiles(unused).isEmpty)
    }

    @Test func fromIsNotAllowedAsATrigger() {
        #expect(
            throws: DockerfileError(
                "FROM isn't allowed as an ONBUILD trigger; expected an instruction such as COPY or RUN", file: "Dockerfile", line: 2)
        ) {
            try plan("FROM alpine\nONBUILD FROM busybox\n")
        }
    }
}
