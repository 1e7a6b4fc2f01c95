import Foundation
import Git
import TestSupport
import Testing

@Suite("Diffing two commits")
struct DiffTests {
    let fixture: GitFixture
    init() throws { fixture = try GitFixture() }

    func changes(_ base: String, _ head: String) throws -> [FileChange] {
        try Repository(discoveringFrom: fixture.path).changes(from: ObjectID(hex: base)!, to: ObjectID(hex: head)!)
    }

    @Test("lists added, modified and deleted files")
    func addedModifiedDeleted() throws {
        let base = try fixture.commit(files: ["keep.txt": "same\n", "edit.txt": "one\n", "gone.txt": "bye\n"])
        try fixture.write("edit.txt", "two\n")
        try fixture.remove("gone.txt")
        try fixture.write("new.txt", "hello\n")
        let head = try fixture.commit()
        let result = try changes(base, head)
        #expect(
            result == [
                FileChange(status: .modified, path: "edit.txt"),
                FileChange(status: .deleted, path: "gone.txt"),
                FileChange(status: .added, path: "new.txt"),
            ])
    }

    @Test("detects a rename and reports both of its paths")
    func renames() throws {
        let body = (0..<50).map { "line \($0)\n" }.joined()
        let base = try fixture.commit(files: ["services/api/old.py": body])
        try fixture.move("services/api/old.py", to: "services/web/new.py")
        let head = try fixture.commit()
        let result = try changes(base, head)
        #expect(result == [FileChange(status: .renamed, path: "services/web/new.py", previousPath: "services/api/old.py")])
        #expect(result[0].paths == ["services/api/old.py", "services/web/new.py"])
    }

    @Test("detects a rename with edits, as git diff -M does")
    func inexactRename() throws {
        let body = (0..<50).map { "line \($0)\n" }.joined()
        let base = try fixture.commit(files: ["a/file.txt": body])
        try fixture.move("a/file.txt", to: "b/file.txt")
        try fixture.write("b/file.txt", body + "one more line\n")
        let head = try fixture.commit()
        #expect(try changes(base, head).map(\.status) == [.renamed])
    }

    @Test("lists a binary file's change without reading it as text")
    func binaryFiles() throws {
        let base = try fixture.commit(files: ["assets/logo.png": "x"])
        try fixture.write("assets/logo.png", bytes: [0x89, 0x50, 0x4E, 0x47, 0x00, 0xFF, 0x00, 0x01])
        let head = try fixture.commit()
        #expect(try changes(base, head) == [FileChange(status: .modified, path: "assets/logo.png")])
    }

    @Test("keeps paths with spaces and non-ASCII characters intact")
    func unusualPaths() throws {
        let base = try fixture.commit(files: ["README": "x"])
        try fixture.write("services/my api/naïve café.txt", "x")
        try fixture.write("services/日本/ファイル.md", "x")
        let head = try fixture.commit()
        #expect(try changes(base, head).map(\.path) == ["services/my api/naïve café.txt", "services/日本/ファイル.md"])
    }

    @Test("finds a change deep in a tree")
    func deepTrees() throws {
        let deep = (0..<40).map { "d\($0)" }.joined(separator: "/") + "/leaf.txt"
        let base = try fixture.commit(files: [deep: "one", "top.txt": "x"])
        let head = try fixture.commit(files: [deep: "two"])
        #expect(try changes(base, head).map(\.path) == [deep])
    }

    @Test("reports a submodule pointer change as a change of the submodule's path")
    func submoduleBump() throws {
        let library = try GitFixture()
        let first = try library.commit(files: ["lib.c": "1"])
        let second = try library.commit(files: ["lib.c": "2"])
        try fixture.commit(files: ["README": "x"])
        try fixture.git("-c", "protocol.file.allow=always", "submodule", "add", "--quiet", library.path, "vendor/lib")
        try fixture.git("-C", "vendor/lib", "checkout", "--quiet", first)
        let base = try fixture.commit("pin lib")
        try fixture.git("-C", "vendor/lib", "checkout", "--quiet", second)
        let head = try fixture.commit("bump lib")
        #expect(try changes(base, head) == [FileChange(status: .modified, path: "vendor/lib", isSubmodule: true)])
    }

    @Test("compares from the empty tree when there is no base")
    func fromEmptyTree() throws {
        let head = try fixture.commit(files: ["a": "1", "b/c": "2"])
        let result = try Repository(discoveringFrom: fixture.path).changes(from: nil, to: ObjectID(hex: head)!)
        #expect(result.map(\.path) == ["a", "b/c"])
        #expect(result.allSatisfy { $0.status == .added })
    }

    @Test("lists uncommitted and untracked files of the working tree")
    func workingTree() throws {
        let head = try fixture.commit(files: ["tracked.txt": "1", "staged.txt": "1"])
        try fixture.write("tracked.txt", "2")
        try fixture.write("staged.txt", "2")
        try fixture.git("add", "staged.txt")
        try fixture.write("untracked/new.txt", "x")
        let result = try Repository(discoveringFrom: fixture.path).workingTreeChanges(from: ObjectID(hex: head)!)
        #expect(Set(result.map(\.path)) == ["tracked.txt", "staged.txt", "untracked/new.txt"])
    }
}

