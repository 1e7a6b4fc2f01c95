import Foundation

/// The last lines of a log, for a summary: bounded in lines and in bytes read, whatever the log's size.
package enum LogTail {
    /// The last `count` lines of the file at `path`, each cut to 300 characters; empty when unreadable.
    package static func lines(of path: String, count: Int = 30) -> [String] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        let window: UInt64 = 64 * 1024
        try? handle.seek(toOffset: size > window ? size - window : 0)
        let data = (try? handle.readToEnd()) ?? Data()
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        // A cut first line is a fragment.
        if size > window, !lines.isEmpty { lines.removeFirst() }
        return lines.suffix(count).map { String($0.prefix(300)) }
    }
}
