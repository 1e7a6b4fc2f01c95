import CGit2

/// Compares two trees by walking them together and descending only into subtrees whose ids differ,
/// as `git diff-tree` does. libgit2's `git_diff_tree_to_tree` visits every entry of both trees, which
/// in a 100,000-file monorepo costs more than the whole of `git diff`.
struct TreeWalk {
    /// One side of a change: where the entry is and what it holds.
    struct Side {
        var path: String
        var id: git_oid
        var mode: UInt32

        var isRegularFile: Bool {
            mode == GIT_FILEMODE_BLOB.rawValue || mode == GIT_FILEMODE_BLOB_EXECUTABLE.rawValue
        }
        var isSubmodule: Bool { mode == GIT_FILEMODE_COMMIT.rawValue }
    }

    private struct Entry {
        var name: String
        var id: git_oid
        var mode: UInt32
        var isTree: Bool { mode == GIT_FILEMODE_TREE.rawValue }
    }

    let repository: OpaquePointer
    private(set) var added: [Side] = []
    private(set) var deleted: [Side] = []
    private(set) var modified: [FileChange] = []

    init(repository: OpaquePointer) { self.repository = repository }

    /// Records every difference between `old` and `new` (either may be nil: the empty tree).
    mutating func compare(_ old: OpaquePointer?, _ new: OpaquePointer?, prefix: String = "") throws(GitError) {
        var oldEntries: [String: Entry] = [:]
        for entry in entries(of: old) { oldEntries[entry.name] = entry }
        for entry in entries(of: new) {
            let path = prefix + entry.name
            guard let previous = oldEntries.removeValue(forKey: entry.name) else {
                try add(entry, at: path)
                continue
            }
            var previousID = previous.id
            var id = entry.id
            if previous.mode == entry.mode && git_oid_equal(&previousID, &id) != 0 { continue }
            switch (previous.isTree, entry.isTree) {
            case (true, true):
                let oldTree = try lookupTree(previous.id)
                defer { git_tree_free(oldTree) }
                let newTree = try lookupTree(entry.id)
                defer { git_tree_free(newTree) }
                try compare(oldTree, newTree, prefix: path + "/")
            case (false, false):
                let isSubmodule = previous.mode == GIT_FILEMODE_COMMIT.rawValue || entry.mode == GIT_FILEMODE_COMMIT.rawValue
                let status: FileChange.Status = Self.sameKind(previous.mode, entry.mode) ? .modified : .typeChanged
                modified.append(FileChange(status: status, path: path, isSubmodule: isSubmodule))
            default:
                try delete(previous, at: path)
                try add(entry, at: path)
            }
        }
        for previous in oldEntries.values { try delete(previous, at: prefix + previous.name) }
    }

    private mutating func add(_ entry: Entry, at path: String) throws(GitError) {
        guard entry.isTree else { return added.append(Side(path: path, id: entry.id, mode: entry.mode)) }
        let tree = try lookupTree(entry.id)
        defer { git_tree_free(tree) }
        try compare(nil, tree, prefix: path + "/")
    }

    private mutating func delete(_ entry: Entry, at path: String) throws(GitError) {
        guard entry.isTree else { return deleted.append(Side(path: path, id: entry.id, mode: entry.mode)) }
        let tree = try lookupTree(entry.id)
        defer { git_tree_free(tree) }
        try compare(tree, nil, prefix: path + "/")
    }

    private func entries(of tree: OpaquePointer?) -> [Entry] {
        guard let tree else { return [] }
        let count = git_tree_entrycount(tree)
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        for index in 0..<count {
            guard let entry = git_tree_entry_byindex(tree, index) else { continue }
            entries.append(
                Entry(
                    name: String(cString: git_tree_entry_name(entry)), id: git_tree_entry_id(entry).pointee,
                    mode: git_tree_entry_filemode(entry).rawValue))
        }
        return entries
    }

    private func lookupTree(_ id: git_oid) throws(GitError) -> OpaquePointer {
        var id = id
        var tree: OpaquePointer?
        try check("read tree \(ObjectID(id))", git_tree_lookup(&tree, repository, &id))
        return tree!
    }

    /// Blobs, symlinks and submodules are different kinds: a change between them is a type change.
    private static func sameKind(_ first: UInt32, _ second: UInt32) -> Bool {
        let regular: Set<UInt32> = [GIT_FILEMODE_BLOB.rawValue, GIT_FILEMODE_BLOB_EXECUTABLE.rawValue]
        return first == second || (regular.contains(first) && regular.contains(second))
    }
}
