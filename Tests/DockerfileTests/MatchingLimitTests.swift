import Basics
import Testing

@testable import Dockerfile

/// Patterns and files both come from a pull request, so matching one against the other is bounded:
/// each pattern's length, and the steps of a whole selection. A hostile Dockerfile or ignore file is
/// refused at its line, naming the limit, instead of hanging the runner.
@Suite("Matching limits")
struct MatchingLimitTests {
    /// Files that keep every position of `(*a)…` patterns alive to their end.
    static let files = (0..<100).map { "src/" + String(repeating: "a", count: 1000) + "\($0)b" }

    /// A budget a tenth of the real one: the same refusal, without a debug build spending a
    /// minute to reach it.
    static let matchSteps = ConfigurationLimits.Dockerfile.matchSteps / 10

    private func select(_ dockerfile: String, ignore: String = "") throws(DockerfileError) -> ContextSelection {
        var budget = MatchBudget(limit: Self.matchSteps)
        return try ContextSelection(
            plan: BuildPlan(DockerfileSyntax(text: dockerfile, file: "Dockerfile"), buildArguments: [:]),
            ignore: IgnoreFile(text: ignore, file: ".dockerignore"), files: Self.files, budget: &budget)
    }

    @Test func aSourceLongerThanThePatternLimitOnceExpandedIsRefusedAtItsLine() throws {
        let dockerfile =
            "FROM scratch\nARG A=\(String(repeating: "*a", count: 500))\nARG B=\(String(repeating: "${A}", count: 60))\nCOPY ${B} /x\n"
        do {
            _ = try select(dockerfile)
            Issue.record("expected an error")
        } catch {
            #expect(error.location.line == 4)
            #expect(error.message.contains("more than \(ConfigurationLimits.Dockerfile.patternLength)"))
        }
    }

    @Test func anIgnorePatternLongerThanThePatternLimitIsRefusedAtItsLine() throws {
        do {
            _ = try select("FROM scratch\nCOPY . /\n", ignore: "docs\n" + String(repeating: "*a", count: 2049) + "\n")
            Issue.record("expected an error")
        } catch {
            #expect(error.location == SourceLocation(file: ".dockerignore", line: 2, column: 1))
            #expect(error.message.contains("more than \(ConfigurationLimits.Dockerfile.patternLength)"))
        }
    }

    @Test func servicesThatShareAHostileDockerfileShareOneBudget() throws {
        // Each selection alone fits; a command's services share the budget, so a thousand services
        // naming one slow Dockerfile cannot each spend all of it.
        let pattern = "src/" + String(repeating: "*a", count: 10) + "*b"
        let plan = try BuildPlan(DockerfileSyntax(text: "FROM scratch\nCOPY \(pattern) /x\n", file: "Dockerfile"), buildArguments: [:])
        var alone = MatchBudget(limit: Self.matchSteps)
        _ = try ContextSelection(plan: plan, ignore: IgnoreFile(), files: Self.files, budget: &alone)
        var shared = MatchBudget(limit: Self.matchSteps)
        do {
            for _ in 0..<100 { _ = try ContextSelection(plan: plan, ignore: IgnoreFile(), files: Self.files, budget: &shared) }
            Issue.record("expected an error")
        } catch {
            #expect(error.location == SourceLocation(file: "Dockerfile", line: 2, column: 1))
            #expect(error.message.contains("\(Self.matchSteps) matching steps gantry allows for one command's Dockerfiles"))
        }
    }

    @Test func sourcesThatMatchSlowlyAgainstManyFilesAreRefusedAtTheLineThatPassesTheBudget() throws {
        let pattern = "src/" + String(repeating: "*a", count: 10) + "*b"
        let dockerfile = "FROM scratch\n" + String(repeating: "COPY \(pattern) /x\n", count: 100)
        do {
            _ = try select(dockerfile)
            Issue.record("expected an error")
        } catch {
            #expect(error.location.file == "Dockerfile" && error.location.line > 2)
            #expect(error.message.contains("\(Self.matchSteps) matching steps"))
        }
    }

    @Test func ignorePatternsThatMatchSlowlyAgainstManyFilesAreRefusedAtTheLineThatPassesTheBudget() throws {
        // One `a` more than the files have: no line matches, and each keeps a thousand positions alive.
        let ignore = String(repeating: "**/" + String(repeating: "*a", count: 1001) + "*\n", count: 100)
        do {
            _ = try select("FROM scratch\nCOPY . /app\n", ignore: ignore)
            Issue.record("expected an error")
        } catch {
            #expect(error.location.file == ".dockerignore" && error.location.line >= 1)
            #expect(error.message.contains("\(Self.matchSteps) matching steps"))
        }
    }

    @Test func aLiteralPrefixOrSuffixRefusesAPathWithoutSimulatingThePattern() throws {
        // The reviewer's ignore file: 500 lines of `**/(*a)…q`, against files that end otherwise.
        let ignore = String(repeating: "**/" + String(repeating: "*a", count: 48) + "q\n", count: 500)
        let selection = try select("FROM scratch\nCOPY . /app\n", ignore: ignore)
        #expect(selection.readers.count == Self.files.count)
    }
}
