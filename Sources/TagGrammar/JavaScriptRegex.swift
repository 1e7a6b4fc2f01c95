import Basics

/// A regular expression written for JavaScript, as metadata-action's patterns are, returning what
/// `String.prototype.match` returns. It runs on ``RegexProgram``, in time proportional to the text,
/// since the pattern is the user's and the text (a tag, a branch) whoever pushes it: backreferences
/// and lookaround, which no such matcher can run, are refused at their column.
package struct JavaScriptRegex: Sendable, Equatable {
    package var source: String
    package var isGlobal: Bool
    private var flags: String
    private let program: RegexProgram

    /// `RegExp(pattern)`: no flags. Checked now, so that a bad pattern stops at parse time.
    package init(pattern: String) throws(TagRuleError) {
        try self.init(source: pattern, flags: "")
    }

    /// metadata-action's match `pattern`: `/body/flags` becomes `RegExp(body, flags)`, anything else `RegExp(pattern)`.
    package init(patternOrLiteral text: String) throws(TagRuleError) {
        guard text.hasPrefix("/"), let close = text.lastIndex(of: "/"), close > text.index(after: text.startIndex) else {
            try self.init(pattern: text)
            return
        }
        var seen = Set<Character>()
        for (position, flag) in text[text.index(after: close)...].enumerated() {
            let offset = text.distance(from: text.startIndex, to: close) + 1 + position
            guard seen.insert(flag).inserted else { throw TagRuleError("the regex flag '\(flag)' is given twice", offset: offset) }
            // `u` (Unicode-aware) and `d` (match indices) change nothing for tags.
            guard "imsgud".contains(flag) else {
                throw TagRuleError("unsupported regex flag '\(flag)'; expected i, m, s or g", offset: offset)
            }
        }
        let body = String(text[text.index(after: text.startIndex)..<close])
        do throws(TagRuleError) {
            try self.init(source: body, flags: String(text[text.index(after: close)...]))
        } catch {
            throw error.shifted(by: 1)
        }
    }

    private init(source: String, flags: String) throws(TagRuleError) {
        var parser = RegexParser(source, dotMatchesLineTerminators: flags.contains("s"))
        self.program = try RegexProgram(
            try parser.parse(), groupCount: parser.captureCount, ignoresCase: flags.contains("i"), multiline: flags.contains("m"))
        self.source = source
        self.isGlobal = flags.contains("g")
        self.flags = flags
    }

    package static func == (lhs: JavaScriptRegex, rhs: JavaScriptRegex) -> Bool {
        lhs.source == rhs.source && lhs.flags == rhs.flags
    }

    /// The number of capture groups.
    package var groupCount: Int { program.groupCount }

    /// `text.match(regex)`: nil for no match; with `g` the whole matches, otherwise the match and its groups
    /// (nil for a group that did not take part).
    ///
    /// - Throws: ``RegexProgram/CutOff`` when the match would take more than ``ConfigurationLimits/matchSteps``.
    package func match(in text: String) throws(RegexProgram.CutOff) -> [String?]? {
        let scalars = Array(text.unicodeScalars)
        var steps = ConfigurationLimits.matchSteps
        func substring(_ start: Int, _ end: Int) -> String? {
            start < 0 || end < start ? nil : String(String.UnicodeScalarView(scalars[start..<end]))
        }
        guard isGlobal else {
            guard let captures = try program.firstMatch(in: scalars, from: 0, steps: &steps) else { return nil }
            return stride(from: 0, to: captures.count, by: 2).map { substring(captures[$0], captures[$0 + 1]) }
        }
        var matches: [String?] = []
        var position = 0
        while position <= scalars.count, let captures = try program.firstMatch(in: scalars, from: position, steps: &steps) {
            matches.append(substring(captures[0], captures[1]))
            // An empty match moves on by one, as JavaScript's does.
            position = captures[1] == captures[0] ? captures[1] + 1 : captures[1]
        }
        return matches.isEmpty ? nil : matches
    }
}
