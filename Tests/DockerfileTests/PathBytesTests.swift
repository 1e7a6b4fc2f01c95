import Testing

@testable import Dockerfile

/// Paths are compared by their UTF-8 bytes, as BuildKit compares them, never as Swift `Character`s:
/// a combining mark after a `/` (U+0301) joins it into one `Character`, yet the `/` still ends a
/// directory's name.
@Suite("Paths as bytes")
struct PathBytesTests {
    /// A directory whose name starts with a combining acute accent, and a file in it.
    static let markedFile = "src/\u{301}x/a.py"
    static let files = [markedFile, "src/b.py", "srcs/c.py"]

    private func readFiles(_ dockerfile: String, _ files: [String] = Self.files, ignore: String = "") throws -> [String] {
        var budget = MatchBudget()
        let plan = try BuildPlan(DockerfileSyntax(text: dockerfile, file: "Dockerfile"), buildArguments: [:])
        let selection = try ContextSelection(
            plan: plan, ignore: try IgnoreFile(text: ignore, file: ".dockerignore"), files: files, budget: &budget)
        return selection.readers.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    @Test func aDirectorySourceReadsAFileWhoseNextComponentStartsWithACombiningMark() throws {
        #expect(try readFiles("FROM scratch\nCOPY src /app\n") == ["src/b.py", Self.markedFile])
    }

    @Test func aWildcardSourceSplitsComponentsAtEverySlashByte() throws {
        #expect(try readFiles("FROM scratch\nCOPY src/*/a.py /app\n") == [Self.markedFile])
        #expect(try readFiles("FROM scratch\nCOPY src/\u{301}* /app\n") == [Self.markedFile])
        #expect(try readFiles("FROM scratch\nCOPY s*/\u{301}x /app\n") == [Self.markedFile])
    }

    @Test func aSourceNamingTheMarkedDirectoryReadsOnlyIt() throws {
        #expect(try readFiles("FROM scratch\nCOPY src/\u{301}x /app\n") == [Self.markedFile])
        #expect(try readFiles("FROM scratch\nCOPY ./src/./\u{301}x/ /app\n") == [Self.markedFile])
    }

    @Test func anExcludeIsMatchedAgainstThePathUnderTheSourceKeepingTheMark() throws {
        #expect(try readFiles("FROM scratch\nCOPY --exclude=\u{301}x src /app\n") == ["src/b.py"])
        #expect(try readFiles("FROM scratch\nCOPY --exclude=*/a.py src /app\n") == ["src/b.py"])
    }

    @Test func aBindMountSourceStartingWithACombiningMarkIsReadAsWritten() throws {
        #expect(try readFiles("FROM alpine\nRUN --mount=type=bind,source=src/\u{301}x true\n") == [Self.markedFile])
        #expect(
            try readFiles("FROM alpine\nRUN --mount=type=bind,source=\u{301}x,target=/x true\n", ["\u{301}x/a.py", "x/b.py"]) == [
                "\u{301}x/a.py"
            ])
    }

    @Test func anExcludeOfTheWholeContextSeesEachPathWhole() throws {
        #expect(try readFiles("FROM scratch\nCOPY --exclude=README.md . /app\n", ["README.md", "app.py"]) == ["app.py"])
    }

    @Test func anIgnorePatternMatchesTheMarkedDirectoryByBytes() throws {
        #expect(try readFiles("FROM scratch\nCOPY . /app\n", ignore: "/src/\u{301}x\n") == ["src/b.py", "srcs/c.py"])
        #expect(try readFiles("FROM scratch\nCOPY . /app\n", ignore: "src/*\n!src/\u{301}x\n") == [Self.markedFile, "srcs/c.py"])
    }

    @Test func cleaningSplitsAtSlashBytesAndKeepsTheMark() {
        #expect(ContextPath.clean("src/\u{301}x/../b.py").path == "src/b.py")
        #expect(ContextPath.clean("./src/\u{301}x/").path == "src/\u{301}x")
        #expect(ContextPath.cleanKeepingParents("/\u{301}x/./y") == "/\u{301}x/y")
    }
}
