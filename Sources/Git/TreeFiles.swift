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

/// The files of a commit under a directory, and the run of them under each directory.
package struct Listing {
    /// The files, in tree order.
    package var files: [TreeFile] = []
    /// Each directory's path (without a trailing `/`) and the run of its files in `files`: a list,
    /// not a dictionary keyed by `String`, which would take two names git keeps apart (`é`
    /// composed and decomposed) for one.
    package var directories: [(path: String, files: Range<Int>)] = []
}

extension Repository {
    /// Every file of a commit under `directory` (a path ending in `/`, or "" for the whole tree),
    /// submodules included; empty when the directory does not exist there.
    package func files(at commit: ObjectID, under directory: String) throws(GitError) -> [TreeFile] {
        try listing(at: commit, under: directory).files
    }

    /// Every file of a commit under `directory`, as ``files(at:under:)`` lists them, and the run of
    /// them under each directory (its path without a trailing `/`; `directory` itself included):
    /// the walk is depth first, so a directory's files are contiguous.
    package func listing(at commit: ObjectID, under directory: String) throws(GitError) -> Listing {
        let root = try tree(ofCommit: commit)
        defer { git_tree_free(root) }
        let trimmed = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        var listing = Listing()
        guard !trimmed.isEmpty else {
            try walk(root, path: "", into: &listing)
            return listing
        }

        var entry: OpaquePointer?
        guard git_tree_entry_bypath(&entry, root, trimmed) == 0, let entry else { return listing }
        defer { git_tree_entry_free(entry) }
        guard git_tree_entry_filemode(entry) == GIT_FILEMODE_TREE else { return listing }
        var subtree: OpaquePointer?
        try check("read tree \(trimmed) of \(commit.abbreviated)", git_tree_lookup(&subtree, handle, git_tree_entry_id(entry)))
        defer { git_tree_free(subtree) }
        try walk(subtree!, path: trimmed, into: &listing)
        return listing
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

    /// Appends the files of `tree`, the directory at `path`, and records the run of every directory.
    /// Depth first, as a recursion would go, on a stack of its own (see `GitError.maximumTreeDepth`).
    private func walk(_ tree: OpaquePointer, path: String, into listing: inout Listing) throws(GitError) {
        var levels = [(tree: tree, path: path, next: 0, start: listing.files.count)]
        defer { for level in levels.dropFirst() { git_tree_free(level.tree) } }
        while let top = levels.indices.last {
            let level = levels[top]
            guard level.next < git_tree_entrycount(level.tree) else {
                listing.directories.append((level.path, level.start..<listing.files.count))
                if top > 0 { git_tree_free(level.tree) }
                levels.removeLast()
                continue
            }
            levels[top].next += 1
            guard let entry = git_tree_entry_byindex(level.tree, level.next) else { continue }
            let entryPath = (level.path.isEmpty ? "" : level.path + "/") + String(cString: git_tree_entry_name(entry))
            let mode = git_tree_entry_filemode(entry).rawValue
            guard mode == GIT_FILEMODE_TREE.rawValue else {
                listing.files.append(TreeFile(path: entryPath, id: ObjectID(git_tree_entry_id(entry).pointee), mode: mode))
                continue
            }
            guard levels.count < GitError.maximumTreeDepth else {
                throw GitError.treeTooDeep(at: entryPath, operation: "list the files of \(path.isEmpty ? "the tree" : path)")
            }
            var subtree: OpaquePointer?
            try check("read tree \(entryPath)", git_tree_lookup(&subtree, handle, git_tree_entry_id(entry)))
            levels.append((subtree!, entryPath, 0, listing.files.count))
        }
    }
}

extension ObjectID {
    /// The id git gives `contents` stored as a blob: what `git hash-object` prints for that file.
    package init(hashingBlob contents: String) {
        self.init(hashingBlob: Array(contents.utf8))
    }

    /// The id git gives `bytes` stored as a blob.
    package init(hashingBlob bytes: [UInt8]) {
        _ = libraryInitialized
        var oid = git_oid()
        _ = git_odb_hash(&oid, bytes, bytes.count, GIT_OBJECT_BLOB)
        self.init(oid)
    }
}
