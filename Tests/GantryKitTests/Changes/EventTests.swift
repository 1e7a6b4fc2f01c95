import Basics
import GantryKit
import TestSupport
import Testing

/// How each GitHub event chooses the commits to compare, in a full clone.
@Suite("Choosing base and head for each event")
struct EventTests {
    let repo: Monorepo
    init() throws { repo = try Monorepo() }

    @Test("push: from the commit before the push to the commit after it")
    func push() async throws {
        let before = try repo.fixture.commit(files: ["services/api/app.py": "v2"])
        let after = try repo.fixture.commit(files: ["services/worker/main.go": "v2"])
        let changes = try await repo.detect(
            event: "push", payload: ["before": before, "after": after, "ref": "refs/heads/main"], sha: after)
        #expect(changes.comparison.base?.hex == before)
        #expect(changes.comparison.head.hex == after)
        #expect(changes.comparison.reason == "the commit before the push (\(before.prefix(7)))")
        #expect(changes.changedServiceNames == ["worker"])
    }

    @Test("push of a new branch: from the merge base with the default branch")
    func newBranch() async throws {
        try repo.fixture.git("checkout", "-q", "-b", "feature")
        try repo.fixture.commit(files: ["services/web/index.js": "v2"])
        let head = try repo.fixture.commit(files: ["services/worker/main.go": "v2"])
        try repo.fixture.git("checkout", "-q", "main")
        try repo.fixture.commit(files: ["services/api/app.py": "main moved on"])
        try repo.fixture.git("checkout", "-q", "feature")
        let changes = try await repo.detect(
            event: "push",
            payload: [
                "before": zeros, "after": head, "ref": "refs/heads/feature", "created": true, "repository": ["default_branch": "main"],
            ])
        #expect(changes.comparison.base?.hex == repo.initial)
        #expect(changes.comparison.reason.hasPrefix("the push created refs/heads/feature: the merge base with the default branch main"))
        #expect(changes.changedServiceNames == ["web", "worker"])
    }

