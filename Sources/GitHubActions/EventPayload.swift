/// The parts of a GitHub webhook payload (`$GITHUB_EVENT_PATH`) that gantry reads. Every field is
/// optional here; the stage that needs one says clearly when it is missing.
package struct EventPayload: Decodable, Sendable, Equatable {
    /// A commit pointer with its ref, as in `pull_request.base` and `pull_request.head`.
    package struct Branch: Decodable, Sendable, Equatable {
        /// The branch name, without `refs/heads/`.
        package var ref: String?
        /// The commit the branch pointed at when the event fired.
        package var sha: String?
    }

    /// The `pull_request` object of `pull_request` and `pull_request_target` events.
    package struct PullRequest: Decodable, Sendable, Equatable {
        /// The pull request's number.
        package var number: Int?
        /// The branch it merges into.
        package var base: Branch?
        /// The branch it merges from.
        package var head: Branch?
    }

    /// The `merge_group` object of `merge_group` events.
    package struct MergeGroup: Decodable, Sendable, Equatable {
        /// The commit the queued group is based on.
        package var baseSHA: String?
        /// The commit of the queued group.
        package var headSHA: String?
        /// The queue's temporary branch.
        package var headRef: String?
        /// The branch the queue merges into.
        package var baseRef: String?

        package enum CodingKeys: String, CodingKey {
            case baseSHA = "base_sha", headSHA = "head_sha", headRef = "head_ref", baseRef = "base_ref"
        }
    }

    /// The `repository` object.
    package struct Repository: Decodable, Sendable, Equatable {
        /// A license as GitHub detected it.
        package struct License: Decodable, Sendable, Equatable {
            /// The SPDX identifier, such as `MIT`.
            package var spdxID: String?

            package enum CodingKeys: String, CodingKey { case spdxID = "spdx_id" }
        }

        /// The default branch's name, such as `main`.
        package var defaultBranch: String?
        /// The repository's page, such as `https://github.com/acme/monorepo`.
        package var htmlURL: String?
        /// The repository's description.
        package var description: String?
        /// The repository's license.
        package var license: License?

        package enum CodingKeys: String, CodingKey {
            case defaultBranch = "default_branch", htmlURL = "html_url", description, license
        }
    }

    /// `push`: the commit the ref pointed at before the push; all zeros when the push created it.
    package var before: String?
    /// `push`: the commit the ref points at after the push; all zeros when the push deleted it.
    package var after: String?
    /// `push`: the full ref pushed, such as `refs/heads/main` or `refs/tags/v1.2.0`.
    package var ref: String?
    /// `push`: whether the push created the ref.
    package var created: Bool?
    /// `push`: whether the push deleted the ref.
    package var deleted: Bool?
    /// `push`: whether the push was forced.
    package var forced: Bool?
    /// `push` of a tag: the branch the tagged commit was on, such as `refs/heads/main`, when GitHub knows it.
    package var baseRef: String?
    /// `pull_request`, `pull_request_target`: the pull request's number.
    package var number: Int?
    /// `pull_request`, `pull_request_target`.
    package var pullRequest: PullRequest?
    /// `merge_group`.
    package var mergeGroup: MergeGroup?
    /// Every event that concerns a repository.
    package var repository: Repository?

    package enum CodingKeys: String, CodingKey {
        case before, after, ref, created, deleted, forced, repository, number
        case baseRef = "base_ref", pullRequest = "pull_request", mergeGroup = "merge_group"
    }

    /// Creates a payload; every field defaults to absent.
    package init(
        before: String? = nil, after: String? = nil, ref: String? = nil, created: Bool? = nil, deleted: Bool? = nil,
        forced: Bool? = nil, baseRef: String? = nil, number: Int? = nil, pullRequest: PullRequest? = nil,
        mergeGroup: MergeGroup? = nil, repository: Repository? = nil
    ) {
        self.before = before
        self.after = after
        self.ref = ref
        self.created = created
        self.deleted = deleted
        self.forced = forced
        self.baseRef = baseRef
        self.number = number
        self.pullRequest = pullRequest
        self.mergeGroup = mergeGroup
        self.repository = repository
    }
}
