internal import CGit2

/// A commit read from a repository. Owns its libgit2 handle.
package final class Commit {
    let handle: OpaquePointer

    init(handle: OpaquePointer) { self.handle = handle }

    deinit { git_commit_free(handle) }

    /// The commit's own id.
    package var id: ObjectID { ObjectID(git_commit_id(handle).pointee) }

    /// The ids of its parents, first parent first, read from the commit itself: available even when
    /// a shallow clone lacks the parent objects.
    package var parentIDs: [ObjectID] {
        (0..<git_commit_parentcount(handle)).compactMap { index in
            git_commit_parent_id(handle, index).map { ObjectID($0.pointee) }
        }
    }

    /// The committer time, in seconds since 1970.
    package var committedAt: Int64 { git_commit_time(handle) }

    /// The first line of the message.
    package var summary: String { git_commit_summary(handle).map { String(cString: $0) } ?? "" }
}
