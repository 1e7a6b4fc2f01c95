import Basics
import Git

/// A repository whose missing commits and history are fetched on demand, so that a shallow clone
/// (actions/checkout's default depth of 1) still yields a correct comparison, or a clear error,
/// never a silent "no changes".
final class History {
    private(set) var repository: Repository
    private let directory: String
    private let mayFetch: Bool
    /// What was fetched, for the user: fetching is never silent.
    private(set) var notes: [String] = []
    /// git's words for the last fetch that failed, to explain a commit that could not be had.
    private var lastFetchFailure: String?

    /// All fetching together must finish by then: a hung remote must not hold the job for long.
    private let fetchDeadline = ContinuousClock.now + .seconds(300)

    /// Deepening doubles from this many commits, for at most `deepeningRounds` rounds (~12,750 commits).
    private let firstDeepening = 50
    private let deepeningRounds = 8

    init(directory: String, mayFetch: Bool) throws(GantryError) {
        do {
            repository = try Repository(discoveringFrom: directory)
        } catch {
            throw .notARepository(path: directory, reason: error.message)
        }
        self.directory = repository.workingDirectory ?? directory
        self.mayFetch = mayFetch
    }

    /// Resolves a revision to a commit. A full sha missing from the clone is fetched from the remote.
    ///
    /// - Parameter role: What the commit is to the user, such as "the push's `before` commit".
    func commit(_ revision: String, role: String) async throws(GantryError) -> ObjectID {
        if let id = ObjectID(hex: revision) {
            guard await present(id, role: role) else { throw missing(id, role: role) }
            return id
        }
        do {
            return try repository.resolveCommit(revision)
        } catch {
            throw .usage("cannot resolve \(role) '\(revision)' to a commit: \(error.message)")
        }
    }

    /// Whether a commit is in the clone, after fetching it from the remote if it was not.
    func present(_ id: ObjectID, role: String) async -> Bool {
        if repository.contains(id) { return true }
        guard let fetch = fetcher() else { return false }
        // In a shallow clone fetch just that commit; in a full clone keep the history whole.
        let depth = repository.isShallow ? ["--depth=1"] : []
        if let failure = await fetch.run(depth, refspecs: [id.hex]) {
            lastFetchFailure = failure
            return false
        }
        reopen()
        guard repository.contains(id) else { return false }
        notes.append("fetched \(role) \(id.abbreviated) from \(fetch.remote): the clone did not have it")
        return true
    }

    /// The merge base of two present commits, deepening a shallow clone until it is found.
    func mergeBase(of first: ObjectID, and second: ObjectID, describing what: String) async throws(GantryError) -> ObjectID? {
        var depth = firstDeepening
        var deepened = 0
        for round in 0...deepeningRounds {
            do {
                let base = try repository.mergeBase(of: first, and: second)
                if base != nil || !repository.isShallow {
                    if deepened > 0 { notes.append("deepened the shallow clone by \(deepened) commits to find \(what)") }
                    return base
                }
            } catch  where error.isNotFound && repository.isShallow {
                // The walk reached the shallow boundary: deepen below.
            } catch {
                throw .repository("cannot compute \(what): \(error.message)")
            }
            guard round < deepeningRounds, let fetch = fetcher() else { break }
            if let failure = await fetch.run(["--deepen=\(depth)"], refspecs: [first.hex, second.hex]) {
                throw .historyTooShallow(comparing: what, reason: "deepening it from \(fetch.remote) failed: \(failure)")
            }
            reopen()
            deepened += depth
            depth *= 2
        }
        let tried = deepened > 0 ? "even after deepening it by \(deepened) commits" : fetchUnavailableReason
        throw .historyTooShallow(comparing: what, reason: "its history does not reach a common ancestor (\(tried))")
    }

    /// The error for a commit that is not in the clone and could not be fetched.
    func missing(_ id: ObjectID, role: String) -> GantryError {
        let shallow = repository.isShallow ? "this shallow clone" : "this clone"
        return .repository(
            "\(role) \(id.hex) is not in \(shallow) (\(fetchUnavailableReason)). "
                + "Check out with full history: actions/checkout with `fetch-depth: 0`, or fetch it with `git fetch origin \(id.hex)`.")
    }

    private var fetchUnavailableReason: String {
        if !mayFetch { return "fetching is off: --no-fetch" }
        if remoteName == nil { return "the repository has no remote to fetch it from" }
        return "fetching it from \(remoteName!) failed\(lastFetchFailure.map { ": \($0)" } ?? " to bring it")"
    }

    private var remoteName: String? {
        let remotes = repository.remoteNames
        return remotes.contains("origin") ? "origin" : remotes.first
    }

    private func fetcher() -> GitFetch? {
        guard mayFetch, let remote = remoteName else { return nil }
        let remaining = ContinuousClock.now.duration(to: fetchDeadline)
        guard remaining > .seconds(1) else {
            lastFetchFailure = "the 300 s allowed for fetching are spent"
            return nil
        }
        return GitFetch(directory: directory, remote: remote, timeout: remaining)
    }

    /// libgit2 caches the object database and the shallow boundary: reopen after git changed them.
    private func reopen() {
        if let reopened = try? Repository(discoveringFrom: directory) { repository = reopened }
    }
}
