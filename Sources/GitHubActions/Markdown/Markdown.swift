import Basics

/// Escaping of text gantry does not control (branch, file and service names, server responses) for
/// GitHub-flavoured markdown, as in the job step summary.
///
/// `text(_:)` escapes with character references (`&#42;`, `&lt;`), not backslashes. A backslash
/// escape works only where markdown is parsed, and GitHub reads the `<summary>` of a `<details>` as
/// raw HTML, where `\*` would show its backslash; a character reference is literal text to the
/// markdown parser (CommonMark: "entity and numeric character references are treated as literal
/// text, not markdown syntax") and to the browser alike, so one escaped string works in both.
///
/// GitHub links some text after parsing, in the rendered HTML, where every reference is already
/// decoded: `@user` mentions, `#123` and `GH-123` references, e-mail addresses. There a zero-width
/// space (U+200B) is inserted, which breaks the pattern and stays invisible.
package enum Markdown {
    /// Inline text that shows `raw` literally wherever inline markdown goes: paragraphs, list items,
    /// headings, table cells, and the summary of a `<details>` (which GitHub reads as HTML).
    ///
    /// - Markdown syntax characters (`` \ ` * _ [ ] | ~ # $ ``) become numeric character references
    ///   everywhere; `<`, `>` and `&` become `&lt;`, `&gt;` and `&amp;`, so no tag or entity survives.
    /// - Characters that mean something only at the start of a line (`- + = . ) :`, a number before
    ///   `.` or `)`, indentation) are escaped at the start of the result, the only place the result
    ///   can begin a line: it has no line breaks, because line feeds, carriage returns and tabs become
    ///   spaces. Other control and bidirectional-override characters become visible escapes
    ///   (`\u{1b}`) instead, so that they can neither be hidden nor reorder what the reader sees.
    /// - Links are broken: the `:` of `://` and the `.` of `www.` become references (GFM links
    ///   those when parsing), and a zero-width space follows every `@` and the `#` or `GH-` before a
    ///   digit (GitHub links those after parsing), so nobody is mentioned and nothing is linked.
    ///
    /// The result is safe at the start of a line, and the concatenation of results is as safe as
    /// its parts.
    package static func text(_ raw: String) -> String {
        let scalars = visibleScalars(raw)
        var escaped = String.UnicodeScalarView()
        escaped.reserveCapacity(scalars.count + scalars.count / 4 + 8)
        let lineStartMarker = lineStartMarkerIndex(scalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            if index == lineStartMarker {
                appendReference(scalar, to: &escaped)
            } else {
                switch scalar {
                case "&": escaped.append(contentsOf: "&amp;".unicodeScalars)
                case "<": escaped.append(contentsOf: "&lt;".unicodeScalars)
                case ">": escaped.append(contentsOf: "&gt;".unicodeScalars)
                case "#":
                    appendReference(scalar, to: &escaped)
                    if let next, isASCIIDigit(next) { escaped.append(zeroWidthSpace) }
                case "@":
                    escaped.append(scalar)
                    escaped.append(zeroWidthSpace)
                case ":" where follows(scalars, at: index + 1, with: "//"):
                    appendReference(scalar, to: &escaped)
                case "." where index >= 3 && matchesIgnoringCase(scalars, from: index - 3, "www"):
                    appendReference(scalar, to: &escaped)
                case "-"
                where index >= 2 && matchesIgnoringCase(scalars, from: index - 2, "gh")
                    && next.map(isASCIIDigit) == true:
                    escaped.append(scalar)
                    escaped.append(zeroWidthSpace)
                case _ where alwaysEscaped.contains(scalar):
                    appendReference(scalar, to: &escaped)
                default:
                    escaped.append(scalar)
                }
            }
            index += 1
        }
        return String(escaped)
    }

    /// An inline code span showing `raw` verbatim, whatever it contains.
    ///
    /// The fence is one backtick longer than the longest run of backticks in `raw`. The content is
    /// padded with a space at each end when it starts or ends with a backtick, which would otherwise
    /// merge with the fence, or when it starts and ends with a space, one of which CommonMark would
    /// strip from each end (it strips one space from each end of padded content again). Line
    /// feeds, carriage returns and tabs become spaces, because a code span cannot hold a line break;
    /// other control characters become visible escapes, as in ``text(_:)``. Nothing else needs
    /// escaping: GitHub neither decodes references nor links anything inside code.
    ///
    /// In a table cell, a `|` would still end the cell, code span or not; ``MarkdownDocument``'s
    /// `table` escapes it as `\|` there, which GFM undoes before the cell is parsed. Code spans do not
    /// render in a `<details>` summary, which GitHub reads as HTML: use ``text(_:)`` there.
    package static func code(_ raw: String) -> String {
        let content = String(String.UnicodeScalarView(visibleScalars(raw)))
        var longestRun = 0
        var run = 0
        for byte in content.utf8 {
            run = byte == UInt8(ascii: "`") ? run + 1 : 0
            longestRun = max(longestRun, run)
        }
        let fence = String(repeating: "`", count: longestRun + 1)
        guard let first = content.unicodeScalars.first, let last = content.unicodeScalars.last else {
            // An empty span (two backticks) would read as literal backticks; one space is the
            // closest code span there is.
            return "` `"
        }
        let allSpaces = content.unicodeScalars.allSatisfy { $0 == " " }
        let needsPadding = first == "`" || last == "`" || (first == " " && last == " " && !allSpaces)
        return needsPadding ? "\(fence) \(content) \(fence)" : "\(fence)\(content)\(fence)"
    }

    // MARK: - Shared by text and code

    private static let zeroWidthSpace: Unicode.Scalar = "\u{200B}"

    /// The markdown syntax characters escaped wherever they are; `&`, `<` and `>` get named
    /// references instead, and `@` a zero-width space.
    private static let alwaysEscaped: Set<Unicode.Scalar> = ["\\", "`", "*", "_", "[", "]", "|", "~", "#", "$"]

    /// Characters that start a block only at the start of a line: list items (`-`, `+`, `1.`,
    /// `1)`), thematic breaks and setext underlines (`---`, `===`), a table's delimiter row (`:-`).
    private static let lineStartOnly: Set<Unicode.Scalar> = ["-", "+", "=", ".", ")", ":"]

    /// Line breaks and tabs become spaces (they are whitespace, and a line break would end the table
    /// row or start a block); other control characters, and the bidirectional overrides that can
    /// make a name read backwards, become visible escapes such as `\u{1b}`.
    private static func visibleScalars(_ raw: String) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(raw.utf8.count)
        var previous: Unicode.Scalar?
        for scalar in raw.unicodeScalars {
            defer { previous = scalar }
            switch scalar {
            case "\n" where previous == "\r":
                continue  // CR LF is one line break, so one space.
            case "\n", "\r", "\t", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}":
                result.append(" ")
            case _ where isHidden(scalar):
                result.append(contentsOf: "\\u{\(String(scalar.value, radix: 16))}".unicodeScalars)
            default:
                result.append(scalar)
            }
        }
        return result
    }

    private static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// The index of the character that would make the text start a block if it began a line: its
    /// first character when that is a space (four of them make indented code) or one of
    /// `lineStartOnly`, or the `.` or `)` after a leading number (an ordered list item).
    private static func lineStartMarkerIndex(_ scalars: [Unicode.Scalar]) -> Int? {
        guard let first = scalars.first else { return nil }
        if first == " " || lineStartOnly.contains(first) { return 0 }
        let digits = scalars.prefix(while: isASCIIDigit).count
        if digits > 0, digits < scalars.count, scalars[digits] == "." || scalars[digits] == ")" {
            return digits
        }
        return nil
    }

    private static func appendReference(_ scalar: Unicode.Scalar, to escaped: inout String.UnicodeScalarView) {
        escaped.append(contentsOf: "&#\(scalar.value);".unicodeScalars)
    }

    private static func isASCIIDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar)
    }

    private static func follows(_ scalars: [Unicode.Scalar], at start: Int, with ascii: String) -> Bool {
        let pattern = Array(ascii.unicodeScalars)
        guard start + pattern.count <= scalars.count else { return false }
        return scalars[start..<start + pattern.count].elementsEqual(pattern)
    }

    private static func matchesIgnoringCase(_ scalars: [Unicode.Scalar], from start: Int, _ lowercaseASCII: String) -> Bool {
        let pattern = Array(lowercaseASCII.unicodeScalars)
        guard start >= 0, start + pattern.count <= scalars.count else { return false }
        return zip(scalars[start..<start + pattern.count], pattern).allSatisfy { scalar, lower in
            scalar == lower || (scalar.isASCII && scalar.value + 0x20 == lower.value && ("A"..."Z").contains(scalar))
        }
    }
}
