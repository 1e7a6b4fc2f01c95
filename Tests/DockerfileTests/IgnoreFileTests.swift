import Basics
import Testing

@testable import Dockerfile

/// The `.dockerignore` rules as moby/patternmatcher applies them, and Go's `filepath.Match` for
/// `COPY` sources; each case is from those specifications or their tests.
@Suite("Ignore files and sources")
struct IgnoreFileTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let lines: String
        let path: String
        let excluded: Bool
        init(_ lines: String, _ path: String, _ excluded: Bool) {
            self.lines = lines
            self.path = path
            self.excluded = excluded
        }
        var testDescription: String { "\(lines.debugDescription) \(excluded ? "excludes" : "keeps") \(path)" }
    }

    static let ignoreCases: [Case] = [
        Case("*.md", "README.md", true),
        Case("*.md", "docs/a.md", false),  // `*` stays in one directory
        Case("**/*.md", "docs/a.md", true),
        Case("**/*.md", "a.md", true),  // `**/` at the start matches no directory too
        Case("docs", "docs/guide/a.md", true),  // a directory's pattern excludes what is under it
        Case("docs/", "docs/a.md", true),  // trailing slashes are cleaned away…
        Case("docs/", "docs", true),  // …so they match a file named so too
        Case("/docs", "docs/a.md", true),  // a leading `/` is the context's root
        Case("./docs", "docs/a.md", true),
        Case("docs/**", "docs/x/y", true),  // `**` at the end: everything under it
        Case("docs/**", "docsx", false),
        Case("**", "anything/at/all", true),
        Case("**.md", "a/b.md", true),  // `**` then a literal: a suffix test
        Case("**foo", "barfoo", true),  // which `**/foo` is not
        Case("**/foo", "xfoo", false),
        Case("a/**/b", "a/b", true),
        Case("a/**/b", "a/x/y/b", true),
        Case("*.md\n!README.md", "README.md", false),  // an exception after a wider rule re-includes
        Case("!README.md\n*.md", "README.md", true),  // but the last matching line decides
        Case("docs\n!docs/keep.md", "docs/keep.md", false),
        Case("docs\n!docs/keep.md", "docs/other.md", true),
        Case("# comment\n*.md", "README.md", true),
        Case(" # not a comment", " # not a comment", false),
        Case("\t*.md  ", "a.md", true),  // patterns are trimmed
        Case("../docs", "docs/a.md", false),  // above the context: matches nothing
        Case("a/../docs", "docs/a.md", true),
        Case("[a-c].txt", "b.txt", true),
        Case("[^a-c].txt", "b.txt", false),
        Case("?.txt", "ab.txt", false),
        Case("\\*.txt", "*.txt", true),
        Case("\\*.txt", "a.txt", false),
        Case(".git", ".git/config", true),
    ]

    @Test(arguments: ignoreCases)
    func ignoreFileDecides(_ example: Case) throws {
        let file = try IgnoreFile(text: example.lines, file: ".dockerignore")
        var budget = MatchBudget(limit: ConfigurationLimits.Dockerfile.matchSteps)
        #expect((try file.exclusion(of: example.path, budget: &budget) != nil) == example.excluded)
    }

    @Test func aPatternAboveTheContextIsWarnedAbout() throws {
        let file = try IgnoreFile(text: "node_modules\n../secrets\n", file: "ctx/.dockerignore")
        #expect(file.warnings.map(\.line) == [2])
        #expect(file.warnings.first?.message.contains("matches nothing") == true)
    }

    @Test func aBadPatternIsAnErrorAtItsLine() {
        #expect(throws: DockerfileError.self) { try IgnoreFile(text: "ok\n[abc\n", file: "ctx/.dockerignore") }
        do {
            _ = try IgnoreFile(text: "ok\n!\n", file: "ctx/.dockerignore")
            Issue.record("expected an error")
        } catch {
            #expect(error.location == SourceLocation(file: "ctx/.dockerignore", line: 2, column: 1))
        }
    }

    static let sourceCases: [Case] = [
        // Go's filepath.Match, on the path or a directory above it.
        Case("*.py", "app.py", true),
        Case("*.py", "pkg/app.py", false),
        Case("src", "src/a/b.py", true),
        Case("src/*", "src/a/b.py", true),  // matches the directory src/a, copied whole
        Case("s?c", "src/x", true),
        Case("**/*.py", "a/b.py", true),  // `**` is two `*` in Go: one component each
        Case("**/*.py", "a/b/c.py", false),
        Case("[a-c]*.txt", "b1.txt", true),
        Case("[^a-c]*.txt", "b1.txt", false),
        Case("requirements*.txt", "requirements-dev.txt", true),
        Case("requirements*.txt", "requirements/dev.txt", false),
    ]

    @Test(arguments: sourceCases)
    func sourceMatchesAsFilepathMatch(_ example: Case) throws {
        let dockerfile = "FROM scratch\nCOPY \(example.lines) /dest/\n"
        let plan = try BuildPlan(DockerfileSyntax(text: dockerfile, file: "Dockerfile"), buildArguments: [:])
        var budget = MatchBudget(limit: ConfigurationLimits.Dockerfile.matchSteps)
        #expect(try plan.steps[1].sources.contains { try $0.reads(example.path, budget: &budget) } == example.excluded)
    }

    @Test func aSourceAboveTheContextIsReadInsideItWithAWarning() throws {
        let plan = try BuildPlan(DockerfileSyntax(text: "FROM scratch\nCOPY ../libs /libs\n", file: "Dockerfile"), buildArguments: [:])
        #expect(plan.steps[1].sources.map(\.path) == ["libs"])
        #expect(plan.warnings.map(\.line) == [2])
    }
}
