import Config
import GantryKit
import TestSupport
import Testing

/// Paths are bytes to git: a name under the context whose first character is a combining mark is
/// in the context, though as Swift characters the mark joins the `/` before it.
@Suite("Inputs of a Dockerfile, by the paths' bytes")
struct DockerfileInputsBytesTests {
    @Test func aChangedFileWhoseNameStartsWithACombiningMarkChangesTheServiceWhoseContextHoldsIt() async throws {
        let fixture = try GitFixture()
        let initial = try fixture.commit(files: [
            "gantry.yml": "version: 1\nservices:\n  api: {context: src, inputs: dockerfile}\n",
            "src/Dockerfile": "FROM scratch\nCOPY . /app\n",
            "src/main.py": "1\n",
        ])
        let marked = "src/\u{301}x/a.py"
        try fixture.write(marked, "1\n")
        let head = try fixture.commit()
        let changes = try await fixture.changes(from: initial, to: head)
        #expect(changes.changedServiceNames == ["api"])
        #expect(
            changes.reasons(of: "api").first?.utf8.elementsEqual("inputs: \(marked), copied by src/Dockerfile:2".utf8) == true,
            "\(changes.reasons(of: "api"))")
        #expect(try fixture.treeHashes(at: head)["api"] != fixture.treeHashes(at: initial)["api"])
    }
}
