internal import CGit2

extension Repository {
    /// The changes from one commit's tree to another's, with renames detected as `git diff -M` does,
    /// in path order.
    ///
    /// - Parameters:
    ///   - base: The commit to compare from; nil compares from the empty tree (every file added).
    ///   - head: The commit to compare to.
    package func changes(from base: ObjectID?, to head: ObjectID) throws(GitError) -> [FileChange] {
        let newTree = try tree(ofCommit: head)
        defer { git_tree_free(newTree) }
        let oldTree = try base.map { id throws(GitError) in try tree(ofCommit: id) }
        defer { git_tree_free(oldTree) }

        let walk = try walkInParallel(oldTree, newTree)
        let changes = walk.modified + RenameDetection(repository: handle).changes(deleted: walk.deleted, added: walk.added)
        return changes.sorted { $0.path < $1.path }
    }

    /// Walks the top levels here until there are enough differing subtrees to share, then walks
    /// those on every core, each worker with its own repository handle as libgit2 requires.
    private func walkInParallel(_ oldTree: OpaquePointer?, _ newTree: OpaquePointer) throws(GitError) -> TreeWalk {
        var walk = TreeWalk(repository: handle)
        walk.deferred = []
        try walk.compare(oldTree, newTree)
        var frontier = walk.deferred!
        while !frontier.isEmpty && frontier.count < 16 {
            walk.deferred = []
            for subtrees in frontier { try walk.compare(subtrees) }
            frontier = walk.deferred!
        }
        walk.deferred = nil
        guard !frontier.isEmpty else { return walk }

        let path = String(cString: git_repository_path(handle))
        let shared = frontier
        let walks = onEveryCore(upTo: shared.count) { worker, workers -> Result<TreeWalk.Findings, GitError> in
            Result { () throws(GitError) in
                let repository = try Repository(discoveringFrom: path)
                var walk = TreeWalk(repository: repository.handle)
                for index in stride(from: worker, to: shared.count, by: workers) { try walk.compare(shared[index]) }
                return walk.findings
            }
        }
        for result in walks { walk.absorb(try result.get()) }
        return walk
    }

    /// The differences between a commit's tree and the files in the working tree, untracked files
    /// included (ignored files are not). The files themselves are compared, not the index: a change
    /// committed and then undone in the working tree is no change.
    package func workingTreeChanges(from base: ObjectID) throws(GitError) -> [FileChange] {
        let oldTree = try tree(ofCommit: base)
        defer { git_tree_free(oldTree) }

        var options = diffOptions()
        options.flags |= GIT_DIFF_INCLUDE_UNTRACKED.rawValue | GIT_DIFF_RECURSE_UNTRACKED_DIRS.rawValue
        var diff: OpaquePointer?
        try check(
            "diff \(base.abbreviated) to the working tree",
            git_diff_tree_to_workdir(&diff, handle, oldTree, &options))
        defer { git_diff_free(diff) }
        return try fileChanges(in: diff!)
    }

    private func diffOptions() -> git_diff_options {
        var options = git_diff_options()
        git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION))
        // Which files changed is all gantry needs: never load blobs to classify them as binary.
        options.flags = GIT_DIFF_SKIP_BINARY_CHECK.rawValue | GIT_DIFF_INCLUDE_TYPECHANGE.rawValue
        return options
    }

    private func fileChanges(in diff: OpaquePointer) throws(GitError) -> [FileChange] {
        var find = git_diff_find_options()
        git_diff_find_options_init(&find, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION))
        find.flags = GIT_DIFF_FIND_RENAMES.rawValue | GIT_DIFF_FIND_FOR_UNTRACKED.rawValue
        // git's own default for diff.renameLimit.
        find.rename_limit = 1000
        try check("detect renames", git_diff_find_similar(diff, &find))

        let count = git_diff_num_deltas(diff)
        var changes: [FileChange] = []
        changes.reserveCapacity(count)
        for index in 0..<count {
            guard let delta = git_diff_get_delta(diff, index)?.pointee else { continue }
            guard let status = FileChange.Status(delta.status) else { continue }
            let oldPath = delta.old_file.path.map { String(cString: $0) }
            let newPath = delta.new_file.path.map { String(cString: $0) }
            let isSubmodule =
                delta.old_file.mode == UInt16(GIT_FILEMODE_COMMIT.rawValue)
                || delta.new_file.mode == UInt16(GIT_FILEMODE_COMMIT.rawValue)
            let path = (status == .deleted ? oldPath : newPath) ?? oldPath ?? ""
            let previous = (status == .renamed || status == .copied) ? oldPath : nil
            changes.append(FileChange(status: status, path: path, previousPath: previous, isSubmodule: isSubmodule))
        }
        return changes
    }
}

extension FileChange.Status {
    init?(_ delta: git_delta_t) {
        switch delta {
        case GIT_DELTA_ADDED: self = .added
        case GIT_DELTA_DELETED: self = .deleted
        case GIT_DELTA_MODIFIED: self = .modified
        case GIT_DELTA_RENAMED: self = .renamed
        case GIT_DELTA_COPIED: self = .copied
        case GIT_DELTA_TYPECHANGE: self = .typeChanged
        case GIT_DELTA_UNTRACKED: self = .untracked
        case GIT_DELTA_CONFLICTED: self = .modified
        default: return nil  // unmodified, ignored, unreadable: not a change
        }
    }
}
