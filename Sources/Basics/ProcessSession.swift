import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Every process of a session gantry started, found by the session's id through /proc: the
/// command, its children and grandchildren, also from a later gantry process that did not start
/// them (`env down` after a crash).
package struct ProcessSession: Sendable {
    /// The session id: the process id of the command that started it.
    package var id: pid_t

    package init(id: pid_t) { self.id = id }

    /// The variable whose value names the environment an environment's processes belong to.
    package static let environmentVariable = "GANTRY_ENVIRONMENT"

    /// The ids of the session's living processes (zombies, already dead, are not counted).
    package func members() -> [pid_t] { ProcessTable.members(of: [id])[id] ?? [] }

    /// Whether the session is the one gantry started for `environment`: a member carries the marker
    /// in its environment. A session id can be reused once all its processes are gone.
    package func belongs(to environment: String) -> Bool {
        !Self.sessions([id], belongingTo: environment).isEmpty
    }

    /// The sessions among `ids` that are `environment`'s, as `belongs(to:)` judges one, found in
    /// one pass over /proc for all of them: a pass per session made `down` of 20 services read
    /// every process's stat 20 times over.
    package static func sessions(_ ids: [pid_t], belongingTo environment: String) -> [ProcessSession] {
        let marker = Data([0]) + Data("\(environmentVariable)=\(environment)\u{0}".utf8)
        let members = ProcessTable.members(of: Set(ids))
        return ids.filter { id in
            members[id, default: []].contains { member in carries(marker, member) }
        }.map(ProcessSession.init(id:))
    }

    /// Whether `member`'s environment holds `marker`. A process in the middle of an `exec` shows an
    /// empty environment for a moment, and a service started through wrappers that exec one
    /// another (a pyenv shim: bash, then bash, then python) is often there; read as "not ours",
    /// `down` would leave it running. So an empty environment is read again, for up to 20 ms.
    private static func carries(_ marker: Data, _ member: pid_t) -> Bool {
        for _ in 0..<20 {
            guard let environment = FileManager.default.contents(atPath: "/proc/\(member)/environ") else { return false }
            if !environment.isEmpty { return (Data([0]) + environment).range(of: marker) != nil }
            usleep(1000)
        }
        return false
    }

    /// Whether any process of the session is alive. Gates ask before every attempt, for every
    /// service: the leader usually answers in one read, and only a session without it is searched.
    package var isAlive: Bool { ProcessTable.leaderIsAlive(id) || !members().isEmpty }

    /// Stops the session: SIGTERM, up to `grace` for every member to exit, then SIGKILL, then up to
    /// a second more for the kernel to finish. Returns the members still alive after that (none,
    /// unless a process is stuck in the kernel).
    package func terminate(grace: Duration, reaping child: ChildProcess? = nil) async -> [pid_t] {
        await Self.terminate([self], grace: grace, reaping: child)[id] ?? []
    }

    /// Stops many sessions at once, so that their grace periods run together rather than one after
    /// another: SIGTERM to all, up to `grace` for all of them to empty, SIGKILL to what is left, up
    /// to a second more. Returns the members still alive, by session.
    package static func terminate(_ sessions: [ProcessSession], grace: Duration, reaping child: ChildProcess? = nil) async -> [pid_t:
        [pid_t]]
    {
        let ids = Set(sessions.map(\.id))
        send(SIGTERM, to: ids)
        if await waitUntilEmpty(ids, within: grace, reaping: child).isEmpty { return [:] }
        send(SIGKILL, to: ids)
        return await waitUntilEmpty(ids, within: .seconds(1), reaping: child)
    }

    /// Sends `signal` to each session's process group and to every other member, since a member
    /// may have moved to a group of its own.
    private static func send(_ signal: Int32, to sessions: Set<pid_t>) {
        for session in sessions { _ = kill(-session, signal) }
        for member in ProcessTable.members(of: sessions).values.joined() { _ = kill(member, signal) }
    }

    /// Polls until no session has a member or `timeout` passes; returns the members left. Polls
    /// often at first, since most processes exit within milliseconds of SIGTERM.
    private static func waitUntilEmpty(_ sessions: Set<pid_t>, within timeout: Duration, reaping child: ChildProcess?) async -> [pid_t:
        [pid_t]]
    {
        let deadline = ContinuousClock.now + timeout
        var interval = Duration.milliseconds(1)
        while true {
            // Our own child stays a zombie, and a member, until it is reaped.
            _ = child?.exitStatus()
            let left = ProcessTable.members(of: sessions)
            if left.isEmpty || ContinuousClock.now >= deadline { return left }
            await pause(for: min(interval, deadline - ContinuousClock.now))
            interval = min(interval * 2, .milliseconds(10))
        }
    }
}
