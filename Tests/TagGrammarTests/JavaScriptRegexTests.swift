import Testing

@testable import TagGrammar

/// The regular expressions of `type=match` and `match=`: JavaScript's results, in time proportional
/// to the text.
@Suite("JavaScript regular expressions")
struct JavaScriptRegexTests {
    /// A pattern, as `type=match,pattern=` takes it, a text, and what `text.match(pattern)` gives in Node.
    struct Example: Sendable, CustomTestStringConvertible {
        var pattern: String
        var text: String
        var expected: [String?]?
        var testDescription: String { "\(pattern) on '\(text)'" }
    }

    static let examples: [Example] = [
        Example(pattern: "v(\\d+)\\.(\\d+)", text: "v12.34", expected: ["v12.34", "12", "34"]),
        Example(pattern: "\\d{8}", text: "20200110-RC2", expected: ["20200110"]),
        Example(pattern: "(.*)-RC", text: "20200110-RC2", expected: ["20200110-RC", "20200110"]),
        Example(pattern: "\\d.\\d.\\d-(alpha|beta).\\d+", text: "v2.0.8-beta.67", expected: ["2.0.8-beta.67", "beta"]),
        Example(pattern: "^v(\\d.\\d.\\d)$", text: "v1.1.1", expected: ["v1.1.1", "1.1.1"]),
        Example(pattern: "^v(\\d.\\d.\\d)$", text: "p1/v1.1.1", expected: nil),
        Example(pattern: "/^v(\\d.\\d.\\d)$/i", text: "V1.0.0", expected: ["V1.0.0", "1.0.0"]),
        Example(pattern: "/\\d/g", text: "a1b22", expected: ["1", "2", "2"]),
        Example(pattern: "/x*/g", text: "ab", expected: ["", "", ""]),
        Example(pattern: "a|ab", text: "abc", expected: ["a"]),
        Example(pattern: "(a|ab)(c|bcd)", text: "abcd", expected: ["abcd", "a", "bcd"]),
        Example(pattern: "a(b)?c", text: "ac", expected: ["ac", nil]),
        Example(pattern: "(a+?)(a*)", text: "aaa", expected: ["aaa", "a", "aa"]),
        Example(pattern: "a{2,3}", text: "aaaa", expected: ["aaa"]),
        Example(pattern: "a{2,}?", text: "aaaa", expected: ["aa"]),
        Example(pattern: "x{,2}", text: "x{,2}", expected: ["x{,2}"]),
        Example(pattern: "(?:ab)+(?<rest>.*)", text: "ababz", expected: ["ababz", "z"]),
        Example(pattern: "[^-a-c\\d]+", text: "abc-9xyz", expected: ["xyz"]),
        Example(pattern: "[\\w.-]+$", text: "feature/a.b-c", expected: ["a.b-c"]),
        Example(pattern: "\\bv\\w+", text: "av1 v2", expected: ["v2"]),
        Example(pattern: "/^b$/m", text: "a\nb\nc", expected: ["b"]),
        Example(pattern: "^b$", text: "a\nb", expected: nil),
        Example(pattern: "a.c", text: "a\nc", expected: nil),
        Example(pattern: "/a.c/s", text: "a\nc", expected: ["a\nc"]),
        Example(pattern: "(a*)*b", text: "aaab", expected: ["aaab", "aaa"]),
        Example(pattern: "[]", text: "a", expected: nil),
        Example(pattern: "\\x41\\u0042", text: "AB", expected: ["AB"]),
    ]

    @Test("matches and groups as JavaScript's String.prototype.match", arguments: examples)
    func matches(_ example: Example) throws {
        let regex = try JavaScriptRegex(patternOrLiteral: example.pattern)
        #expect(try regex.match(in: example.text) == example.expected)
    }

    @Test("(a*)*b against a tag of 32 a's ends at once: the matcher cannot backtrack exponentially")
    func noCatastrophicBacktracking() throws {
        let regex = try JavaScriptRegex(pattern: "(a*)*b")
        let started = ContinuousClock.now
        #expect(try regex.match(in: String(repeating: "a", count: 32)) == nil)
        #expect(try regex.match(in: String(repeating: "a", count: 2000)) == nil)
        // Backtracking took 12 s for 32 a's, doubling with each one.
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test("a match past the step budget is cut off, not left to run")
    func cutOff() throws {
        let regex = try JavaScriptRegex(patternOrLiteral: "/a{0,900}b/g")
        #expect(throws: RegexProgram.CutOff.self) { try regex.match(in: String(repeating: "a", count: 4000)) }
    }
}