@Suite("Diffing agrees with git diff --name-status -M")
struct DiffDifferentialTests {
    /// Forty service directories differ, so the walk is shared between cores.
    @Test("the same statuses and paths as git for a mixed change")
    func agreesWithGit() throws {
        let fixture = try GitFixture()
        let body = { (seed: Int) in (0..<40).map { "line \($0) of file \(seed)\n" }.joined() }
        var files: [String: String] = [:]
        for index in 0..<120 { files["services/svc-\(index % 40)/src/module-\(index).py"] = body(index) }
        files["libs/common/util.py"] = body(500)
        files["to-become-dir"] = "file\n"
        files["link-target.txt"] = "x\n"
        let base = try fixture.commit(files: files)

        for index in stride(from: 0, to: 120, by: 10) {
            try fixture.write("services/svc-\(index % 40)/src/module-\(index).py", body(index) + "edited\n")
        }
        for index in stride(from: 1, to: 120, by: 10) { try fixture.remove("services/svc-\(index % 40)/src/module-\(index).py") }
        for index in stride(from: 2, to: 120, by: 10) {
            try fixture.move("services/svc-\(index % 40)/src/module-\(index).py", to: "moved/exact/module-\(index).py")
        }
        for index in stride(from: 3, to: 120, by: 10) {
            let destination = "moved/edited/module-\(index).py"
            try fixture.move("services/svc-\(index % 40)/src/module-\(index).py", to: destination)
            try fixture.write(destination, body(index) + "one more line\n")
        }
        for index in 0..<10 {
            try fixture.write("new/area-\(index)/file.txt", "brand new \(index) \(String(repeating: "z", count: index * 50))\n")
        }
        try fixture.remove("to-become-dir")
        try fixture.write("to-become-dir/inside.txt", "now a directory\n")
        try FileManager.default.createSymbolicLink(atPath: fixture.path + "/link", withDestinationPath: "link-target.txt")
        let head = try fixture.commit()

        let ours = try Repository(discoveringFrom: fixture.path).changes(from: ObjectID(hex: base)!, to: ObjectID(hex: head)!)
            .map { change -> String in
                let letter = ["added": "A", "deleted": "D", "modified": "M", "renamed": "R", "type-changed": "T"][change.status.rawValue]!
                return [letter, change.previousPath, change.path].compactMap { $0 }.joined(separator: "\t")
            }
        let theirs = try fixture.git("diff", "--name-status", "-M", base, head).split(separator: "\n").map { line -> String in
            var fields = line.split(separator: "\t").map(String.init)
            if fields[0].hasPrefix("R") { fields[0] = "R" }  // drop git's similarity score
            return fields.joined(separator: "\t")
        }
        #expect(ours.sorted() == theirs.sorted())
        #expect(ours.filter { $0.hasPrefix("R") }.count == 24)
    }
}
