import Basics
import PathPattern

/// For a changed path, the few services (or groups) that can own it, so that 2,000 paths are matched
/// against a handful of candidates each rather than against 200 services.
///
/// A service can only own paths that one of its included patterns matches, and a pattern only
/// matches paths that start with its literal directory (the text before its first wildcard, up to the
/// last `/`): `services/api/**` needs `services/api/`. Services with a pattern that has no such
/// directory (`**/*.go`) are candidates for every path.
struct OwnershipIndex {
    private var servicesByDirectory: [Substring: [Int]] = [:]
    /// Whether a directory of that many bytes is indexed: only prefixes of those lengths are looked up.
    private var isDirectoryLength: [Bool] = []
    private var everywhere: [Int] = []

    /// Indexes each owner by its `paths`, in the order given.
    init(_ paths: [PathPatternList]) {
        for (index, list) in paths.enumerated() {
            let directories = Set(list.patterns.filter { !$0.isNegated }.map(\.literalDirectory))
            if directories.contains("") {
                everywhere.append(index)
            } else {
                for directory in directories {
                    servicesByDirectory[directory, default: []].append(index)
                    let length = directory.utf8.count
                    if length >= isDirectoryLength.count {
                        isDirectoryLength += repeatElement(false, count: length + 1 - isDirectoryLength.count)
                    }
                    isDirectoryLength[length] = true
                }
            }
        }
    }

    /// The indices of the owners that may own `path`, in ascending order.
    func candidates(for path: String) -> [Int] {
        var result = everywhere
        let bytes = path.utf8
        var length = 0
        for byte in bytes {
            length += 1
            guard length < isDirectoryLength.count else { break }
            guard byte == UInt8(ascii: "/"), isDirectoryLength[length] else { continue }
            if let services = servicesByDirectory[path.prefix(upTo: bytes.index(bytes.startIndex, offsetBy: length))] {
                result += services
            }
        }
        guard result.count > 1 else { return result }
        result.sort()
        return result.indices.filter { $0 == 0 || result[$0 - 1] != result[$0] }.map { result[$0] }
    }
}
