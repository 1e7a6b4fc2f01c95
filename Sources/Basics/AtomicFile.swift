import Foundation

/// Files written whole or not at all: to a temporary name, then renamed into place, so that a reader
/// (another step, a concurrent matrix leg) never sees half a file.
package enum AtomicFile {
    /// Writes `contents` to `path`, creating its directory; `what` names the file in an error.
    /// `permissions` (such as 0o600 for a private key) are the file's from its creation on.
    package static func write(_ contents: String, to path: String, what: String, permissions: mode_t = 0o644) throws(GantryError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            guard
                FileManager.default.createFile(
                    atPath: temporary.path, contents: nil, attributes: [.posixPermissions: NSNumber(value: permissions)])
            else { throw CocoaError(.fileWriteNoPermission) }
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try handle.write(contentsOf: Data(contents.utf8))
            guard rename(temporary.path, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw .io(action: "write \(what) at \(path)", reason: error.localizedDescription)
        }
    }
}
