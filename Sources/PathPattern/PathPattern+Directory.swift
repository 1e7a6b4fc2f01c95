extension PathPattern {
    /// The directory that every path this pattern matches lies in: the text before the first
    /// wildcard, up to and including its last `/`; "" when there is none. Runs of `/` collapse, as git
    /// collapses them. `services/api/**` → `services/api/`; `services/api` → `services/`; `*.go` → "".
    ///
    /// Read as UTF-8 bytes, as the matcher reads the pattern (a wildcard is one ASCII byte, never part
    /// of another character's encoding), and cheaply: a configuration asks it of every service.
    package var literalDirectory: Substring {
        let bytes = text.utf8
        let literalEnd = bytes.firstIndex(where: Self.isWildcard) ?? bytes.endIndex
        guard let slash = bytes[..<literalEnd].lastIndex(of: Self.slash) else { return "" }
        let directory = text[...slash]
        guard zip(directory.utf8, directory.utf8.dropFirst()).contains(where: { $0 == Self.slash && $1 == Self.slash }) else {
            return directory
        }
        var collapsed = ""
        for character in directory where !(character == "/" && collapsed.last == "/") { collapsed.append(character) }
        return Substring(collapsed)
    }

    /// Whether the pattern has no wildcard, so that it names one file or directory.
    package var isLiteral: Bool { !text.utf8.contains(where: Self.isWildcard) }

    private static let slash = UInt8(ascii: "/")

    private static func isWildcard(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "*") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "\\")
    }
}

extension PathPatternList {
    /// The default build context of a service with these paths: the first included pattern's path
    /// when it has no wildcard and its last component has no extension (it names a directory), else
    /// its literal directory; "." when there is none.
    package var defaultContext: String {
        guard let pattern = patterns.first(where: { !$0.isNegated }) else { return "." }
        let bytes = pattern.text.utf8
        let lastComponent = bytes.reversed().drop { $0 == UInt8(ascii: "/") }.prefix { $0 != UInt8(ascii: "/") }
        let namesDirectory = pattern.isLiteral && (bytes.last == UInt8(ascii: "/") || !lastComponent.contains(UInt8(ascii: ".")))
        let directory = namesDirectory ? Substring(pattern.text) : pattern.literalDirectory
        let trimmed = directory.utf8.last == UInt8(ascii: "/") ? directory.dropLast() : directory
        return trimmed.isEmpty ? "." : String(trimmed)
    }
}
