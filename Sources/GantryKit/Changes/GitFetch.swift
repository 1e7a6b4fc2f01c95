import Foundation

/// Runs `git fetch` with the git CLI. libgit2 1.5 cannot fetch into a shallow clone or deepen one,
/// so this is the one place gantry shells out to git.
struct GitFetch {
    /// The working tree to run in.
    var directory: String
    /// The remote to fetch from.
    var remote: String
    /// A fetch that takes longer is stopped: a hung network must not hang the job.
    var timeout: TimeInterval = 300

    /// Runs `git fetch --no-tags --no-recurse-submodules ARGUMENTS REMOTE REFSPECS`; returns git's error
    /// output when it fails.
    func run(_ arguments: [String], refspecs: [String]) -> Result<Void, FetchFailure> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["git", "-C", directory, "fetch", "--quiet", "--no-tags", "--no-recurse-submodules"] + arguments
            + ["--", remote] + refspecs
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_TERMINAL_PROMPT"] = "0"  // never wait for a password nobody will type
        process.environment = environment
        let errorPipe = Pipe()
        process.standardError = errorPipe
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return .failure(FetchFailure(message: "cannot run git: \(error.localizedDescription)"))
        }
        let timer = DispatchWorkItem { process.terminate() }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: timer)
        let errorOutput = errorPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        timer.cancel()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let text = String(decoding: errorOutput, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            let why = process.terminationReason == .uncaughtSignal ? "timed out after \(Int(timeout)) s" : text
            return .failure(FetchFailure(message: why.isEmpty ? "git fetch failed" : why))
        }
        return .success(())
    }
}

/// Why a fetch failed, in git's words.
struct FetchFailure: Error {
    var message: String
}
