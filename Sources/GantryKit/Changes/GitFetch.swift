import Basics
import Foundation

/// Runs `git fetch` with the git CLI. libgit2 1.5 cannot fetch into a shallow clone or deepen one,
/// so this is the one place gantry shells out to git.
struct GitFetch {
    /// The working tree to run in.
    var directory: String
    /// The remote to fetch from.
    var remote: String
    /// A fetch that takes longer is stopped, with whatever git started (a transport helper, ssh):
    /// a hung network must not hang the job.
    var timeout: Duration = .seconds(300)

    /// Runs `git fetch --no-tags --no-recurse-submodules ARGUMENTS REMOTE REFSPECS`; returns why it
    /// failed, in git's words, or nil when it fetched.
    func run(_ arguments: [String], refspecs: [String]) async -> String? {
        let words =
            ["git", "-C", directory, "fetch", "--quiet", "--no-tags", "--no-recurse-submodules"] + arguments + ["--", remote] + refspecs
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_TERMINAL_PROMPT"] = "0"  // never wait for a password nobody will type
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("gantry-fetch-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let command = ShellCommand(
            command: words.map(ShellCommand.quote).joined(separator: " "), directory: directory, environment: environment, log: log)
        let outcome: ShellCommand.Outcome
        do {
            outcome = try await command.run(timeout: timeout)
        } catch {
            return "cannot run git: \(error)"
        }
        guard outcome.status != 0 else { return nil }
        // git's last lines say why; a remote's banner before them, however long, is not the point.
        let said = outcome.lastLines(10).joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return outcome.status == nil || said.isEmpty ? "git fetch \(outcome.ending(timeout: timeout))" : said
    }
}
