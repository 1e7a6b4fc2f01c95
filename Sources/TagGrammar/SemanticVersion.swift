import Basics

/// A version as node-semver's strict `valid()` accepts it: `v?MAJOR.MINOR.PATCH[-pre][+build]`, surrounding
/// whitespace allowed. No coercion: `1.2`, `v1` and `1.2.3rc2` are not versions.
package struct SemanticVersion: Equatable {
    /// The text as given (what `{{raw}}` shows).
    package var raw: String
    package var major: Int, minor: Int, patch: Int
    package var prerelease: [String]
    package var build: [String]

    /// `M.m.p[-prerelease]`, build metadata dropped.
    package var version: String {
        "\(major).\(minor).\(patch)" + (prerelease.isEmpty ? "" : "-" + prerelease.joined(separator: "."))
    }

    package var isPrerelease: Bool { !prerelease.isEmpty }

    /// node-semver's limits.
    private static let maximumLength = 256
    private static let maximumSafeInteger = 9_007_199_254_740_991

    package init?(_ text: String) {
        guard text.count <= Self.maximumLength else { return nil }
        var rest = Substring(text.trimmingJavaScriptWhitespace())
        if rest.first == "v" { rest = rest.dropFirst() }
        let (core, buildText) = Self.split(rest, at: "+")
        let (numbers, prereleaseText) = Self.split(core, at: "-")
        let parts = numbers.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var values: [Int] = []
        for part in parts {
            guard Self.isNumericIdentifier(part), let value = Int(part), value <= Self.maximumSafeInteger else { return nil }
            values.append(value)
        }
        raw = text
        (major, minor, patch) = (values[0], values[1], values[2])
        prerelease = prereleaseText.map { $0.split(separator: ".", omittingEmptySubsequences: false).map(String.init) } ?? []
        build = buildText.map { $0.split(separator: ".", omittingEmptySubsequences: false).map(String.init) } ?? []
        guard prerelease.allSatisfy(Self.isPrereleaseIdentifier), build.allSatisfy(Self.isBuildIdentifier) else { return nil }
        if prereleaseText != nil, prerelease.isEmpty { return nil }
        if buildText != nil, build.isEmpty { return nil }
    }

    /// Splits at the first `separator`; the second part is nil when there is none.
    private static func split(_ text: Substring, at separator: Character) -> (Substring, Substring?) {
        guard let index = text.firstIndex(of: separator) else { return (text, nil) }
        return (text[..<index], text[text.index(after: index)...])
    }

    private static func isNumericIdentifier<S: StringProtocol>(_ text: S) -> Bool {
        guard let first = text.first, text.allSatisfy(\.isASCIIDigit) else { return false }
        return first != "0" || text.count == 1
    }

    private static func isPrereleaseIdentifier(_ text: String) -> Bool {
        guard !text.isEmpty, text.allSatisfy(\.isIdentifierCharacter) else { return false }
        return isNumericIdentifier(text) || !text.allSatisfy(\.isASCIIDigit)
    }

    private static func isBuildIdentifier(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy(\.isIdentifierCharacter)
    }
}

extension Character {
    package var isASCIIDigit: Bool { ("0"..."9").contains(self) }
    package var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
    /// `[0-9A-Za-z-]`, what semver identifiers are made of.
    package var isIdentifierCharacter: Bool { isASCIIDigit || isASCIILetter || self == "-" }
}

extension String {
    /// JavaScript's `trim()`: Unicode white space and line terminators.
    package func trimmingJavaScriptWhitespace() -> String {
        var characters = Substring(self)
        while characters.first?.isWhitespace == true { characters.removeFirst() }
        while characters.last?.isWhitespace == true { characters.removeLast() }
        return String(characters)
    }
}
