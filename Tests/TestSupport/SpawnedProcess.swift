import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A process a test signals, as the runner signals gantry: started with every signal at its default
/// and none blocked (the threads tests run on block some, and `Process` would pass that mask on, so
/// the child could never be stopped by them), its output in files, waited for without blocking a
/// thread of the test pool.
public final class SpawnedProcess: @unchecked Sendable {
    /// The process id.
    public let id: pid_t
    private let directory: TemporaryDirectory
    private let lock = NSLock()
    private var status: Int32?

    /// Starts `executable` with `arguments` in `workingDirectory`, with exactly `environment`.
    public init(_ executable: String, _ arguments: [String], in workingDirectory: String, environment: [String: String]) throws {
        directory = try TemporaryDirectory(prefix: "gantry-spawned")
        // The shell changes directory and then becomes the program, so `id` is the program's.
        id = try spawnWithDefaultSignals(
            ["/bin/sh", "-c", "cd -- \"$1\" && shift && exec \"$@\"", "sh", workingDirectory, executable] + arguments,
            standardOutput: directory.url("stdout"), standardError: directory.url("stderr"), environment: environment)
    }

    deinit { stop() }

    /// Sends `signal` to the process.
    public func send(_ signal: Int32) { _ = kill(id, signal) }

    /// The exit status (128 + the signal for a process a signal ended), once it has exited; nil while it runs.
    public func exitStatus() -> Int32? {
        lock.withLock {
            if let status { return status }
            var raw: Int32 = 0
            guard waitpid(id, &raw, WNOHANG) == id else { return nil }
            let signal = raw & 0x7f
            status = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
            return status
        }
    }

    /// Waits up to `timeout` for the process to exit; returns its exit status, or nil if it still runs.
    public func wait(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = exitStatus() { return status }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return exitStatus()
    }

    /// Kills the process and reaps it, if it still runs: for `defer`, so no test leaves it behind.
    public func stop() {
        guard exitStatus() == nil else { return }
        _ = kill(id, SIGKILL)
        lock.withLock {
            var raw: Int32 = 0
            if waitpid(id, &raw, 0) == id { status = 128 + SIGKILL }
        }
    }

    /// What it wrote to standard output so far.
    public var standardOutput: String { (try? String(contentsOfFile: directory.url("stdout"), encoding: .utf8)) ?? "" }

    /// What it wrote to standard error so far.
    public var standardError: String { (try? String(contentsOfFile: directory.url("stderr"), encoding: .utf8)) ?? "" }
}

/// The living processes (zombies excluded) of a session, read from /proc: how a test checks that
/// nothing an environment started is left. Process ids are reused quickly on a busy machine (and
/// tests run in parallel), so with `environment` only processes that carry gantry's marker of that
/// environment count: a later process that got the same id is not mistaken for a stray.
public func sessionMembers(_ session: pid_t, environment: String? = nil) -> [pid_t] {
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
    let marker = environment.map { Data("\0GANTRY_ENVIRONMENT=\($0)\0".utf8) }
    return entries.compactMap { entry -> pid_t? in
        guard let pid = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // After the command name in parentheses: state, ppid, pgrp, session.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 3, fields[0] != "Z", pid_t(fields[3]) == session else { return nil }
        if let marker {
            guard let variables = FileManager.default.contents(atPath: "/proc/\(entry)/environ"),
                (Data([0]) + variables).range(of: marker) != nil
            else { return nil }
        }
        return pid
    }
}

/// Kills every living member of `session` (marked for `environment`, when given): the clean-up of a
/// test that failed before gantry did it.
public func killSession(_ session: pid_t, environment: String? = nil) {
    for member in sessionMembers(session, environment: environment) { _ = kill(member, SIGKILL) }
}
