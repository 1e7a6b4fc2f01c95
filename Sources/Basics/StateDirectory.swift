import Foundation

/// Where commands record what they did, so that separate steps (separate processes) compose into
/// one report, and later commands know what earlier ones created. It stores any `Codable` value
/// as JSON; what the values are (records, ledgers, a local run) is its users' business.
///
/// Every value is its own file, written under a temporary name and renamed into place: rename is
/// atomic, so a reader never sees half a file, and two writers (matrix legs on one self-hosted
/// runner, concurrent steps) never write the same file.
package struct StateDirectory: Sendable {
    /// The directory.
    package var path: String

    /// Uses `path` as the state directory.
    package init(path: String) { self.path = path }

    /// `--state-dir`, else `gantry` in the runner's temporary directory under Actions, else
    /// `.gantry` at the repository root.
    package static func locate(explicit: String?, runnerTemporaryDirectory: String?, root: String) -> StateDirectory {
        if let explicit { return StateDirectory(path: explicit) }
        if let runnerTemporaryDirectory { return StateDirectory(path: runnerTemporaryDirectory + "/gantry") }
        return StateDirectory(path: root + "/.gantry")
    }

    /// Writes `value` as JSON to `name` in `folder`, a directory of the state directory.
    package func save<Value: Encodable>(_ value: Value, as name: String, in folder: String, what: String) throws(GantryError) {
        try create(path + "/" + folder)
        try AtomicFile.write(JSON.encode(value), to: path + "/" + folder + "/" + name, what: what)
    }

    /// Writes a file for later steps, such as a bake file, replacing one of the same name; returns its path.
    package func saveFile(named name: String, contents: String) throws(GantryError) -> String {
        try create(path)
        let file = path + "/" + name
        try AtomicFile.write(contents, to: file, what: name)
        return file
    }

    /// Every `.json` file in `folder` by name, in name order, decoded as `Value`; nil for a file
    /// that could not be read as one.
    package func load<Value: Decodable>(_ type: Value.Type, from folder: String) -> [(name: String, value: Value?)] {
        let directory = path + "/" + folder
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.sorted().filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.map { name in
            (name, FileManager.default.contents(atPath: directory + "/" + name).flatMap { JSON.decode(Value.self, from: $0) })
        }
    }

    private func create(_ directory: String) throws(GantryError) {
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            // Inside a working tree the directory must not show up as a change of its own.
            let ignore = path + "/.gitignore"
            if !manager.fileExists(atPath: ignore) { try Data("*\n".utf8).write(to: URL(fileURLWithPath: ignore)) }
        } catch {
            throw .io(action: "create the state directory \(path)", reason: "\(error.localizedDescription); pass --state-dir")
        }
    }
}
