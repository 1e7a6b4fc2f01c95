import Basics
import Foundation
import GitHubActions

/// The records of the commands, one file each in the state directory's `records` folder.
extension StateDirectory {
    private static let recordsFolder = "records"

    /// `--state-dir`, else `$RUNNER_TEMP/gantry` under Actions, else `.gantry` at the repository root.
    package static func locate(explicit: String?, context: ActionsContext?, root: String) -> StateDirectory {
        locate(explicit: explicit, runnerTemporaryDirectory: context?.runnerTemporaryDirectory, root: root)
    }

    /// Writes a record.
    package func save(_ record: Record) throws(GantryError) {
        let stamp = String(format: "%.6f", record.recordedAt.timeIntervalSince1970)
        let name = "\(stamp)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(record.command).json"
        try save(record, as: name, in: Self.recordsFolder, what: "a record to the state directory")
    }

    /// Every readable record, oldest first, and a note for each file that could not be used.
    package func load() -> (records: [Record], problems: [String]) {
        var records: [Record] = []
        var problems: [String] = []
        for (name, record) in load(Record.self, from: Self.recordsFolder) {
            guard let record else {
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
