/// A build context's files, relative to it, in path order, indexed by the directories above them, so
/// that a source naming a literal directory (`COPY services/api/src …`) is matched against the files
/// under it rather than against the whole context. Many services share a repository-root context,
/// and each of their Dockerfiles names a few directories of it.
package final class ContextListing {
    /// The files, in path order.
    package let files: [String]
    /// Every file and every directory above one, to the positions in `files` of the files it names
    /// (the file itself, or those under the directory), ascending. Built on first use.
    private var positions: [Substring: [Int]]?

    /// Indexes `files`, the context's files relative to it, in path order.
    package init(files: [String]) {
        self.files = files
    }

    /// The positions in `files`, ascending, of the files a source whose literal directory is
    /// `directory` may read: that file, or those under that directory; every file for "".
    func positions(under directory: String) -> [Int]? {
        guard !directory.isEmpty else { return nil }
        return index()[Substring(directory)] ?? []
    }

    private func index() -> [Substring: [Int]] {
        if let positions { return positions }
        var built: [Substring: [Int]] = [:]
        for (position, file) in files.enumerated() {
            built[Substring(file), default: []].append(position)
            var end = file.endIndex
            while let slash = file[..<end].lastIndex(of: "/") {
                built[file[..<slash], default: []].append(position)
                end = slash
            }
        }
        positions = built
        return built
    }
}
