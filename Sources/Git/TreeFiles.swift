internal import CGit2

/// A file recorded in a tree: where it is, what it holds, and its mode.
package struct TreeFile: Hashable, Sendable {
    /// The path from the repository root.
    package var path: String
    /// The blob (or, for a submodule, the commit) it records.
    package var id: ObjectID
    /// The git file mode, such as 100644, 100755, 120000 or 160000.
    package var mode: UInt32
}

extension Repository {
    /// Every file of a commit under `directory` (a path ending in `/`, or "" for the whole tree),
    /// submodules included; empty when the directory does not exist there.
    package func files(at commit: ObjectID, under directory: String) throws(GitError) -> [TreeFile] {
        let root = try tree(ofCommit: commit)
        defer { git_tree_free(root) }
        let trimmed = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        guard !trimmed.isEmpty else { return try files(in: root, prefix: "") }

        var entry: OpaquePointer?
        guard git_tree_entry_bypath(&entry, root, trimmed) == 0, let entry else { return [] }
        defer { git_tree_entry_free(entry) }
        guard git_tree_entry_filemode(entry) == GIT_FILEMODE_TREE else { return [] }
        var subtree: OpaquePointer?
        try check("read tree \(trimmed) of \(commit.abbreviated)", git_tree_lookup(&subtree, handle, git_tree_entry_id(entry)))
        defer { git_tree_free(subtree) }
        return try files(in: subtree!, prefix: trimmed + "/")
    }

    /// The file at `path` in a commit, or nil when there is none (or it is a directory).
    package func file(at commit: ObjectID, path: String) throws(GitError) -> TreeFile? {
        let root = try tree(ofCommit: commit)
        defer { git_tree_free(root) }
        var entry: OpaquePointer?
        guard git_tree_entry_bypath(&entry, root, path) == 0, let entry else { return nil }
        defer { git_tree_entry_free(entry) }
        let mode = git_tree_entry_filemode(entry).rawValue
        guard mode != GIT_FILEMODE_TREE.rawValue else { return nil }
        return TreeFile(path: path, id: ObjectID(git_tree_entry_id(entry).pointee), mode: mode)
    }

    private func files(in tree: OpaquePointer, prefix: String) throws(GitError) -> [TreeFile] {
        var result: [TreeFile] = []
        for index in 0..<git_tree_entrycount(tree) {
            guard let entry = git_tree_entry_byindex(tree, index) else { continue }
            let path = prefix + String(cString: git_tree_entry_name(entry))
            let mode = git_tree_entry_filemode(entry).rawValue
            guard mode == GIT_FILEMODE_TREE.rawValue else {
                result.append(TreeFile(path: path, id: ObjectID(git_tree_entry_id(entry).pointee), mode: mode))
                continue
            }
            var subtree: OpaquePointer?
            try check("read tree \(path)", git_tree_lookup(&subtree, handle, git_tree_entry_id(entry)))
            defer { git_tree_free(subtree) }
            result += try files(in: subtree!, prefix: path + "/")
        }
        return result
    }
}

extension ObjectID {
    /// The id git gives `contents` stored as a blob: what `git hash-object` prints for that file.
    package init(hashingBlob contents: String) {
        _ = libraryInitialized
        var oid = git_oid()
        var bytes = Array(contents.utf8)
        _ = git_odb_hash(&oid, &bytes, bytes.count, GIT_OBJECT_BLOB)
        self.init(oid)
    }
}
