import Git

/// The two commits whose difference decides which services changed, and why they were chosen.
package struct Comparison: Sendable {
    /// The commit to compare from; nil when every service counts as changed without a diff.
    package var base: ObjectID?
    /// The commit to compare to.
    package var head: ObjectID
    /// Why this base was chosen, in words: "merge base of main and the pull request head".
    package var reason: String
    /// Set when every service counts as changed, with the reason ("a tag push builds every service").
    package var allServicesReason: String?
    /// Whether uncommitted changes in the working tree count too.
    package var includesWorkingTree: Bool = false
}

/// How the user asked `gantry changes` to choose what to compare.
package struct ChangeOptions: Sendable {
    /// `--base`: a revision to compare from, overriding the event.
    package var base: String?
    /// `--head`: a revision to compare to, overriding the event.
    package var head: String?
    /// `--working-tree`: add uncommitted changes.
    package var includesWorkingTree: Bool
    /// `--all`: every service counts as changed.
    package var all: Bool
    /// Whether gantry may fetch missing commits from the remote of a shallow clone (`--no-fetch` turns it off).
    package var mayFetch: Bool

    /// Creates options; by default the event decides and fetching is allowed.
    package init(
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
