import Foundation

/// Appends `text` to the file at `path` in one write, creating the file when it does not exist, as
/// the runner's file commands and step summary expect: other steps' content is kept.
///
/// - Parameter what: What the file is to the user, for errors: "the summary file", "step outputs".
package func append(_ text: String, toFile path: String, what: String) throws(GantryError) {
    if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
    guard let handle = FileHandle(forWritingAtPath: path) else {
        throw .io(action: "open \(what) \(path)", reason: String(cString: strerror(errno)))
    }
    defer { try? handle.close() }
    do {
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    } catch {
        throw .io(action: "write \(what) \(path)", reason: error.localizedDescription)
    }
}
