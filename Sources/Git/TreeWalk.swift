internal import CGit2

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

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

    /// Two trees of the same path whose ids differ, left for later so that several walks can share them.
    struct Subtrees: Sendable {
        var old: git_oid
        var new: git_oid
        var path: String
    }

    let repository: OpaquePointer
    /// When set, differing subtrees are collected here instead of walked.
    var deferred: [Subtrees]?
    private(set) var added: [Side] = []
    private(set) var deleted: [Side] = []
    private(set) var modified: [FileChange] = []

    init(repository: OpaquePointer) { self.repository = repository }

    /// Records every difference between `old` and `new` (either may be nil: the empty tree).
    ///
    /// Both trees list their entries in git's order, so one merge pass pairs them; names become
    /// Swift strings only for entries that differ. Subtrees are walked depth first, in the order a
    /// recursion would walk them, but on a stack of its own: a pushed tree can nest as deep as its
    /// author likes, and a thread's stack would end first.
    mutating func compare(_ old: OpaquePointer?, _ new: OpaquePointer?, prefix: String = "") throws(GitError) {
        var levels = [Level(old: old, new: new, prefix: prefix, ownsTrees: false)]
        defer { for level in levels { level.free() } }
        while let top = levels.indices.last {
            let level = levels[top]
            let oldCount = level.old.map(git_tree_entrycount) ?? 0
            let newCount = level.new.map(git_tree_entrycount) ?? 0
            guard level.oldIndex < oldCount || level.newIndex < newCount else {
                levels.removeLast().free()
                continue
            }
            let oldEntry = level.oldIndex < oldCount ? git_tree_entry_byindex(level.old, level.oldIndex) : nil
            let newEntry = level.newIndex < newCount ? git_tree_entry_byindex(level.new, level.newIndex) : nil
            let order: Int32 =
                switch (oldEntry, newEntry) {
                case (let oldEntry?, let newEntry?): Self.treeOrder(oldEntry, newEntry)
                case (.some, nil): -1
                default: 1
                }
            let below: Level?
            if order < 0 {
                levels[top].oldIndex += 1
                below = try record(oldEntry!, prefix: level.prefix, isAdded: false)
            } else if order > 0 {
                levels[top].newIndex += 1
                below = try record(newEntry!, prefix: level.prefix, isAdded: true)
            } else {
                levels[top].oldIndex += 1
                levels[top].newIndex += 1
                below = try compareSameName(oldEntry!, newEntry!, prefix: level.prefix)
            }
            guard let below else { continue }
            guard levels.count < GitError.maximumTreeDepth else {
                below.free()
                throw GitError.treeTooDeep(at: below.prefix, operation: "compare trees")
            }
            levels.append(below)
        }
    }

    /// A pair of trees being walked, and how far.
    private struct Level {
        var old: OpaquePointer?
        var new: OpaquePointer?
        var oldIndex = 0
        var newIndex = 0
        /// The trees' path with a trailing `/`, or "" at the root.
        let prefix: String
        /// Whether the walk looked the trees up, and so frees them.
        let ownsTrees: Bool

        init(old: OpaquePointer?, new: OpaquePointer?, prefix: String, ownsTrees: Bool) {
            self.old = old
            self.new = new
            self.prefix = prefix
            self.ownsTrees = ownsTrees
        }

        func free() {
            guard ownsTrees else { return }
            git_tree_free(old)
            git_tree_free(new)
        }
    }

    /// Records a change between two entries of one name; for two trees, the level to walk them, unless
    /// they are left for later.
    private mutating func compareSameName(_ old: OpaquePointer, _ new: OpaquePointer, prefix: String) throws(GitError) -> Level? {
        let oldMode = git_tree_entry_filemode(old).rawValue
        let newMode = git_tree_entry_filemode(new).rawValue
        if oldMode == newMode && git_oid_equal(git_tree_entry_id(old), git_tree_entry_id(new)) != 0 { return nil }
        let path = prefix + String(cString: git_tree_entry_name(new))
        if oldMode == GIT_FILEMODE_TREE.rawValue {
            // Tree order gives a tree and a file of the same name different positions: both are trees.
            if deferred != nil {
                deferred!.append(Subtrees(old: git_tree_entry_id(old).pointee, new: git_tree_entry_id(new).pointee, path: path))
                return nil
            }
            let oldTree = try lookupTree(git_tree_entry_id(old).pointee)
            let newTree: OpaquePointer
            do {
                newTree = try lookupTree(git_tree_entry_id(new).pointee)
            } catch {
                git_tree_free(oldTree)
                throw error
            }
            return Level(old: oldTree, new: newTree, prefix: path + "/", ownsTrees: true)
        }
        let isSubmodule = oldMode == GIT_FILEMODE_COMMIT.rawValue || newMode == GIT_FILEMODE_COMMIT.rawValue
        let status: FileChange.Status = Self.sameKind(oldMode, newMode) ? .modified : .typeChanged
        modified.append(FileChange(status: status, path: path, isSubmodule: isSubmodule))
        return nil
    }

    /// Records an entry present on one side only; for a tree, the level to walk it file by file.
    private mutating func record(_ entry: OpaquePointer, prefix: String, isAdded: Bool) throws(GitError) -> Level? {
        let side = Self.side(of: entry, prefix: prefix)
        guard side.mode == GIT_FILEMODE_TREE.rawValue else {
            if isAdded { added.append(side) } else { deleted.append(side) }
            return nil
        }
        let tree = try lookupTree(side.id)
        return Level(old: isAdded ? nil : tree, new: isAdded ? tree : nil, prefix: side.path + "/", ownsTrees: true)
    }

    private static func side(of entry: OpaquePointer, prefix: String) -> Side {
        Side(
            path: prefix + String(cString: git_tree_entry_name(entry)), id: git_tree_entry_id(entry).pointee,
            mode: git_tree_entry_filemode(entry).rawValue)
    }

    /// Walks a deferred pair of subtrees.
    mutating func compare(_ subtrees: Subtrees) throws(GitError) {
        let oldTree = try lookupTree(subtrees.old)
        defer { git_tree_free(oldTree) }
        let newTree = try lookupTree(subtrees.new)
        defer { git_tree_free(newTree) }
        try compare(oldTree, newTree, prefix: subtrees.path + "/")
    }

    /// What a walk found, to hand from one thread to another.
    struct Findings: Sendable {
        var added: [Side]
        var deleted: [Side]
        var modified: [FileChange]
    }

    var findings: Findings { Findings(added: added, deleted: deleted, modified: modified) }

    /// Adds another walk's findings to this one's.
    mutating func absorb(_ other: Findings) {
        added += other.added
        deleted += other.deleted
        modified += other.modified
    }

    private func lookupTree(_ id: git_oid) throws(GitError) -> OpaquePointer {
        var id = id
        var tree: OpaquePointer?
        try check("read tree \(ObjectID(id))", git_tree_lookup(&tree, repository, &id))
        return tree!
    }

    /// git's tree order: names compared bytewise, a tree's name as if it ended in '/'.
    private static func treeOrder(_ first: OpaquePointer, _ second: OpaquePointer) -> Int32 {
        let firstName = git_tree_entry_name(first)!
        let secondName = git_tree_entry_name(second)!
        let firstLength = strlen(firstName)
        let secondLength = strlen(secondName)
        let common = min(firstLength, secondLength)
        let order = memcmp(firstName, secondName, common)
        if order != 0 { return order }
        let terminator = { (entry: OpaquePointer, name: UnsafePointer<CChar>, length: Int) -> Int32 in
            if length > common { return Int32(UInt8(bitPattern: name[common])) }
            return git_tree_entry_filemode(entry) == GIT_FILEMODE_TREE ? Int32(UInt8(ascii: "/")) : 0
        }
        return terminator(first, firstName, firstLength) - terminator(second, secondName, secondLength)
    }

    /// Blobs, symlinks and submodules are different kinds: a change between them is a type change.
    private static func sameKind(_ first: UInt32, _ second: UInt32) -> Bool {
        let regular = [GIT_FILEMODE_BLOB.rawValue, GIT_FILEMODE_BLOB_EXECUTABLE.rawValue]
        return first == second || (regular.contains(first) && regular.contains(second))
    }
}
