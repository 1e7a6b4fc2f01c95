import Basics
import Testing

@testable import Dockerfile

/// A source that names a literal directory is matched against the files under it alone: the same
/// files as a match against the whole context, at a cost that does not grow with the context.
@Suite("Context listings")
struct ContextListingTests {
    private func read(_ dockerfile: String, _ files: [String], budget limit: Int = ConfigurationLimits.Dockerfile.matchSteps)
        throws(DockerfileError) -> [String]
    {
        var budget = MatchBudget(limit: limit)
        let plan = try BuildPlan(DockerfileSyntax(text: "FROM scratch\n" + dockerfile, file: "Dockerfile"), buildArguments: [:])
        return try ContextSelection(plan: plan, ignore: IgnoreFile(), listing: ContextListing(files: files), budget: &budget)
            .readers.keys.sorted()
    }

    static let files = ["src", "src-2/a.py", "src.py", "srcx/a.py", "svc/src/a.py", "svc/src/b/c.py", "svc/src-old/a.py", "svc/srcx"]

    @Test func aDirectoryReadsItsSubtreeAndNotTheSiblingsThatShareItsNamesPrefix() throws {
        #expect(try read("COPY svc/src /app\n", Self.files) == ["svc/src/a.py", "svc/src/b/c.py"])
        #expect(try read("COPY svc/src/ /app\n", Self.files) == ["svc/src/a.py", "svc/src/b/c.py"])
    }

    @Test func aFileReadsItselfAndAGlobBelowADirectoryReadsOnlyBelowIt() throws {
        #expect(try read("COPY src /app\n", Self.files) == ["src"])
        #expect(try read("COPY svc/src*/a.py /app/\n", Self.files) == ["svc/src-old/a.py", "svc/src/a.py"])
        #expect(try read("COPY svc/src/*.py /app/\n", Self.files) == ["svc/src/a.py"])
    }

    @Test func sourcesWithoutALiteralDirectoryAndSeveralSourcesReadWhatTheyMatch() throws {
        #expect(try read("COPY *.py /app/\n", Self.files) == ["src.py"])
        #expect(try read("COPY . /app\n", Self.files) == Self.files.sorted())
        #expect(try read("COPY svc/srcx src-2 /app/\n", Self.files) == ["src-2/a.py", "svc/srcx"])
        #expect(try read("COPY nowhere /app\n", Self.files) == [])
    }

    @Test func filesGivenInAnyOrderAreReadTheSameAsInTreeOrder() throws {
        let shuffled = Self.files.reversed() + ["svc/src/0.py"]
        #expect(try read("COPY svc/src /app\n", Array(shuffled)) == ["svc/src/0.py", "svc/src/a.py", "svc/src/b/c.py"])
        #expect(
            ContextListing(files: Array(shuffled)).files
                == (Self.files + ["svc/src/0.py"]).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }

    @Test func aDirectoryPaysTheBudgetForItsOwnFilesNotTheWholeContext() throws {
        let context = (0..<10_000).map { "other/file-\($0).txt" } + ["svc/api/main.py"]
        #expect(try read("COPY svc/api /app\n", context, budget: 100) == ["svc/api/main.py"])
        #expect(throws: DockerfileError.self) { try read("COPY . /app\n", context, budget: 100) }
    }
}
