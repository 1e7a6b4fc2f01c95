import Basics
import Foundation

/// What the rules see of the event: environment variables and the event payload, nothing from the network.
package struct TagContext: Sendable, Equatable {
    /// `GITHUB_EVENT_NAME`.
    package var eventName: String
    /// `GITHUB_REF` as given; the pull_request_target rewrite happens in `effectiveReference`.
    package var ref: String
    /// `GITHUB_SHA` (40 hex).
    package var sha: String
    /// `payload.number` / `payload.pull_request.number`.
    package var pullRequestNumber: Int?
    /// `payload.pull_request.head.sha`.
    package var pullRequestHeadSHA: String?
    /// `payload.pull_request.base.ref`.
    package var pullRequestBaseRef: String?
    /// `payload.base_ref` (tag pushes).
    package var baseRef: String?
    /// `payload.repository.default_branch`.
    package var defaultBranch: String?
    /// `payload.merge_group.base_ref`, e.g. `refs/heads/main`.
    package var mergeGroupBaseRef: String?
    /// `payload.merge_group.head_ref`, e.g. `refs/heads/gh-readonly-queue/main/pr-123-<sha>`.
    package var mergeGroupHeadRef: String?
    /// The commit's time, for `{{commit_date}}`.
    package var commitDate: Date
    /// The time for `{{date}}`; the engine never reads the clock.
    package var now: Date
    /// metadata-action's `DOCKER_METADATA_PR_HEAD_SHA`: pull request events use the head commit's sha.
    package var usesPullRequestHeadSHA: Bool
    /// `DOCKER_METADATA_SHORT_SHA_LENGTH`, 7 by default.
    package var shortSHALength: Int
    /// The 40-hex tree hash for `type=tree`; nil makes `type=tree` produce nothing.
    package var treeHash: String?
    /// What the run adds to the `github` context of `${{ }}` expressions: `repository`, `run_id`, …
    /// and `event`, the whole payload (see `github`).
    package var runValues: [String: JSONValue] = [:]

    /// A context; only the event, ref, sha and times are required.
    package init(
        eventName: String, ref: String, sha: String,
        pullRequestNumber: Int? = nil, pullRequestHeadSHA: String? = nil, pullRequestBaseRef: String? = nil,
        baseRef: String? = nil, defaultBranch: String? = nil,
        mergeGroupBaseRef: String? = nil, mergeGroupHeadRef: String? = nil,
        commitDate: Date, now: Date,
        usesPullRequestHeadSHA: Bool = false, shortSHALength: Int = 7, treeHash: String? = nil
    ) {
        self.eventName = eventName
        self.ref = ref
        self.sha = sha
        self.pullRequestNumber = pullRequestNumber
        self.pullRequestHeadSHA = pullRequestHeadSHA
        self.pullRequestBaseRef = pullRequestBaseRef
        self.baseRef = baseRef
        self.defaultBranch = defaultBranch
        self.mergeGroupBaseRef = mergeGroupBaseRef
        self.mergeGroupHeadRef = mergeGroupHeadRef
        self.commitDate = commitDate
        self.now = now
        self.usesPullRequestHeadSHA = usesPullRequestHeadSHA
        self.shortSHALength = shortSHALength
        self.treeHash = treeHash
    }
}
