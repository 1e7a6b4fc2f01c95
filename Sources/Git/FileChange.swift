/// One entry of a diff: a file (or submodule) added, deleted, modified, renamed or copied.
package struct FileChange: Hashable, Sendable {
    /// What happened to the file.
    package enum Status: String, Sendable {
        case added, deleted, modified, renamed, copied, typeChanged = "type-changed", untracked
    }

    /// What happened to the file.
    package var status: Status
    /// The path after the change; for a deletion, the path that was deleted.
    package var path: String
    /// The path before a rename or copy; nil otherwise.
    package var previousPath: String?
    /// Whether the entry is a submodule whose recorded commit changed.
    package var isSubmodule: Bool

    /// Creates a change.
    package init(status: Status, path: String, previousPath: String? = nil, isSubmodule: Bool = false) {
        self.status = status
        self.path = path
        self.previousPath = previousPath
        self.isSubmodule = isSubmodule
    }

    /// Every path the change touches: both sides of a rename, one path otherwise.
    package var paths: [String] {
        guard let previousPath, previousPath != path else { return [path] }
        return [previousPath, path]
    }
}
