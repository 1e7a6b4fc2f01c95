import Foundation

/// A real Git repository in a temporary directory, driven with the git CLI.
public final class GitFixture: @unchecked Sendable {
    /// Owns the directory; the repository lives at its root.
    public let directory: TemporaryDirectory
    /// The working tree's absolute path.
    public let path: String

    /// Creates a repository with `main` as its initial branch and a fixed identity, so tests do not
    /// depend on the machine's git configuration.
    public init(branch: String = "main") throws {
        directory = try TemporaryDirectory(prefix: "gantry-repo")
        path = directory.path
        try git("init", "--quiet", "--initial-branch=\(branch)")
    }

    /// Wraps a repository made some other way, such as by `git clone`, in `subdirectory` of `directory`.
    public init(existing directory: TemporaryDirectory, subdirectory: String? = nil) {
        self.directory = directory
        path = subdirectory.map { directory.path + "/" + $0 } ?? directory.path
    }

    /// Runs git in the repository; throws with git's message when it fails.
    @discardableResult
    public func git(_ arguments: String...) throws -> String {
        try git(arguments)
    }

    /// Runs git in the repository; throws with git's message when it fails. The output is trimmed.
    @discardableResult
    public func git(_ arguments: [String]) throws -> String {
        try untrimmedGit(arguments).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs git in the repository and returns its output exactly, as `-z` listings need.
    public func untrimmedGit(_ arguments: [String]) throws -> String {
        let result = try runCommand("git", arguments, in: path, environment: Self.environment)
        guard result.status == 0 else {
            throw TestFailure("git \(arguments.joined(separator: " ")) failed: \(result.standardError)")
        }
        return result.standardOutput
    }

    /// Writes a file, creating its directories.
    public func write(_ relativePath: String, _ contents: String = "content\n") throws {
        let url = URL(fileURLWithPath: path).appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: url)
    }

    /// Writes raw bytes to a file, creating its directories.
    public func write(_ relativePath: String, bytes: [UInt8]) throws {
        let url = URL(fileURLWithPath: path).appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    /// Deletes a file from the working tree.
    public func remove(_ relativePath: String) throws {
        try FileManager.default.removeItem(atPath: path + "/" + relativePath)
    }

    /// Renames a tracked file with `git mv`, creating the destination's directories.
    public func move(_ source: String, to destination: String) throws {
        let url = URL(fileURLWithPath: path).appendingPathComponent(destination)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try git("mv", source, destination)
    }

    /// Stages everything and commits; returns the new commit's sha.
    @discardableResult
    public func commit(_ message: String = "change") throws -> String {
        try git("add", "--all")
        try git("commit", "--quiet", "--allow-empty", "--no-verify", "-m", message)
        return try git("rev-parse", "HEAD")
    }

    /// Writes the given files and commits them; returns the new commit's sha.
    @discardableResult
    public func commit(files: [String: String], message: String = "change") throws -> String {
        for (file, contents) in files { try write(file, contents) }
        return try commit(message)
    }

    /// The environment git runs with: no user or system configuration, a fixed identity and dates.
    public static let environment: [String: String] = {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
        environment["GIT_AUTHOR_NAME"] = "Gantry Test"
        environment["GIT_AUTHOR_EMAIL"] = "test@example.com"
        environment["GIT_COMMITTER_NAME"] = "Gantry Test"
        environment["GIT_COMMITTER_EMAIL"] = "test@example.com"
        environment["GIT_ALLOW_PROTOCOL"] = "file"
        return environment
    }()
}
