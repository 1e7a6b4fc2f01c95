import Testing

@testable import Dockerfile

/// A backslash in a `COPY`/`ADD` source, as BuildKit reads it on Linux (fsutil's `splitWildcards`
/// and `filepath.Match`): it escapes the next byte when deciding whether a component is a pattern,
/// yet a component without an unescaped `*`, `?` or `[` is taken as written, backslashes included.
@Suite("Backslashes in sources")
struct SourceBackslashTests {
    static let files = ["a*b/c.py", "a\\*b/c.py", "a\\b/c.py", "ab/c.py", "d/a*.py", "d/a.py", "d/a\\*.py"]

    /// The plan of a Dockerfile whose escape character is a backtick, so `\` reaches the source as written.
    private func plan(_ instruction: String) throws -> BuildPlan {
        try BuildPlan(DockerfileSyntax(text: "# escape=`\nFROM scratch\n\(instruction)\n", file: "Dockerfile"), buildArguments: [:])
    }

    private func readFiles(_ plan: BuildPlan, _ files: [String] = Self.files) throws -> [String] {
        var budget = MatchBudget()
        let selection = try ContextSelection(plan: plan, ignore: IgnoreFile(), files: files, budget: &budget)
        return selection.readers.keys.sorted()
    }

    @Test func aSourceWithOnlyEscapedWildcardsIsTheLiteralPathWithItsBackslashes() throws {
        #expect(try readFiles(plan("COPY a\\*b /x")) == ["a\\*b/c.py"])
        #expect(try readFiles(plan("COPY a\\b /x")) == ["a\\b/c.py"])
        #expect(try plan("COPY a\\*b /x").steps[1].sources.first?.glob == nil)
    }

    @Test func theDefaultEscapeCharacterLeavesABackslashOnlyWhenDoubled() throws {
        let plan = try BuildPlan(DockerfileSyntax(text: "FROM scratch\nCOPY a\\\\\\*b /x\n", file: "Dockerfile"), buildArguments: [:])
        #expect(plan.steps[1].sources.map(\.path) == ["a\\*b"])
        #expect(try readFiles(plan) == ["a\\*b/c.py"])
    }

    @Test func theLiteralDirectoryOfAPatternKeepsItsBackslashesAndHoldsEveryMatch() throws {
        let plan = try plan("COPY a\\*b/*.py /x")
        #expect(plan.steps[1].sources.first?.literalDirectory == "a\\*b")
        #expect(try readFiles(plan) == ["a\\*b/c.py"])
    }

    @Test func belowTheFirstWildcardABackslashEscapesTheNextByteAsFilepathMatchDoes() throws {
        let plan = try plan("COPY d/*\\*.py /x")
        #expect(plan.steps[1].sources.first?.literalDirectory == "d")
        #expect(try readFiles(plan) == ["d/a*.py", "d/a\\*.py"])
        #expect(try readFiles(self.plan("COPY *\\*b /x")) == ["a*b/c.py", "a\\*b/c.py"])
    }

    @Test func aPatternMatchesBelowItsLiteralDirectoryNeverTheDirectoryItself() throws {
        #expect(try readFiles(plan("COPY d/* /x")) == ["d/a*.py", "d/a.py", "d/a\\*.py"])
        #expect(try readFiles(plan("COPY a\\*b/* /x")) == ["a\\*b/c.py"])
        #expect(try readFiles(plan("COPY e/* /x"), ["e", "e.py"]).isEmpty)
    }
}
