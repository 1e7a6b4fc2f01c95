import Basics

/// A version as PEP 440 (and @renovate/pep440) reads it: `[v][N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]`
/// with the spelling variants PEP 440 normalises (`alpha`, `-1`, `_dev`, …), case-insensitive.
package struct PEP440Version: Equatable {
    package var epoch: String
    /// Release numbers without leading zeros.
    package var release: [String]
    /// Normalised pre-release: `a`, `b` or `rc` and its number.
    package var preRelease: (label: String, number: String)?
    package var postRelease: String?
    package var developmentRelease: String?
    package var local: [String]

    package static func == (left: PEP440Version, right: PEP440Version) -> Bool { left.normalized == right.normalized }

    /// Whether `{{version}}` etc. are ignored for this version (a pre-, post- or dev-release).
    package var isPreOrPostOrDevelopmentRelease: Bool { preRelease != nil || postRelease != nil || developmentRelease != nil }

    /// pep440's `clean()`: `1.1beta2` → `1.1b2`, `1.2post1` → `1.2.post1`, `v1.0dev4` → `1.0.dev4`.
    package var normalized: String {
        var text = epoch == "0" ? "" : "\(epoch)!"
        text += release.joined(separator: ".")
        if let preRelease { text += preRelease.label + preRelease.number }
        if let postRelease { text += ".post" + postRelease }
        if let developmentRelease { text += ".dev" + developmentRelease }
        if !local.isEmpty { text += "+" + local.joined(separator: ".") }
        return text
    }

    package var major: String { release.first ?? "0" }
    package var minor: String { release.count > 1 ? release[1] : "0" }
    package var patch: String { release.count > 2 ? release[2] : "0" }

    package init?(_ text: String) {
        var scanner = Scanner(characters: Array(text.lowercased()))
        _ = scanner.take("v")
        epoch = "0"
        if let digits = scanner.peekDigits(), scanner.peek(at: digits.count) == "!" {
            epoch = Self.number(digits)
            scanner.index += digits.count + 1
        }
        guard let first = scanner.digits() else { return nil }
        release = [Self.number(first)]
        while scanner.peek() == ".", let digits = scanner.peekDigits(after: 1) {
            scanner.index += 1 + digits.count
            release.append(Self.number(digits))
        }
        preRelease = scanner.labelled(["preview", "alpha", "beta", "pre", "rc", "a", "b", "c"]).map {
            (label: ["alpha": "a", "a": "a", "beta": "b", "b": "b"][$0.label] ?? "rc", number: Self.number($0.number))
        }
        if scanner.peek() == "-", let digits = scanner.peekDigits(after: 1) {
            scanner.index += 1 + digits.count
            postRelease = Self.number(digits)
        } else {
            postRelease = scanner.labelled(["post", "rev", "r"]).map { Self.number($0.number) }
        }
        developmentRelease = scanner.labelled(["dev"]).map { Self.number($0.number) }
        local = []
        if scanner.take("+") {
            guard let parts = scanner.localParts() else { return nil }
            local = parts.map { part in part.allSatisfy(\.isASCIIDigit) ? Self.number(part) : part }
        }
        guard scanner.isAtEnd else { return nil }
    }

    /// Digits as a number would print them: no leading zeros, "0" for none.
    private static func number<S: StringProtocol>(_ digits: S) -> String {
        let trimmed = digits.drop { $0 == "0" }
        return trimmed.isEmpty ? "0" : String(trimmed)
    }

    private struct Scanner {
        package let characters: [Character]
        package var index = 0

        package var isAtEnd: Bool { index >= characters.count }

        package func peek(at offset: Int = 0) -> Character? {
            index + offset < characters.count ? characters[index + offset] : nil
        }

        package mutating func take(_ character: Character) -> Bool {
            guard peek() == character else { return false }
            index += 1
            return true
        }

        package func peekDigits(after offset: Int = 0) -> String? {
            var digits = ""
            while let character = peek(at: offset + digits.count), character.isASCIIDigit { digits.append(character) }
            return digits.isEmpty ? nil : digits
        }

        package mutating func digits() -> String? {
            guard let digits = peekDigits() else { return nil }
            index += digits.count
            return digits
        }

        package func isSeparator(_ character: Character?) -> Bool { character == "-" || character == "_" || character == "." }

        /// `[-_.]?label[-_.]?N?`; labels are tried longest first, which is where the regex's backtracking ends up.
        package mutating func labelled(_ labels: [String]) -> (label: String, number: String)? {
            let start = isSeparator(peek()) ? 1 : 0
            for label in labels where characters.count - index - start >= label.count {
                let candidate = String(characters[(index + start)..<(index + start + label.count)])
                guard candidate == label else { continue }
                index += start + label.count
                if isSeparator(peek()) { index += 1 }
                return (label, digits() ?? "0")
            }
            return nil
        }

        /// `[a-z0-9]+([-_.][a-z0-9]+)*`
        package mutating func localParts() -> [String]? {
            var parts: [String] = []
            repeat {
                var part = ""
                while let character = peek(), character.isASCIIDigit || ("a"..."z").contains(character) {
                    part.append(character)
                    index += 1
                }
                guard !part.isEmpty else { return nil }
                parts.append(part)
            } while isSeparator(peek()) && take(peek() ?? " ")
            return parts
        }
    }
}
