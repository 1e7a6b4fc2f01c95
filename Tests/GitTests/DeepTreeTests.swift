import Foundation
import Git
import TestSupport
import Testing

/// A pushed tree may nest as deep as its author likes; the walks keep their own stacks, so depth is
/// never a crash, and past git's own limit it is a clear error.
@Suite("Deeply nested trees")
struct DeepTreeTests {
    /// A repository whose second commit adds one file `depth` directories deep, made with
    /// `git fast-import` (no file system holds such a path).
    func repository(depth: Int) throws -> (fixture: GitFixture, base: ObjectID, head: ObjectID) {
        let fixture = try GitFixture()
        let base = try fixture.commit(files: ["README": "1\n"])
        let path = Array(repeating: "d", count: depth - 1).joined(separator: "/") + "/f"
        let stream = """
            commit refs/heads/main
            committer gantry <gantry@example.com> 1700000000 +0000
            data 4
            deep
            from \(base)
            M 100644 inline \(path)
            data 2
            x

            """
        let imported = try runCommand(
            "git", ["fast-import", "--quiet"], in: fixture.path, environment: GitFixture.environment, input: stream)
        try #require(imported.status == 0, "\(imported.standardError)")
        let head = try fixture.git("rev-parse", "refs/heads/main")
        return (fixture, ObjectID(hex: base)!, ObjectID(hex: head)!)
    }

    @Test("a file 4,000 directories deep is a change and a listed file, not a stack overflow")
    func deepButWithinGitsLimit() throws {
        let (fixture, base, head) = try repository(depth: 4000)
        let repository = try Repository(discoveringFrom: fixture.path)
        let changes = try repository.changes(from: base, to: head)
        #expect(changes.count == 1 && changes.first?.path.hasSuffix("/d/f") == true)
        #expect(try repository.files(at: head, under: "d").count == 1)
    }

    @Test("a tree nested deeper than git's own limit is refused with where and why, by the diff and by the listing")
    func deeperThanGitsLimit() throws {
        let (fixture, base, head) = try repository(depth: 5000)
        let repository = try Repository(discoveringFrom: fixture.path)
        #expect {
            try repository.changes(from: base, to: head)
        } throws: { error in
            "\(error)".contains("nests more than 4096 directories deep")
        }
        #expect {
            try repository.files(at: head, under: "")
        } throws: { error in
            "\(error)".contains("the tree at d/d/d/") && "\(error)".contains("nests more than 4096 directories deep")
        }
    }
}
