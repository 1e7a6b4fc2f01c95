import Git

/// The two commits whose difference decides which services changed, and why they were chosen.
public struct Comparison: Sendable {
    /// The commit to compare from; nil when every service counts as changed without a diff.
    public var base: ObjectID?
    /// The commit to compare to.
    public var head: ObjectID
    /// Why this base was chosen, in words: "merge base of main and the pull request head".
    public var reason: String
    /// Set when every service counts as changed, with the reason ("a tag push builds every service").
    public var allServicesReason: String?
    /// Whether uncommitted changes in the working tree count too.
    public var includesWorkingTree: Bool = false
}

/// How the user asked `gantry changes` to choose what to compare.
public struct ChangeOptions: Sendable {
    /// `--base`: a revision to compare from, overriding the event.
    public var base: String?
    /// `--head`: a revision to compare to, overriding the event.
    public var head: String?
    /// `--working-tree`: add uncommitted changes.
    public var includesWorkingTree: Bool
    /// `--all`: every service counts as changed.
    public var all: Bool
    /// Whether gantry may fetch missing commits from the remote of a shallow clone (`--no-fetch` turns it off).
    public var mayFetch: Bool

    /// Creates options; by default the event decides and fetching is allowed.
    public init(
        base: String? = nil, head: String? = nil, includesWorkingTree: Bool = false, all: Bool = false,
        mayFetch: Bool = true
    ) {
        self.base = base
        self.head = head
        self.includesWorkingTree = includesWorkingTree
        self.all = all
        self.mayFetch = mayFetch
    }
}
