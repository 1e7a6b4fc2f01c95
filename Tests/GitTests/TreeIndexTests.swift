import Git
import TestSupport
import Testing

@Suite("The tree index of a commit")
struct TreeIndexTests {
    let fixture: GitFixture
    let commit: ObjectID
    let repository: Repository

    init() throws {
        fixture = try GitFixture()
        // Names that sort around `a/b` in byte order, so a run that strays past its directory shows.
        let names = ["a/b.txt", "a/b/x", "a/b/deep/y", "a/b-c/z", "a/b0", "a/ab/w", "top", "z/q"]
        commit = ObjectID(hex: try fixture.commit(files: Dictionary(uniqueKeysWithValues: names.map { ($0, $0 + "\n") })))!
        repository = try Repository(discoveringFrom: fixture.path)
    }

    func paths(_ files: ArraySlice<TreeFile>) -> [String] { files.map(\.path) }

    @Test("a directory's files are the same read alone as read out of the whole tree")
    func runsOfAListingAboveAreTheDirectorysFiles() throws {
        var whole = TreeIndex(repository: repository, commit: commit)
        _ = try whole.files(under: "")
        for directory in ["", "a", "a/", "a/b", "a/b/", "a/b/deep", "a/b-c", "z"] {
            var alone = TreeIndex(repository: repository, commit: commit)
            let expected = try repository.files(at: commit, under: directory)
            #expect(Array(try alone.files(under: directory)) == expected, "\(directory)")
            #expect(Array(try whole.files(under: directory)) == expected, "\(directory)")
        }
        #expect(paths(try whole.files(under: "a/b")) == ["a/b/deep/y", "a/b/x"])
    }

    @Test("two directories whose names differ only in how é is encoded are two directories, as git keeps them")
    func namesAreComparedByTheirBytes() throws {
        let composed = "caf\u{E9}"
        let decomposed = "cafe\u{301}"
        let fixture = try GitFixture()
        let commit = ObjectID(
            hex: try fixture.commit(files: ["\(composed)/one.txt": "1\n", "\(decomposed)/two.txt": "2\n", "other.txt": "3\n"]))!
        let repository = try Repository(discoveringFrom: fixture.path)
        var index = TreeIndex(repository: repository, commit: commit)
        _ = try index.files(under: "")
        #expect(try index.files(under: composed).map { Array($0.path.utf8) } == [Array("\(composed)/one.txt".utf8)])
        #expect(try index.files(under: decomposed).map { Array($0.path.utf8) } == [Array("\(decomposed)/two.txt".utf8)])
    }

    @Test("a directory missing at the commit, or a file's path, lists nothing, under a listing or not")
    func missingDirectoriesAndFilesListNothing() throws {
        var index = TreeIndex(repository: repository, commit: commit)
        #expect(try index.files(under: "nowhere").isEmpty)
        #expect(try index.files(under: "top").isEmpty)
        _ = try index.files(under: "a")
        #expect(try index.files(under: "a/nowhere").isEmpty)
        #expect(try index.files(under: "a/b0").isEmpty)
        #expect(paths(try index.files(under: "z")) == ["z/q"])
    }

    @Test("reading a directory above ones already read gives each the same files as before")
    func listingAboveEarlierListingsKeepsTheirFiles() throws {
        var index = TreeIndex(repository: repository, commit: commit)
        let deep = Array(try index.files(under: "a/b/deep"))
        let b = Array(try index.files(under: "a/b"))
        let whole = Array(try index.files(under: ""))
        #expect(whole.count == 8)
        #expect(Array(try index.files(under: "a/b/deep")) == deep)
        #expect(Array(try index.files(under: "a/b")) == b)
        #expect(paths(try index.files(under: "a/b/deep")) == ["a/b/deep/y"])
    }
}
