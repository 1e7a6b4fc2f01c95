internal import CGit2

/// An open Git repository. Owns its libgit2 handle and frees it on deinit.
///
/// Not thread-safe: libgit2 repository handles must not be shared between threads without locking,
/// so use one `Repository` per task.
package final class Repository {
    let handle: OpaquePointer

    /// Opens the repository that contains `path`, searching parent directories as `git` does.
    package init(discoveringFrom path: String) throws(GitError) {
        _ = libraryInitialized
        var handle: OpaquePointer?
        try check("open the repository containing \(path)", git_repository_open_ext(&handle, path, 0, nil))
        self.handle = handle!
    }

    deinit { git_repository_free(handle) }

    /// The root of the working tree, without a trailing slash; nil for a bare repository.
    package var workingDirectory: String? {
        guard let path = git_repository_workdir(handle) else { return nil }
        let text = String(cString: path)
        return text.hasSuffix("/") && text.count > 1 ? String(text.dropLast()) : text
    }

    /// Whether the repository is a shallow clone, whose history stops at a boundary.
    package var isShallow: Bool { git_repository_is_shallow(handle) == 1 }

    /// Whether the object database holds this object.
    package func contains(_ id: ObjectID) -> Bool {
        var odb: OpaquePointer?
        guard git_repository_odb(&odb, handle) == 0, let odb else { return false }
        defer { git_odb_free(odb) }
        var raw = id.raw
        return git_odb_exists(odb, &raw) == 1
    }

    /// Looks up a commit by its id.
    package func commit(_ id: ObjectID) throws(GitError) -> Commit {
        var raw = id.raw
        var commit: OpaquePointer?
        try check("read commit \(id)", git_commit_lookup(&commit, handle, &raw))
        return Commit(handle: commit!)
    }

    /// Resolves a revision (`HEAD`, a branch, a tag, `main~2`, an abbreviated or full sha) to a commit id.
    package func resolveCommit(_ revision: String) throws(GitError) -> ObjectID {
        var object: OpaquePointer?
        try check("resolve the revision '\(revision)'", git_revparse_single(&object, handle, revision))
        defer { git_object_free(object) }
        var peeled: OpaquePointer?
        try check("resolve '\(revision)' to a commit", git_object_peel(&peeled, object, GIT_OBJECT_COMMIT))
        defer { git_object_free(peeled) }
        return ObjectID(git_object_id(peeled).pointee)
    }

    /// The id a direct reference such as `refs/remotes/origin/main` points at, or nil when it does not exist.
    package func referenceTarget(_ name: String) -> ObjectID? {
        var raw = git_oid()
        guard git_reference_name_to_id(&raw, handle, name) == 0 else { return nil }
        return ObjectID(raw)
    }

    /// The name a symbolic reference such as `refs/remotes/origin/HEAD` points at, or nil.
    package func symbolicTarget(of name: String) -> String? {
        var reference: OpaquePointer?
        guard git_reference_lookup(&reference, handle, name) == 0 else { return nil }
        defer { git_reference_free(reference) }
        guard let target = git_reference_symbolic_target(reference) else { return nil }
        return String(cString: target)
    }

    /// The name of the branch HEAD is on (`main`), or nil when HEAD is detached or unborn.
    package var currentBranch: String? {
        guard let target = symbolicTarget(of: "HEAD"), target.hasPrefix("refs/heads/") else { return nil }
        guard referenceTarget(target) != nil else { return nil }
        return String(target.dropFirst("refs/heads/".count))
    }

    /// The names of the configured remotes.
    package var remoteNames: [String] {
        var list = git_strarray()
        guard git_remote_list(&list, handle) == 0 else { return [] }
        defer { git_strarray_dispose(&list) }
        return (0..<list.count).compactMap { list.strings[$0].map { String(cString: $0) } }
    }

    /// The best common ancestor of two commits, or nil when their histories do not meet.
    ///
    /// In a shallow clone libgit2 stops at missing parents with an error rather than a wrong answer.
    package func mergeBase(of first: ObjectID, and second: ObjectID) throws(GitError) -> ObjectID? {
        var result = git_oid()
        var one = first.raw
        var two = second.raw
        let code = git_merge_base(&result, handle, &one, &two)
        if code == GIT_ENOTFOUND.rawValue && git_error_last()?.pointee.klass == Int32(GIT_ERROR_MERGE.rawValue) {
            return nil
        }
        try check("find the merge base of \(first.abbreviated) and \(second.abbreviated)", code)
        return ObjectID(result)
    }

    func tree(ofCommit id: ObjectID) throws(GitError) -> OpaquePointer {
        let commit = try commit(id)
        var tree: OpaquePointer?
        try check("read the tree of commit \(id)", git_commit_tree(&tree, commit.handle))
        return tree!
    }
}
