import Git
import TestSupport
import Testing

/// `Repository.workingDirectory(around:)` and `headCommit(around:)` read `.git` without libgit2
/// where that is exact, and must answer what libgit2 answers.
@Suite("Finding the root and HEAD without libgit2")
struct RepositoryLocationTests {
    /// What libgit2 says, the reference the reading of `.git` is held to.
    func libgit2(_ path: String) -> (root: String?, head: String?) {
        let repository = try? Repository(discoveringFrom: path)
        return (repository?.workingDirectory, try? repository?.resolveCommit("HEAD").hex)
    }

    @Test("finds the root and HEAD from a subdirectory, as libgit2 does")
    func subdirectory() throws {
        let fixture = try GitFixture()
        let head = try fixture.commit(files: ["a/b/c.txt": "x"])
        #expect(Repository.workingDirectory(around: fixture.path + "/a/b") == fixture.path)
        #expect(Repository.headCommit(around: fixture.path + "/a/b")?.hex == head)
        #expect(libgit2(fixture.path + "/a/b").root == fixture.path)
        #expect(libgit2(fixture.path + "/a/b").head == head)
    }

    @Test("finds a linked worktree's own root and HEAD from its `.git` file, not the main one's")
    func linkedWorktree() throws {
        let fixture = try GitFixture()
        let main = try fixture.commit(files: ["a.txt": "1"])
        let other = try TemporaryDirectory()
        let tree = other.path + "/tree"
        try fixture.git("worktree", "add", "-q", "-b", "feature", tree)
        let worktree = GitFixture(existing: other, subdirectory: "tree")
        let feature = try worktree.commit(files: ["sub/b.txt": "2"])
        #expect(Repository.workingDirectory(around: tree + "/sub") == tree)
        #expect(Repository.headCommit(around: tree + "/sub")?.hex == feature)
        #expect(Repository.headCommit(around: fixture.path)?.hex == main)
        #expect(libgit2(tree + "/sub").root == tree)
        #expect(libgit2(tree + "/sub").head == feature)
    }

    @Test("reads HEAD from packed refs and detached, and none on an unborn branch")
    func heads() throws {
        let fixture = try GitFixture()
        #expect(Repository.workingDirectory(around: fixture.path) == fixture.path)
        #expect(Repository.headCommit(around: fixture.path) == nil)
        let first = try fixture.commit(files: ["a": "1"])
        let second = try fixture.commit(files: ["a": "2"])
        try fixture.git("pack-refs", "--all")
        #expect(Repository.headCommit(around: fixture.path)?.hex == second)
        try fixture.git("checkout", "-q", "--detach", first)
        #expect(Repository.headCommit(around: fixture.path)?.hex == first)
        #expect(libgit2(fixture.path).head == first)
    }

    @Test("answers as libgit2 where `.git` alone cannot tell: core.worktree, a bare repository")
    func undecidedCasesFallBack() throws {
        let fixture = try GitFixture()
        try fixture.commit(files: ["a": "1"])
        let elsewhere = try TemporaryDirectory()
        try fixture.git("config", "core.worktree", elsewhere.path)
        #expect(Repository.workingDirectory(around: fixture.path) == elsewhere.path)
        #expect(libgit2(fixture.path).root == elsewhere.path)
        let bare = try TemporaryDirectory()
        _ = try runCommand("git", ["clone", "-q", "--bare", fixture.path, bare.path + "/r.git"])
        #expect(Repository.workingDirectory(around: bare.path + "/r.git") == nil)
        #expect(Repository.headCommit(around: bare.path + "/r.git") != nil)
    }

    @Test("finds nothing outside a repository")
    func outside() throws {
        let directory = try TemporaryDirectory()
        #expect(Repository.workingDirectory(around: directory.path) == nil)
        #expect(Repository.headCommit(around: directory.path) == nil)
    }
}
