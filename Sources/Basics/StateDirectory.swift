import Foundation
import Basics
import GitHubActions

/// Where commands record what they did, so that separate steps (separate processes) compose into
/// one report, and later commands know what earlier ones created.
///
/// Every record is its own file, written under a temporary name and renamed into place: rename is
/// atomic, so a reader never sees half a record, and two writers (matrix legs on one self-hosted
/// runner, concurrent steps) never write the same file.
package struct StateDirectory: Sendable {
    /// The directory.
    package var path: String

    /// Uses `path` as the state directory.
    package init(path: String) { self.path = path }

    /// `--state-dir`, else `$RUNNER_TEMP/gantry` under Actions, else `.gantry` at the repository root.
    package static func locate(explicit: String?, context: ActionsContext?, root: String) -> StateDirectory {
        if let explicit { return StateDirectory(path: explicit) }
        if let temporary = context?.runnerTemporaryDirectory { return StateDirectory(path: temporary + "/gantry") }
        return StateDirectory(path: root + "/.gantry")
    }

    private var recordsPath: String { path + "/records" }

    /// Writes a record.
    package func save(_ record: Record) throws(GantryError) {
        try create(recordsPath)
        let stamp = String(format: "%.6f", record.recordedAt.timeIntervalSince1970)
        let name = "\(stamp)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(record.command).json"
        try AtomicFile.write(JSON.encode(record), to: recordsPath + "/" + name, what: "a record to the state directory")
    }

    /// Writes a file for later steps, such as a bake file, replacing one of the same name; returns its path.
    package func saveFile(named name: String, contents: String) throws(GantryError) -> String {
        try create(path)
        let file = path + "/" + name
        try AtomicFile.write(contents, to: file, what: name)
        return file
    }

    private func create(_ directory: String) throws(GantryError) {
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            // Inside a working tree the directory must not show up as a change of its own.
            let ignore = path + "/.gitignore"
            if !manager.fileExists(atPath: ignore) { try Data("*\n".utf8).write(to: URL(fileURLWithPath: ignore)) }
        } catch {
            throw .io("cannot create the state directory \(path): \(error.localizedDescription); pass --state-dir")
        }
    }


    /// Every readable record, oldest first, and a note for each file that could not be used.
    package func load() -> (records: [Record], problems: [String]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: recordsPath) else { return ([], []) }
        var records: [Record] = []
        var problems: [String] = []
        for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
            guard let data = FileManager.default.contents(atPath: recordsPath + "/" + name),
                let record = JSON.decode(Record.self, from: data)
            else {
                problems.append("skipped \(name): not a gantry record")
                continue
            }
            guard record.schema <= Record.currentSchema else {
                problems.append("skipped \(name): written by a newer gantry (schema \(record.schema))")
                continue
            }
            records.append(record)
        }
        return (records.sorted { $0.recordedAt < $1.recordedAt }, problems)
    }
}
