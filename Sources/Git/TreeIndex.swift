/// The files of one commit, read from its tree once and shared by every reader. A directory is
/// read from git the first time it is asked for, unless a directory above it was read already: then
/// its files are a run of that listing. So services under one directory read it once, and any number
/// of services whose context is the whole repository walk the tree once, while services with narrow
/// directories read only those.
package struct TreeIndex {
    /// The repository read.
    package let repository: Repository
    /// The commit whose tree is read.
    package let commit: ObjectID

    /// Each listing read from git, and the directory it was read from. A listing that a later one
    /// contains is emptied, so no file is held twice.
    private var listings: [(directory: String, files: [TreeFile])] = []
    /// Where the files under each directory of a listing are: the listing, and their run in it. Keyed
    /// by the path's bytes, as git names it: two names Swift deems equal (`é` composed or not) are
    /// two directories to git.
    private var runs: [[UInt8]: (listing: Int, range: Range<Int>)] = [:]

    /// An index of `commit`'s tree that has read nothing yet.
    package init(repository: Repository, commit: ObjectID) {
        self.repository = repository
        self.commit = commit
    }

    /// Every file under `directory` (a path with or without a trailing `/`, or "" for the whole tree),
    /// submodules included, in tree order; empty when the directory does not exist at the commit.
    package mutating func files(under directory: String) throws(GitError) -> ArraySlice<TreeFile> {
        let path = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        if let run = runs[Array(path.utf8)] { return listings[run.listing].files[run.range] }
        // Every directory of a listing has a run, so none under a directory read already means none.
        if listings.contains(where: { Self.contains($0.directory, path) }) { return [] }

        let listing = try repository.listing(at: commit, under: path)
        for index in listings.indices where Self.contains(path, listings[index].directory) {
            listings[index].files = []
        }
        listings.append((path, listing.files))
        for (directory, range) in listing.directories { runs[Array(directory.utf8)] = (listings.count - 1, range) }
        return listings[listings.count - 1].files[...]
    }

    /// Whether `path` is `directory` or under it, byte for byte.
    private static func contains(_ directory: String, _ path: String) -> Bool {
        directory.isEmpty || path.utf8.elementsEqual(directory.utf8) || path.utf8.starts(with: (directory + "/").utf8)
    }
}
