import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A shell command gantry started in a session of its own: the command and everything it starts
/// share the session and process group whose id is the command's process id, so all of them can be
/// signalled at once, and found again later by that id (see `ProcessSession`).
package final class ChildProcess: Sendable {
    /// The process id, which is also its session and process group id.
    package let id: pid_t

    private init(id: pid_t) { self.id = id }

    /// Where the command's standard output and error go.
    package enum Output: Sendable {
        /// Discarded.
        case discarded
        /// Appended to a file, created if need be.
        case file(String)
    }

    /// Starts `command` with `/bin/sh -c` in `directory`, with exactly `environment`, standard input
    /// from /dev/null, default signal handling, in a new session.
    package static func start(
        _ command: String, in directory: String, environment: [String: String], output: Output
    ) throws(GantryError) -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        switch output {
        case .discarded: posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        case .file(let path): posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        }
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        closeInheritedDescriptors(in: &actions)

        // Signals gantry blocks or ignores for itself must not be inherited by services it starts.
        var defaults = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        // glibc's POSIX_SPAWN_SETSID (0x80) is hidden from Swift behind _GNU_SOURCE.
        let setSessionID: Int32 = 0x80
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | setSessionID))

        // The directory and the command are arguments, never spliced into the script, so neither can
        // inject shell syntax; `eval` runs the command as the user wrote it.
        let arguments = ["/bin/sh", "-c", "cd -- \"$1\" || exit 127; eval \"$2\"", "gantry-sh", directory, command]
        let variables = environment.map { "\($0.key)=\($0.value)" }
        var id: pid_t = 0
        let result = withCStrings(arguments) { argv in
            withCStrings(variables) { envp in posix_spawn(&id, "/bin/sh", &actions, &attributes, argv, envp) }
        }
        guard result == 0 else {
            throw .io(action: "start `\(command)`", reason: String(cString: strerror(result)))
        }
        return ChildProcess(id: id)
    }

    /// The exit status once the command has exited, without waiting; nil while it runs.
    /// A command killed by a signal reports 128 + the signal, as shells do.
    package func exitStatus() -> Int32? {
        var status: Int32 = 0
        let result = waitpid(id, &status, WNOHANG)
        guard result == id else { return result < 0 ? -1 : nil }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// Waits for the command to exit, or for `timeout` to pass (then nil). Polls, so that the wait
    /// can be cancelled and many commands waited for at once without a thread each; `poll` runs at
    /// each look.
    package func waitForExit(timeout: Duration, polling poll: () -> Void = {}) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        var pause = Duration.milliseconds(2)
        while true {
            poll()
            if let status = exitStatus() { return status }
            if ContinuousClock.now >= deadline || Task.isCancelled { return nil }
            try? await Task.sleep(for: min(pause, deadline - ContinuousClock.now))
            pause = min(pause * 2, .milliseconds(50))
        }
    }
}

/// Calls `body` with a null-terminated C array of the strings, valid only during the call.
private func withCStrings<Result>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Result) -> Result {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { for pointer in pointers { free(pointer) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
