import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every process of a session gantry started, found by the session's id through /proc: the
/// command, its children and grandchildren, also from a later gantry process that did not start
/// them (`env down` after a crash).
struct ProcessSession: Sendable {
    /// The session id: the process id of the command that started it.
    var id: pid_t

    /// The ids of the session's living processes (zombies, already dead, are not counted).
    func members() -> [pid_t] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8) else { return nil }
            // The command name (field 2) is in parentheses and may hold spaces: fields are counted after the last ")".
            guard let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            // After ")": state, ppid, pgrp, session, …
            guard fields.count > 3, fields[0] != "Z", pid_t(fields[3]) == id else { return nil }
            return pid
        }
    }

    /// Whether the session is the one gantry started for `environment`: a member carries the marker
    /// in its environment. A session id can be reused once all its processes are gone.
    func belongs(to environment: String) -> Bool {
        let marker = Data("\(ProcessProvider.marker)=\(environment)\u{0}".utf8)
        return members().contains { member in
            FileManager.default.contents(atPath: "/proc/\(member)/environ").map { Data([0]) + $0 }?.range(of: Data([0]) + marker) != nil
        }
    }

    /// Whether any process of the session is alive.
    var isAlive: Bool { !members().isEmpty }

    /// Sends `signal` to the session's process group and to every other member, since a member may
    /// have moved to a group of its own.
    func send(_ signal: Int32) {
        _ = kill(-id, signal)
        for member in members() { _ = kill(member, signal) }
    }

    /// Stops the session: SIGTERM, up to `grace` for every member to exit, then SIGKILL, then up to
    /// a second more for the kernel to finish. Returns the members still alive after that (none,
    /// unless a process is stuck in the kernel).
    func terminate(grace: Duration, reaping child: ChildProcess? = nil) async -> [pid_t] {
        send(SIGTERM)
        if await waitUntilEmpty(within: grace, reaping: child) { return [] }
        send(SIGKILL)
        _ = await waitUntilEmpty(within: .seconds(1), reaping: child)
        return members()
    }

    private func waitUntilEmpty(within timeout: Duration, reaping child: ChildProcess?) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            // Our own child stays a zombie, and a member, until it is reaped.
            _ = child?.exitStatus()
            if !isAlive { return true }
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}
