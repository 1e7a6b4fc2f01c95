import Git
import TestSupport
import Testing

@Suite("Opening and reading a repository")
struct RepositoryTests {
    @Test("discovers the repository from a subdirectory")
    func discovery() throws {
        let fixture = try GitFixture()
        try fixture.commit(files: ["a/b/c.txt": "x"])
        let repository = try Repository(discoveringFrom: fixture.path + "/a/b")
        #expect(repository.workingDirectory == fixture.path)
        #expect(repository.currentBranch == "main")
        #expect(!repository.isShallow)
    }

    @Test("fails with libgit2's message outside a repository")
    func notARepository() throws {
        let directory = try TemporaryDirectory()
        #expect {
            try Repository(discoveringFrom: directory.path)
        } throws: { error in
            (error as? GitError)?.isNotFound == true && "\(error)".contains(directory.path)
        }
    }

    @Test("resolves revisions and reads commits")
    func revisions() throws {
        let fixture = try GitFixture()
        let first = try fixture.commit(files: ["a": "1"])
        let second = try fixture.commit(files: ["a": "2"], message: "second commit\n\nbody")
        let repository = try Repository(discoveringFrom: fixture.path)
        #expect(try repository.resolveCommit("HEAD").hex == second)
        #expect(try repository.resolveCommit("main~1").hex == first)
        let commit = try repository.commit(ObjectID(hex: second)!)
        #expect(commit.parentIDs.map(\.hex) == [first])
        #expect(commit.summary == "second commit")
        #expect(repository.referenceTarget("refs/heads/main")?.hex == second)
        #expect(repository.referenceTarget("refs/heads/nope") == nil)
        #expect(throws: GitError.self) { try repository.resolveCommit("no-such-branch") }
    }

    @Test("finds the merge base of two branches, and none for unrelated histories")
    func mergeBase() throws {
        let fixture = try GitFixture()
        let fork = try fixture.commit(files: ["a": "1"])
        try fixture.git("checkout", "-q", "-b", "feature")
        let feature = try fixture.commit(files: ["b": "1"])
        try fixture.git("checkout", "-q", "main")
        let main = try fixture.commit(files: ["c": "1"])
        try fixture.git("checkout", "-q", "--orphan", "unrelated")
        let unrelated = try fixture.commit(files: ["d": "1"])
        let repository = try Repository(discoveringFrom: fixture.path)
        let id = { ObjectID(hex: $0)! }
        #expect(try repository.mergeBase(of: id(feature), and: id(main))?.hex == fork)
        #expect(try repository.mergeBase(of: id(unrelated), and: id(main)) == nil)
    }

    @Test("reports a shallow clone, and a walk past its boundary as not found rather than a wrong answer")
    func shallowClone() throws {
        let origin = try GitFixture()
        try origin.commit(files: ["a": "1"])
        try origin.git("checkout", "-q", "-b", "feature")
        let feature = try origin.commit(files: ["b": "1"])
        try origin.git("checkout", "-q", "main")
        let main = try origin.commit(files: ["c": "1"])
        let clone = try TemporaryDirectory()
        try runCommand(
            "git", ["clone", "-q", "--depth", "1", "--no-single-branch", "file://\(origin.path)", clone.path + "/repo"],
            environment: GitFixture.environment)
        let repository = try Repository(discoveringFrom: clone.path + "/repo")
        #expect(repository.isShallow)
        #expect(repository.remoteNames == ["origin"])
        #expect {
            try repository.mergeBase(of: ObjectID(hex: feature)!, and: ObjectID(hex: main)!)
        } throws: { error in
            (error as? GitError)?.isNotFound == true
        }
    }

    @Test("parses only full hexadecimal object names")
    func objectIDs() {
        #expect(ObjectID(hex: String(repeating: "A", count: 40))?.hex == String(repeating: "a", count: 40))
        #expect(ObjectID(hex: String(repeating: "0", count: 40))?.isZero == true)
        #expect(ObjectID(hex: "abc123") == nil)
        #expect(ObjectID(hex: String(repeating: "g", count: 40)) == nil)
    }
}
