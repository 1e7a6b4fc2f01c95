import Foundation

/// Copies what is appended to a log file to gantry's standard error as it comes: the user watches a
/// command whose output is also kept in a file, with no pipe for a stuck reader to fill.
package final class LogEcho {
    private let handle: FileHandle?
    private var offset: UInt64 = 0
    private var endsLine = true

    /// Follows the file at `path`, from its start; it may not exist yet.
    package init(path: String) {
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        handle = FileHandle(forReadingAtPath: path)
    }

    /// Copies what was appended since the last call, at most 1 MiB at a time.
    package func copyNew() {
        guard let handle else { return }
        try? handle.seek(toOffset: offset)
        for _ in 0..<64 {
            guard let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty else { return }
            offset += UInt64(chunk.count)
            endsLine = chunk.last == UInt8(ascii: "\n")
            FileHandle.standardError.write(chunk)
        }
    }

    /// Copies the rest and ends the last line, so that what gantry prints next (an annotation, a
    /// pause marker) starts a line of its own, where the runner reads workflow commands.
    package func finish() {
        copyNew()
        if !endsLine { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
