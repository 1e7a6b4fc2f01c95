import Foundation

/// A command run to completion: its exit status and what it printed, within a time limit, with
/// everything it started stopped when it is done.
package struct ShellCommand: Sendable {
    /// The shell command line.
    package var command: String
    /// Where it runs.
    package var directory: String
    /// Its environment.
    package var environment: [String: String]
    /// Where its output is appended (a log the user can read).
    package var log: String

    package init(command: String, directory: String, environment: [String: String], log: String) {
        self.command = command
        self.directory = directory
        self.environment = environment
        self.log = log
    }

    /// How it ended.
    package struct Outcome: Sendable {
        /// The exit status; nil when it ran out of time or was cancelled.
        package var status: Int32?
        /// What it printed (standard output and error together), at most the last 64 KiB.
        package var output: String
        /// Its session, where what it left running in the background still runs when it was kept.
        package var session: ProcessSession

        /// How it ended, in words: "exited with 3", or "did not finish within 30 s" when it ran out of `timeout`.
        package func ending(timeout: Duration) -> String {
            status.map { "exited with \($0)" } ?? "did not finish within \(DurationText.format(timeout))"
        }

        /// The last `count` lines of its output.
        package func lastLines(_ count: Int) -> [String] {
            output.split(separator: "\n").suffix(count).map(String.init)
        }
    }

    /// Quotes `argument` for the shell, so that no character in it is read as syntax.
    package static func quote(_ argument: String) -> String {
        "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Runs the command; when `timeout` passes or the task is cancelled, stops its session
    /// (SIGTERM, then SIGKILL after `grace`). When it exits, what it left running in the background
    /// is stopped too, unless `keepsBackground` (then the caller owns the session).
    package func run(timeout: Duration, grace: Duration = .seconds(5), keepsBackground: Bool = false) async throws(GantryError) -> Outcome {
        try FileManager.default.createDirectory(
            atPath: (log as NSString).deletingLastPathComponent, withIntermediateDirectories: true, gantryError: log)
        let start = (try? FileManager.default.attributesOfItem(atPath: log)[.size] as? UInt64) ?? 0
        let child = try ChildProcess.start(command, in: directory, environment: environment, output: .file(log))
        let status = await child.waitForExit(timeout: timeout)
        let session = ProcessSession(id: child.id)
        if status == nil || !keepsBackground {
            _ = await session.terminate(grace: status == nil ? grace : .milliseconds(200), reaping: child)
        }
        return Outcome(status: status, output: Self.read(log, from: start), session: session)
    }

    private static func read(_ path: String, from offset: UInt64) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        let end = (try? handle.seekToEnd()) ?? offset
        let window: UInt64 = 64 * 1024
        try? handle.seek(toOffset: max(offset, end > window ? end - window : 0))
        return String(decoding: (try? handle.readToEnd()) ?? Data(), as: UTF8.self)
    }
}

extension FileManager {
    /// `createDirectory` with gantry's error.
    package func createDirectory(atPath path: String, withIntermediateDirectories: Bool, gantryError file: String) throws(GantryError) {
        do {
            try createDirectory(atPath: path, withIntermediateDirectories: withIntermediateDirectories)
        } catch {
            throw .io(action: "create the directory of \(file)", reason: error.localizedDescription)
        }
    }
}
