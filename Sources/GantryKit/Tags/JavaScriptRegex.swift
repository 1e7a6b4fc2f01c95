import Foundation

/// A regular expression written for JavaScript, run with NSRegularExpression (close enough for tag
/// patterns), returning what `String.prototype.match` returns.
struct JavaScriptRegex: Sendable, Equatable {
    var source: String
    var isGlobal: Bool
    var options: NSRegularExpression.Options

    /// `RegExp(pattern)`: no flags. Checked now, so that a bad pattern stops at parse time.
    init(pattern: String) throws(TagRuleError) {
        try self.init(source: pattern, isGlobal: false, options: [])
    }

    /// metadata-action's match `pattern`: `/body/flags` becomes `RegExp(body, flags)`, anything else `RegExp(pattern)`.
    init(patternOrLiteral text: String) throws(TagRuleError) {
        guard text.hasPrefix("/"), let close = text.lastIndex(of: "/"), close > text.index(after: text.startIndex) else {
            try self.init(pattern: text)
            return
        }
        var isGlobal = false
        var options: NSRegularExpression.Options = []
        var seen = Set<Character>()
        for (position, flag) in text[text.index(after: close)...].enumerated() {
            let offset = text.distance(from: text.startIndex, to: close) + 1 + position
            guard seen.insert(flag).inserted else { throw TagRuleError("the regex flag '\(flag)' is given twice", offset: offset) }
            switch flag {
            case "i": options.insert(.caseInsensitive)
            case "m": options.insert(.anchorsMatchLines)
            case "s": options.insert(.dotMatchesLineSeparators)
            case "g": isGlobal = true
            case "u", "d": break  // Unicode-aware and match indices change nothing for tags.
            default: throw TagRuleError("unsupported regex flag '\(flag)'; expected i, m, s or g", offset: offset)
            }
        }
        let body = String(text[text.index(after: text.startIndex)..<close])
        try self.init(source: body, isGlobal: isGlobal, options: options)
    }

    private init(source: String, isGlobal: Bool, options: NSRegularExpression.Options) throws(TagRuleError) {
        guard (try? NSRegularExpression(pattern: source, options: options)) != nil else {
            throw TagRuleError("'\(source)' is not a valid regular expression")
        }
        self.source = source
        self.isGlobal = isGlobal
        self.options = options
    }

    /// The number of capture groups.
    var groupCount: Int { (try? NSRegularExpression(pattern: source, options: options))?.numberOfCaptureGroups ?? 0 }

    /// `text.match(regex)`: nil for no match; with `g` the whole matches, otherwise the match and its groups
    /// (nil for a group that did not take part).
    func match(in text: String) -> [String?]? {
        guard let expression = try? NSRegularExpression(pattern: source, options: options) else { return nil }
        let range = NSRange(text.startIndex..., in: text)
        func substring(_ range: NSRange) -> String? {
            guard range.location != NSNotFound, let bounds = Range(range, in: text) else { return nil }
            return String(text[bounds])
        }
        if isGlobal {
            let matches = expression.matches(in: text, range: range).map { substring($0.range) }
            return matches.isEmpty ? nil : matches
        }
        guard let match = expression.firstMatch(in: text, range: range) else { return nil }
        return (0..<match.numberOfRanges).map { substring(match.range(at: $0)) }
    }
}
