import Basics
import Testing

@testable import Dockerfile

/// `ADD` has no `--from` flag: BuildKit's parser refuses it (`unknown flag: --from`), so gantry
/// refuses it at its line rather than planning a build the builder would never run.
@Suite("ADD --from")
struct AddFromTests {
    private func plan(_ text: String) throws(DockerfileError) -> BuildPlan {
        try BuildPlan(DockerfileSyntax(text: text, file: "services/api/Dockerfile"), buildArguments: [:])
    }

    @Test(arguments: ["ADD --from=builder /app /app", "ADD --from builder /app /app", "ADD --chown=1:1 --from=0 a.tar /app"])
    func addFromIsRefusedAtItsLineWithTheBuildersWording(_ instruction: String) throws {
        let error = #expect(throws: DockerfileError.self) {
            try plan("FROM alpine AS builder\nRUN true\nFROM alpine\n\(instruction)\n")
        }
        #expect(error?.location == SourceLocation(file: "services/api/Dockerfile", line: 4, column: 1))
        #expect(error?.message.contains("ADD has no --from flag (docker: unknown flag: --from)") == true)
        #expect(error?.message.contains("COPY --from=STAGE") == true)
    }

    @Test func addFromIsRefusedEvenInAStageTheTargetDoesNotBuild() throws {
        let error = #expect(throws: DockerfileError.self) {
            try plan("FROM alpine AS unused\nADD --from=x a /a\nFROM alpine\nCOPY app /app\n")
        }
        #expect(error?.location.line == 2)
    }

    @Test func copyFromAndAddWithoutFromAreStillPlanned() throws {
        let steps = try plan("FROM alpine AS builder\nFROM alpine\nCOPY --from=builder /out /app\nADD --chown=1:1 app /app\n").steps
        #expect(steps[2].outside == ["files of the stage builder, not of the context"])
        #expect(steps[3].sources.map(\.path) == ["app"])
    }
}
