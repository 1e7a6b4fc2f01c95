import Foundation

/// GitHub's markdown renderer, cmark-gfm, run as a real process.
public enum CmarkGFM {
    /// cmark-gfm is not installed.
    public struct Missing: Error, CustomStringConvertible {
        public var description: String {
            "cmark-gfm, GitHub's markdown renderer, is not installed: apt-get install cmark-gfm (brew install cmark-gfm)"
        }
    }

    /// cmark-gfm failed.
    public struct Failed: Error, CustomStringConvertible {
        let status: Int32
        public var description: String { "cmark-gfm exited with status \(status)" }
    }

    /// The HTML cmark-gfm renders for `markdown` with GitHub's extensions.
    ///
    /// `--unsafe` keeps raw HTML, as GitHub does for the tags it allows (`<details>`, `<summary>`);
    /// without it, cmark-gfm would drop every tag and hide one that user text let through.
    public static func html(_ markdown: String) throws -> String {
        guard let executable = locate() else { throw Missing() }
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("gantry-markdown-\(UUID().uuidString).md")
        try Data(markdown.utf8).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }

        let process = Process()
        process.executableURL = executable
        process.arguments = ["-e", "table", "-e", "strikethrough", "-e", "autolink", "-e", "tagfilter", "--unsafe", input.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failed(status: process.terminationStatus) }
        return String(decoding: data, as: UTF8.self)
    }

    private static func locate() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"] + path.split(separator: ":").map(String.init)
        return
            directories
            .map { URL(fileURLWithPath: $0).appendingPathComponent("cmark-gfm") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}
