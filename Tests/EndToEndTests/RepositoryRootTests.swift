import Foundation
import TestSupport
import Testing

/// The commands that need only the repository's root find it by reading `.git`: the real binary,
/// run from a subdirectory, from a linked worktree, and outside any repository.
@Suite("Finding the repository's root")
struct RepositoryRootTests {
    static let valid = "version: 1\nservices:\n  api:\n    paths: [\"services/api/**\"]\n"

    @Test("validate reads the root's gantry.yml from a subdirectory")
    func fromSubdirectory() throws {
        let fixture = try GitFixture()
        try fixture.commit(files: ["gantry.yml": Self.valid, "services/api/deep/app.py": "1"])
        let result = try runGantry(["validate"], in: fixture.path + "/services/api/deep")
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.hasPrefix("gantry.yml: valid"), "\(result.standardOutput)")
    }

    @Test("in a linked worktree, validate and changes use the worktree's files, not the main checkout's")
    func fromLinkedWorktree() throws {
        let fixture = try GitFixture()
        try fixture.commit(files: ["gantry.yml": Self.valid, "services/api/app.py": "1"])
        let other = try TemporaryDirectory()
        try fixture.git("worktree", "add", "-q", "-b", "broken", other.path + "/tree")
        let worktree = GitFixture(existing: other, subdirectory: "tree")
        try worktree.commit(files: ["gantry.yml": "version: 1\nservices:\n  api:\n    pathz: []\n"])
        let validate = try runGantry(["validate"], in: worktree.path + "/services")
        #expect(validate.status == 2)
        #expect(validate.standardError.contains("gantry.yml:4:5"), "\(validate.standardError)")
        let main = try runGantry(["validate"], in: fixture.path + "/services")
        #expect(main.status == 0, "\(main.standardError)")
    }

    @Test("outside a repository, changes says so and names the directory")
    func outsideRepository() throws {
        let directory = try TemporaryDirectory()
        try Self.valid.write(toFile: directory.path + "/gantry.yml", atomically: true, encoding: .utf8)
        let changes = try runGantry(["changes", "--all"], in: directory.path)
        #expect(changes.status == 2)
        #expect(changes.standardError.contains("\(directory.path) is not inside a Git repository"), "\(changes.standardError)")
        let validate = try runGantry(["validate"], in: directory.path)
        #expect(validate.status == 0, "the configuration beside it is still read: \(validate.standardError)")
    }
}
