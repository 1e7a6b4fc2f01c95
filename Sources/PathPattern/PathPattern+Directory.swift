extension PathPattern {
    /// The directory that every path this pattern matches lies in: the text before the first
    /// wildcard, up to and including its last `/`; "" when there is none. Runs of `/` collapse, as git
    /// collapses them. `services/api/**` → `services/api/`; `services/api` → `services/`; `*.go` → "".
    package var literalDirectory: Substring {
        let literal = text.prefix { !Self.wildcards.contains($0) }
        guard let slash = literal.lastIndex(of: "/") else { return "" }
        let directory = literal[...slash]
        guard directory.contains("//") else { return directory }
        var collapsed = ""
        for character in directory where !(character == "/" && collapsed.last == "/") { collapsed.append(character) }
        return Substring(collapsed)
    }

    /// Whether the pattern has no wildcard, so that it names one file or directory.
    package var isLiteral: Bool { !text.contains(where: Self.wildcards.contains) }

    private static let wildcards: Set<Character> = ["*", "?", "[", "\\"]
}

extension PathPatternList {
    /// The default build context of a service with these paths: the first included pattern's path
    /// when it has no wildcard and its last component has no extension (it names a directory), else
    /// its literal directory; "." when there is none.
    package var defaultContext: String {
        guard let pattern = patterns.first(where: { !$0.isNegated }) else { return "." }
        let lastComponent = pattern.text.split(separator: "/").last ?? ""
        let namesDirectory = pattern.isLiteral && (pattern.text.hasSuffix("/") || !lastComponent.contains("."))
        let directory = namesDirectory ? Substring(pattern.text) : pattern.literalDirectory
        let trimmed = directory.hasSuffix("/") ? directory.dropLast() : directory
        return trimmed.isEmpty ? "." : String(trimmed)
    }
}
