/// Paths as the builder resolves them inside a build context: rooted at the context, so `..` cannot
/// leave it.
enum ContextPath {
    /// `path` cleaned as Go's `path.Join("/", path)` cleans a source, without the leading `/`: empty
    /// and `.` components go, `..` removes the component before it, and a `..` at the root is
    /// dropped (BuildKit resolves `COPY ../x` to `x` rather than refusing it). "" is the context's root.
    static func clean(_ path: String) -> (path: String, droppedParent: Bool) {
        var components: [Substring] = []
        var droppedParent = false
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..":
                if components.isEmpty { droppedParent = true } else { components.removeLast() }
            default: components.append(component)
            }
        }
        return (components.joined(separator: "/"), droppedParent)
    }

    /// Go's `filepath.Clean` of a relative pattern: like `clean`, but a `..` that climbs out is
    /// kept, as it is in an ignore file (where such a pattern then matches nothing).
    static func cleanKeepingParents(_ path: String) -> String {
        let isRooted = path.hasPrefix("/")
        var components: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..":
                if let last = components.last, last != ".." {
                    components.removeLast()
                } else if !isRooted {
                    components.append(component)
                }
            default: components.append(component)
            }
        }
        let joined = components.joined(separator: "/")
        return isRooted ? "/" + joined : (joined.isEmpty ? "." : joined)
    }

    /// `path` and each directory above it, shortest first: `a`, `a/b`, `a/b/c.py` for `a/b/c.py`.
    static func prefixes(of path: String) -> [Substring] {
        var result: [Substring] = []
        var index = path.startIndex
        while let slash = path[index...].firstIndex(of: "/") {
            result.append(path[..<slash])
            index = path.index(after: slash)
        }
        result.append(path[...])
        return result
    }
}
