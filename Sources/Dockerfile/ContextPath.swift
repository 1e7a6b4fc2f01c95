/// Paths as the builder resolves them inside a build context: rooted at the context, so `..` cannot
/// leave it.
///
/// Every operation works on UTF-8 bytes, as BuildKit's Go does: a Swift `Character` can join a `/`
/// with the combining mark after it, which would hide a directory boundary from `String` APIs.
enum ContextPath {
    static let separator = UInt8(ascii: "/")

    /// `path` cleaned as Go's `path.Join("/", path)` cleans a source, without the leading `/`: empty
    /// and `.` components go, `..` removes the component before it, and a `..` at the root is
    /// dropped (BuildKit resolves `COPY ../x` to `x` rather than refusing it). "" is the context's root.
    static func clean(_ path: String) -> (path: String, droppedParent: Bool) {
        var components: [ArraySlice<UInt8>] = []
        var droppedParent = false
        for component in Self.components(of: path) {
            switch component {
            case [UInt8(ascii: ".")]: continue
            case [UInt8(ascii: "."), UInt8(ascii: ".")]:
                if components.isEmpty { droppedParent = true } else { components.removeLast() }
            default: components.append(component)
            }
        }
        return (Self.joined(components), droppedParent)
    }

    /// Go's `filepath.Clean` of a relative pattern: like `clean`, but a `..` that climbs out is
    /// kept, as it is in an ignore file (where such a pattern then matches nothing).
    static func cleanKeepingParents(_ path: String) -> String {
        let isRooted = path.utf8.first == separator
        let parent: ArraySlice<UInt8> = [UInt8(ascii: "."), UInt8(ascii: ".")]
        var components: [ArraySlice<UInt8>] = []
        for component in Self.components(of: path) {
            switch component {
            case [UInt8(ascii: ".")]: continue
            case parent:
                if let last = components.last, last != parent {
                    components.removeLast()
                } else if !isRooted {
                    components.append(component)
                }
            default: components.append(component)
            }
        }
        let joined = Self.joined(components)
        return isRooted ? "/" + joined : (joined.isEmpty ? "." : joined)
    }

    /// `path` and each directory above it, shortest first: `a`, `a/b`, `a/b/c.py` for `a/b/c.py`.
    static func prefixes(of path: Substring.UTF8View) -> [Substring.UTF8View] {
        path.indices.filter { path[$0] == separator }.map { path[..<$0] } + [path]
    }

    /// The last component of `path`: what follows its last `/`.
    static func lastComponent(of path: Substring.UTF8View) -> Substring.UTF8View {
        guard let slash = path.lastIndex(of: separator) else { return path }
        return path[path.index(after: slash)...]
    }

    /// The non-empty components of `path`, split at each `/` byte.
    static func components(of path: String) -> [ArraySlice<UInt8>] {
        Array(path.utf8).split(separator: separator)
    }

    /// `components` joined with `/`. Each was cut from valid UTF-8 at an ASCII byte, so it decodes losslessly.
    static func joined(_ components: some Sequence<ArraySlice<UInt8>>) -> String {
        String(decoding: Array(components.joined(separator: [separator])), as: UTF8.self)
    }
}
