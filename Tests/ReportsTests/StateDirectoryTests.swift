import Basics
import Foundation
import GitHubActions
import Reports
import TestSupport
import Testing

@Suite("The state directory")
struct StateDirectoryTests {
    @Test("a saved record is read back, oldest first, and the directory ignores itself in git")
    func roundTrip() throws {
        let directory = try TemporaryDirectory()
        let state = StateDirectory(path: directory.url("state"))
        try state.save(Record(command: "validate", exitCode: 0, recordedAt: Date(timeIntervalSince1970: 2)))
        try state.save(Record(command: "changes", exitCode: 2, error: "boom", recordedAt: Date(timeIntervalSince1970: 1)))
        let (records, problems) = state.load()
        #expect(problems.isEmpty)
        #expect(records.map(\.command) == ["changes", "validate"])
        #expect(records[0].error == "boom")
        #expect(records[0].schema == Record.currentSchema)
        #expect(try String(contentsOfFile: directory.url("state/.gitignore"), encoding: .utf8) == "*\n")
    }

    @Test("garbage, half-written files and newer schemas are skipped, with a note for the first two kinds")
    func unreadableRecords() throws {
        let directory = try TemporaryDirectory()
        let state = StateDirectory(path: directory.url("state"))
        try state.save(Record(command: "changes", exitCode: 0))
        try Data("not json".utf8).write(to: URL(fileURLWithPath: directory.url("state/records/1-garbage.json")))
        try Data("{\"schema\":".utf8).write(to: URL(fileURLWithPath: directory.url("state/records/.2-partial.json.tmp")))
        try Data(#"{"schema": 99, "command": "future", "recorded_at": "2030-01-01T00:00:00Z", "exit_code": 0}"#.utf8)
            .write(to: URL(fileURLWithPath: directory.url("state/records/3-future.json")))
        let (records, problems) = state.load()
        #expect(records.map(\.command) == ["changes"])
        #expect(
            problems == ["skipped 1-garbage.json: not a gantry record", "skipped 3-future.json: written by a newer gantry (schema 99)"])
    }

    @Test("concurrent writers never lose or corrupt a record")
    func concurrentWriters() throws {
        let directory = try TemporaryDirectory()
        let state = StateDirectory(path: directory.url("state"))
        DispatchQueue.concurrentPerform(iterations: 64) { index in
            try? state.save(Record(command: "writer-\(index)", exitCode: 0))
        }
        let (records, problems) = state.load()
        #expect(problems.isEmpty)
        #expect(Set(records.map(\.command)) == Set((0..<64).map { "writer-\($0)" }))
    }

    @Test("under Actions it lives in the runner's temporary directory, locally in .gantry")
    func location() throws {
        let actions = try ActionsEnvironment(eventName: "push", payload: [:], workspace: "/src")
        let context = ActionsContext.current(environment: actions.variables)
        #expect(StateDirectory.locate(explicit: nil, context: context, root: "/src").path == actions.directory.path + "/gantry")
        #expect(StateDirectory.locate(explicit: nil, context: nil, root: "/src").path == "/src/.gantry")
        #expect(StateDirectory.locate(explicit: "/x", context: context, root: "/src").path == "/x")
    }
}
