/// The parts of a GitHub webhook payload (`$GITHUB_EVENT_PATH`) that gantry reads. Every field is
/// optional here; the stage that needs one says clearly when it is missing.
public struct EventPayload: Decodable, Sendable, Equatable {
    /// A commit pointer with its ref, as in `pull_request.base` and `pull_request.head`.
    public struct Branch: Decodable, Sendable, Equatable {
        /// The branch name, without `refs/heads/`.
        public var ref: String?
        /// The commit the branch pointed at when the event fired.
        public var sha: String?
    }

    /// The `pull_request` object of `pull_request` and `pull_request_target` events.
    public struct PullRequest: Decodable, Sendable, Equatable {
        /// The pull request's number.
        public var number: Int?
        /// The branch it merges into.
        public var base: Branch?
        /// The branch it merges from.
        public var head: Branch?
    }

    /// The `merge_group` object of `merge_group` events.
    public struct MergeGroup: Decodable, Sendable, Equatable {
        /// The commit the queued group is based on.
        public var baseSHA: String?
        /// The commit of the queued group.
        public var headSHA: String?
        /// The queue's temporary branch.
        public var headRef: String?
        /// The branch the queue merges into.
        public var baseRef: String?

        enum CodingKeys: String, CodingKey {
            case baseSHA = "base_sha", headSHA = "head_sha", headRef = "head_ref", baseRef = "base_ref"
        }
    }

    /// The `repository` object.
    public struct Repository: Decodable, Sendable, Equatable {
        /// A license as GitHub detected it.
        public struct License: Decodable, Sendable, Equatable {
            /// The SPDX identifier, such as `MIT`.
            public var spdxID: String?

            enum CodingKeys: String, CodingKey { case spdxID = "spdx_id" }
        }

        /// The default branch's name, such as `main`.
        public var defaultBranch: String?
        /// The repository's page, such as `https://github.com/acme/monorepo`.
        public var htmlURL: String?
        /// The repository's description.
        public var description: String?
        /// The repository's license.
        public var license: License?

        enum CodingKeys: String, CodingKey {
            case defaultBranch = "default_branch", htmlURL = "html_url", description, license
        }
    }

    /// `push`: the commit the ref pointed at before the push; all zeros when the push created it.
    public var before: String?
    /// `push`: the commit the ref points at after the push; all zeros when the push deleted it.
    public var after: String?
    /// `push`: the full ref pushed, such as `refs/heads/main` or `refs/tags/v1.2.0`.
    public var ref: String?
    /// `push`: whether the push created the ref.
    public var created: Bool?
    /// `push`: whether the push deleted the ref.
    public var deleted: Bool?
    /// `push`: whether the push was forced.
    public var forced: Bool?
    /// `push` of a tag: the branch the tagged commit was on, such as `refs/heads/main`, when GitHub knows it.
    public var baseRef: String?
    /// `pull_request`, `pull_request_target`: the pull request's number.
    public var number: Int?
    /// `pull_request`, `pull_request_target`.
    public var pullRequest: PullRequest?
    /// `merge_group`.
    public var mergeGroup: MergeGroup?
    /// Every event that concerns a repository.
    public var repository: Repository?

    enum CodingKeys: String, CodingKey {
        case before, after, ref, created, deleted, forced, repository, number
        case baseRef = "base_ref", pullRequest = "pull_request", mergeGroup = "merge_group"
    }

    /// Creates a payload; every field defaults to absent.
    public init(
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
