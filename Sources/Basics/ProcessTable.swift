import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One pass over /proc: which session each living process belongs to. Teardown polls this until a
/// session is empty, for many sessions at once, so one pass serves them all and reads raw bytes:
/// decoding every /proc/PID/stat as a String made `down` of 20 services spend most of its time here.
package enum ProcessTable {
    /// The living processes (zombies excluded) of each session in `sessions`; a session with none
    /// is absent.
    package static func members(of sessions: Set<pid_t>) -> [pid_t: [pid_t]] {
        guard !sessions.isEmpty, let directory = opendir("/proc") else { return [:] }
        defer { closedir(directory) }
        var found: [pid_t: [pid_t]] = [:]
        var buffer = [UInt8](repeating: 0, count: 1024)
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let pid = pid_t(name), let session = session(of: pid, buffer: &buffer), sessions.contains(session) else { continue }
            found[session, default: []].append(pid)
        }
        return found
    }

    /// Whether the process `session` lives and still leads that session: one read, where
    /// `members(of:)` reads every process.
    package static func leaderIsAlive(_ session: pid_t) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 1024)
        return Self.session(of: session, buffer: &buffer) == session
    }

    /// The session of a living process; nil for a zombie or a process that is gone.
    private static func session(of pid: pid_t, buffer: inout [UInt8]) -> pid_t? {
        let descriptor = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        // "pid (comm) state ppid pgrp session …": the command name may hold spaces and parentheses,
        // so fields are counted after the last ")".
        let bytes = buffer[..<count]
        guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = bytes[(close + 1)...].split(separator: UInt8(ascii: " "), maxSplits: 5)
        guard fields.count > 3, fields[0].first != UInt8(ascii: "Z") else { return nil }
        return pid_t(String(decoding: fields[3], as: UTF8.self))
    }
}
