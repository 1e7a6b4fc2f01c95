import Basics
import GantryKit
import TestSupport
import Testing

/// actions/checkout clones with depth 1 by default: gantry must fetch what it lacks, say so, and
/// never report "no changes" for a diff it could not compute.
@Suite("Shallow clones")
struct ShallowCloneTests {
    let repo: Monorepo
    init() throws { repo = try Monorepo() }

    @Test("fetches a push's missing `before` commit and says so")
    func fetchesBefore() async throws {
        let before = try repo.fixture.commit(files: ["services/api/app.py": "v2"])
        let after = try repo.fixture.commit(files: ["services/worker/main.go": "v2"])
        let clone = try repo.shallowClone()
        let changes = try await repo.detect(
            event: "push", payload: ["before": before, "after": after, "ref": "refs/heads/main"], sha: after, in: clone.path)
        #expect(changes.comparison.base?.hex == before)
        #expect(changes.changedServiceNames == ["worker"])
        #expect(changes.notes == ["fetched the push's `before` commit \(before.prefix(7)) from origin: the clone did not have it"])
    }

    @Test("with --no-fetch, a missing `before` is an error with the remedy, not an empty change set")
    func noFetch() async throws {
        let before = try repo.fixture.commit(files: ["services/api/app.py": "v2"])
        let after = try repo.fixture.commit(files: ["services/worker/main.go": "v2"])
        let clone = try repo.shallowClone()
        await #expect {
            try await repo.detect(
                event: "push", payload: ["before": before, "after": after, "ref": "refs/heads/main"], sha: after,
                in: clone.path, options: ChangeOptions(mayFetch: false))
        } throws: { error in
            guard case .repository(let message) = error as? GantryError else { return false }
            return message.contains("\(before) is not in this shallow clone (fetching is off: --no-fetch)")
                && message.contains("fetch-depth: 0")
        }
    }

    @Test("deepens the clone until it finds a pull request's merge base, and says so")
    func deepensForMergeBase() async throws {
        try repo.fixture.git("checkout", "-q", "-b", "feature")
        for index in 0..<60 { try repo.fixture.commit(files: ["services/worker/step.txt": "\(index)"]) }
        let prHead = try repo.fixture.git("rev-parse", "HEAD")
        try repo.fixture.git("checkout", "-q", "main")
        for index in 0..<5 { try repo.fixture.commit(files: ["services/api/main-\(index).txt": "x"]) }
        let mainTip = try repo.fixture.git("rev-parse", "HEAD")
        let clone = try repo.shallowClone(branch: "feature")
        let changes = try await repo.detect(
            event: "pull_request",
            payload: ["pull_request": ["base": ["ref": "main", "sha": mainTip], "head": ["ref": "feature", "sha": prHead]]],
            sha: prHead, in: clone.path)
        #expect(changes.comparison.base?.hex == repo.initial)
        #expect(changes.changedServiceNames == ["worker"])
        #expect(changes.notes.contains { $0.hasPrefix("deepened the shallow clone by") })
    }

    @Test("a shallow root is never mistaken for a first commit that adds every file")
    func shallowRootIsNotFirstCommit() async throws {
        try repo.fixture.git("checkout", "-q", "-b", "feature")
        let prHead = try repo.fixture.commit(files: ["services/worker/main.go": "pr"])
        let clone = try repo.shallowClone(branch: "feature", singleBranch: true)
        await #expect {
            try await repo.detect(
                event: "pull_request",
                payload: ["pull_request": ["base": ["ref": "main", "sha": repo.initial], "head": ["ref": "feature", "sha": prHead]]],
                sha: prHead, in: clone.path, options: ChangeOptions(mayFetch: false))
        } throws: { error in
            "\(error)".contains("fetch-depth: 0")
        }
        // With fetching allowed, the same clone gives the right answer.
        let changes = try await repo.detect(
            event: "pull_request",
            payload: ["pull_request": ["base": ["ref": "main", "sha": repo.initial], "head": ["ref": "feature", "sha": prHead]]],
            sha: prHead, in: clone.path)
        #expect(changes.changedServiceNames == ["worker"])
    }

    @Test("a force push whose `before` is gone from the remote too falls back to the default branch")
    func forcePushInShallowClone() async throws {
        try repo.fixture.git("checkout", "-q", "-b", "feature")
        let head = try repo.fixture.commit(files: ["services/web/index.js": "rewritten"])
        let clone = try repo.shallowClone(branch: "feature")
        let changes = try await repo.detect(
            event: "push",
            payload: [
                "before": String(repeating: "f", count: 40), "after": head, "ref": "refs/heads/feature", "forced": true,
                "repository": ["default_branch": "main"],
            ],
            sha: head, in: clone.path)
        #expect(changes.comparison.base?.hex == repo.initial)
        #expect(changes.changedServiceNames == ["web"])
    }
}
