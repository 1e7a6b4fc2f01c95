/// Colour for the text reports on a terminal: the verdict marks (✓ ✗ ○ ●), the closing verdict of
/// `gantry gate` and each phase's outcome in `gantry run`, so that a failure stands out in a long
/// report. Everything else stays as it is.
package enum TerminalColor {
    /// Whether to colour: only on a terminal, never with `NO_COLOR` set (to anything but ""), with
    /// `TERM=dumb`, or under GitHub Actions, whose logs are read as text and searched.
    package static func isWanted(environment: [String: String], isTerminal: Bool) -> Bool {
        isTerminal && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
            && environment["GITHUB_ACTIONS"] != "true"
    }

    /// `text` with its marks and verdicts coloured. It runs on finished reports, whose untrusted
    /// names have had their control characters escaped already, so the escapes added here are the
    /// only ones.
    package static func colouring(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { colouring(line: String($0)) }.joined(separator: "\n")
    }

    private static func colouring(line: String) -> String {
        for (mark, color) in marks {
            guard line.hasPrefix(mark) else { continue }
            return paint(mark, color) + line.dropFirst(mark.count)
        }
        for (verdict, color) in verdicts {
            if let match = line.wholeMatch(of: verdict) {
                let range = match.output.1.startIndex..<match.output.1.endIndex
                return String(line[..<range.lowerBound]) + paint(String(line[range]), color) + line[range.upperBound...]
            }
        }
        return line
    }

    private enum Color: String {
        case green = "32", red = "31", yellow = "33", dim = "2"
    }

    private static func paint(_ text: String, _ color: Color) -> String { "\u{1B}[\(color.rawValue)m\(text)\u{1B}[0m" }

    /// Marks at the start of a line: gate results, then the services of `gantry changes`.
    private static let marks: [(String, Color)] = [("✓", .green), ("✗", .red), ("○", .dim), ("  ●", .yellow), ("  ○", .dim)]

    /// The verdict closing `gantry gate`, and a phase's outcome in `gantry run`: the part to colour is the capture.
    nonisolated(unsafe) private static let verdicts: [(Regex<(Substring, Substring)>, Color)] = [
        (/((?:the one gate|both gates|all \d+ gates) passed)/, .green),
        (/(\d+ of \d+ gates? did not pass)/, .red),
        (/\w+ +\d+\.\d\d s  (passed)/, .green),
        (/\w+ +\d+\.\d\d s  ((?:failed|cancelled).*)/, .red),
    ]
}