    @Test("push of a new branch without the default branch in the clone: every service, saying why")
    func newBranchWithoutDefaultBranch() async throws {
        let head = try repo.fixture.commit(files: ["services/web/index.js": "v2"])
        let changes = try await repo.detect(
            event: "push",
            payload: ["before": zeros, "after": head, "ref": "refs/heads/feature", "repository": ["default_branch": "trunk"]])
        #expect(changes.comparison.base == nil)
        #expect(changes.changedServiceNames == ["api", "web", "worker"])
        #expect(
            changes.comparison.allServicesReason
                == "the push created refs/heads/feature and the default branch trunk is not in the clone, so there is nothing to compare with"
        )
    }

    @Test("force push whose previous head is gone: from the merge base with the default branch")
    func forcePushWithLostBefore() async throws {
        try repo.fixture.git("checkout", "-q", "-b", "feature")
        let head = try repo.fixture.commit(files: ["services/worker/main.go": "rewritten"])
        let gone = String(repeating: "d", count: 40)
        let changes = try await repo.detect(
            event: "push",
            payload: ["before": gone, "after": head, "ref": "refs/heads/feature", "forced": true, "repository": ["default_branch": "main"]])
        #expect(changes.comparison.base?.hex == repo.initial)
        #expect(
            changes.comparison.reason.hasPrefix(
                "the push was forced and its previous head ddddddd is gone: the merge base with the default branch main"))
        #expect(changes.changedServiceNames == ["worker"])
    }

    @Test("push whose previous head is missing without a force: an error naming the commit and the remedy")
    func pushWithMissingBefore() async throws {
        let head = try repo.fixture.commit(files: ["services/worker/main.go": "v2"])
        let missing = String(repeating: "e", count: 40)
        await #expect {
            try await repo.detect(event: "push", payload: ["before": missing, "after": head, "ref": "refs/heads/main"])
        } throws: { error in
            let message = "\(error)"
            return message.contains("the push's `before` commit \(missing) is not in this clone")
                && message.contains("the repository has no remote") && message.contains("fetch-depth: 0")
        }
    }

    @Test("push of a new branch at the default branch's tip: nothing changed")
    func newBranchAtDefaultTip() async throws {
        let changes = try await repo.detect(
            event: "push",
            payload: ["before": zeros, "after": repo.initial, "ref": "refs/heads/feature", "repository": ["default_branch": "main"]])
        #expect(changes.comparison.base?.hex == repo.initial)
        #expect(changes.changedServiceNames == [])
    }

    @Test("first push of the default branch itself: every service")
    func firstPushOfDefaultBranch() async throws {
        let changes = try await repo.detect(
            event: "push",
            payload: ["before": zeros, "after": repo.initial, "ref": "refs/heads/main", "repository": ["default_branch": "main"]])
        #expect(changes.changedServiceNames == ["api", "web", "worker"])
        #expect(
            changes.comparison.allServicesReason
                == "the push created refs/heads/main, the default branch itself, so there is nothing to compare with")
    }

    @Test("push that deletes a branch: nothing to build, whatever it held")
    func deletedBranch() async throws {
        let old = try repo.fixture.commit(files: ["services/api/app.py": "on the deleted branch"])
        let changes = try await repo.detect(
            event: "push", payload: ["before": old, "after": zeros, "ref": "refs/heads/old", "deleted": true])
        #expect(changes.changedServiceNames == [])
        #expect(changes.comparison.reason == "the push deleted refs/heads/old: there is nothing to build")
    }

    @Test("tag push: every service")
    func tagPush() async throws {
        let changes = try await repo.detect(
            event: "push", payload: ["before": zeros, "after": repo.initial, "ref": "refs/tags/v1.2.0"], ref: "refs/tags/v1.2.0")
        #expect(changes.changedServiceNames == ["api", "web", "worker"])
        #expect(
            changes.reasons(of: "api") == ["all: a tag push (refs/tags/v1.2.0) builds every service; pass --base to compare with a commit"])
    }

    @Test("tag push with --base: compares with that commit")
    func tagPushWithBase() async throws {
        let head = try repo.fixture.commit(files: ["services/web/index.js": "v2"])
        let changes = try await repo.detect(
            event: "push", payload: ["before": zeros, "after": head, "ref": "refs/tags/v1.2.0"],
            options: ChangeOptions(base: repo.initial))
        #expect(changes.changedServiceNames == ["web"])
        #expect(changes.comparison.reason == "--base \(repo.initial)")
    }

    @Test("schedule, workflow_dispatch and other events: every service")
    func everythingEvents() async throws {
        for event in ["schedule", "workflow_dispatch", "repository_dispatch", "release"] {
            let changes = try await repo.detect(event: event, payload: [:])
            #expect(changes.changedServiceNames == ["api", "web", "worker"], "\(event)")
            #expect(changes.comparison.allServicesReason == "a \(event) event builds every service; pass --base to compare with a commit")
        }
    }

    @Test("pull_request on GitHub's merge commit: from its first parent, so only the PR's changes count")
    func pullRequestMergeCommit() async throws {
        try repo.fixture.git("checkout", "-q", "-b", "feature")
        let prHead = try repo.fixture.commit(files: ["services/worker/main.go": "pr"])
        try repo.fixture.git("checkout", "-q", "main")
        let mainTip = try repo.fixture.commit(files: ["services/api/app.py": "main moved on"])
        try repo.fixture.git("checkout", "-q", "--detach", "main")
        try repo.fixture.git("merge", "-q", "--no-ff", "-m", "Merge \(prHead) into \(mainTip)", prHead)
        let merge = try repo.fixture.git("rev-parse", "HEAD")
        let payload: [String: Any] = [
            "pull_request": ["number": 7, "base": ["ref": "main", "sha": mainTip], "head": ["ref": "feature", "sha": prHead]]
        ]
        for event in ["pull_request", "pull_request_target"] {
            let changes = try await repo.detect(event: event, payload: payload, sha: merge)
            #expect(changes.comparison.base?.hex == mainTip)
            #expect(changes.comparison.head.hex == merge)
            #expect(changes.comparison.reason == "first parent of the pull request's merge commit \(merge.prefix(7)) (main as merged)")
            #expect(changes.changedServiceNames == ["worker"])
        }
    }

    @Test("pull_request on the PR's head: from the merge base of base and head")
    func pullRequestHead() async throws {
        try repo.fixture.git("checkout", "-q", "-b", "feature")
        let prHead = try repo.fixture.commit(files: ["services/worker/main.go": "pr"])
        try repo.fixture.git("checkout", "-q", "main")
        let mainTip = try repo.fixture.commit(files: ["services/api/app.py": "main moved on"])
        // pull_request_target checks out the base branch; the PR's head is compared, not HEAD.
        let payload: [String: Any] = [
            "pull_request": ["number": 7, "base": ["ref": "main", "sha": mainTip], "head": ["ref": "feature", "sha": prHead]]
        ]
        let changes = try await repo.detect(event: "pull_request_target", payload: payload, sha: mainTip)
        #expect(changes.comparison.base?.hex == repo.initial)
        #expect(changes.comparison.head.hex == prHead)
        #expect(
            changes.comparison.reason == "the merge base of main (\(mainTip.prefix(7))) and the pull request head (\(prHead.prefix(7)))")
        #expect(changes.changedServiceNames == ["worker"])
    }

    @Test("pull_request without its base in the payload: a clear error")
    func pullRequestMissingBase() async throws {
        await #expect {
            try await repo.detect(event: "pull_request", payload: ["pull_request": ["number": 1]])
        } throws: { error in
            "\(error)".contains("has no `pull_request.base.sha`")
        }
    }

    @Test("merge_group: from the group's base to its head")
    func mergeGroup() async throws {
        let base = try repo.fixture.commit(files: ["services/api/app.py": "v2"])
        let head = try repo.fixture.commit(files: ["services/web/index.js": "queued"])
        let changes = try await repo.detect(
            event: "merge_group",
            payload: [
                "merge_group": [
                    "base_sha": base, "head_sha": head, "base_ref": "refs/heads/main",
                    "head_ref": "refs/heads/gh-readonly-queue/main/pr-7-abc",
                ]
            ])
        #expect(changes.comparison.base?.hex == base)
        #expect(changes.comparison.head.hex == head)
        #expect(changes.changedServiceNames == ["web"])
    }

    @Test("locally: from the merge base with the default branch")
    func local() async throws {
        try repo.fixture.git("checkout", "-q", "-b", "feature")
        try repo.fixture.commit(files: ["services/worker/main.go": "local"])
        try repo.fixture.git("checkout", "-q", "main")
        try repo.fixture.commit(files: ["services/api/app.py": "main moved on"])
        try repo.fixture.git("checkout", "-q", "feature")
        let changes = try await repo.detect()
        #expect(changes.comparison.base?.hex == repo.initial)
        #expect(changes.comparison.reason == "the merge base with main (\(repo.initial.prefix(7)))")
        #expect(changes.changedServiceNames == ["worker"])
    }

    @Test("locally without a default branch: every service, saying to pass --base")
    func localWithoutDefaultBranch() async throws {
        try repo.fixture.git("branch", "-m", "main", "develop")
        let changes = try await repo.detect()
        #expect(changes.changedServiceNames == ["api", "web", "worker"])
        #expect(changes.comparison.allServicesReason?.contains("pass --base") == true)
    }
}
