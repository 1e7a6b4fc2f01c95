/// A build context's files, relative to it, in byte order, so that a source naming a literal directory
/// (`COPY services/api/src …`) is matched against the files under it, found by binary search, rather
/// than against the whole context. Many services share a repository-root context, and each of their
/// Dockerfiles names a few directories of it.
///
/// Byte order is git's order of a tree's paths, so a listing read from a tree is taken as it is; any
/// other is sorted once. Nothing here grows with a path's depth: a file is found by comparing bytes.
package struct ContextListing: Sendable {
    /// The files, in byte order of their UTF-8.
    package let files: [String]

    /// Lists `files`, the context's files relative to it.
    package init(files: [String]) {
        let isInOrder = zip(files, files.dropFirst()).allSatisfy { Self.precedes($0.utf8, $1.utf8) }
        self.files = isInOrder ? files : files.sorted { Self.precedes($0.utf8, $1.utf8) }
    }

    /// The positions in `files` of those a source whose literal directory is `directory` may read: the
    /// file of that name and the files under a directory of that name; nil (every file) for "".
    func positions(under directory: String) -> [Range<Int>]? {
        guard !directory.isEmpty else { return nil }
        let name = Array(directory.utf8)
        // In byte order, the paths under `name/` run from `name/` to just before `name0` ('0' follows '/').
        let slash = name + [UInt8(ascii: "/")]
        let pastSlash = name + [UInt8(ascii: "0")]
        let file = firstPosition(where: { !Self.precedes($0, name) })..<firstPosition(where: { Self.precedes(name, $0) })
        let subtree = firstPosition(where: { !Self.precedes($0, slash) })..<firstPosition(where: { !Self.precedes($0, pastSlash) })
        return [file, subtree].filter { !$0.isEmpty }
    }

    /// The first position whose file satisfies `isAtOrPast`, which holds from some position on.
    private func firstPosition(where isAtOrPast: (String.UTF8View) -> Bool) -> Int {
        var low = 0
        var high = files.count
        while low < high {
            let middle = (low + high) / 2
            if isAtOrPast(files[middle].utf8) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    private static func precedes(_ left: some Sequence<UInt8>, _ right: some Sequence<UInt8>) -> Bool {
        left.lexicographicallyPrecedes(right)
    }
}
