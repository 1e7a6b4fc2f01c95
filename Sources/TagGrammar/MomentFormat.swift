import Basics
import Foundation

/// moment.js `format()` with the English locale, which metadata-action's `{{date}}` helpers use.
package enum MomentFormat {
    /// moment's format when none is given: UTC-like offsets get a literal `Z`.
    package static func defaultFormat(for date: Date, in timeZone: TimeZone) -> String {
        timeZone.secondsFromGMT(for: date) == 0 ? "YYYY-MM-DDTHH:mm:ss[Z]" : "YYYY-MM-DDTHH:mm:ssZ"
    }

    /// `date` in `timeZone`, written with moment tokens; `[text]` is literal and `\` escapes one token.
    package static func format(_ date: Date, _ format: String, in timeZone: TimeZone) -> String {
        let time = CivilTime(date, in: timeZone)
        let characters = Array(expandingLocaleFormats(format))
        var output = ""
        var index = 0
        while index < characters.count {
            if characters[index] == "[", let close = literalEnd(characters, from: index) {
                output += String(characters[(index + 1)..<close])
                index = close + 1
            } else if characters[index] == "\\" {
                guard index + 1 < characters.count else { break }
                let length = tokenLength(characters, at: index + 1)
                output += String(characters[(index + 1)..<(index + 1 + length)]).replacingOccurrences(of: "\\", with: "")
                index += 1 + length
            } else {
                let length = tokenLength(characters, at: index)
                let token = String(characters[index..<(index + length)])
                output += time.text(for: token) ?? token
                index += length
            }
        }
        return output
    }

    /// `[…]` runs to the first `]` with no `[` in between.
    private static func literalEnd(_ characters: [Character], from start: Int) -> Int? {
        var index = start + 1
        while index < characters.count {
            if characters[index] == "]" { return index }
            if characters[index] == "[" { return nil }
            index += 1
        }
        return nil
    }

    /// How many characters the token at `index` spans, following moment's token expression (longest forms first).
    private static func tokenLength(_ characters: [Character], at index: Int) -> Int {
        let first = characters[index]
        func next(_ offset: Int) -> Character? { index + offset < characters.count ? characters[index + offset] : nil }
        func run(_ limit: Int) -> Int {
            var length = 0
            while length < limit, next(length) == first { length += 1 }
            return length
        }
        if first == "H" || first == "h", next(1) == "m", next(2) == "m" {
            return next(3) == "s" && next(4) == "s" ? 5 : 3
        }
        switch first {
        case "M": return next(1) == "o" ? 2 : run(4)
        case "D":
            if next(1) == "o" { return 2 }
            let length = run(4)
            return length == 3 && next(3) == "o" ? 4 : length
        case "d": let length = run(4); return length >= 2 ? length : (next(1) == "o" ? 2 : 1)
        case "w", "W": return next(1) == "o" || next(1) == first || next(1) == "|" ? 2 : 1
        case "Q": return next(1) == "o" ? 2 : 1
        case "N": return run(5)
        case "Y": let length = run(6); return length >= 4 ? length : min(length, 2)
        case "y": let length = run(4); return length >= 2 ? length : (next(1) == "o" ? 2 : 1)
        case "g", "G": let length = run(5); return length >= 4 ? length : (length >= 2 ? 2 : 1)
        case "h", "H", "k", "m", "s", "z", "Z": return run(2)
        case "S": return run(9)
        default: return 1
        }
    }

    /// moment expands the locale's long formats (`L`, `LT`, …) before reading tokens.
    private static func expandingLocaleFormats(_ format: String) -> String {
        let expansions: [(String, String)] = [
            ("LTS", "h:mm:ss A"), ("LT", "h:mm A"), ("LLLL", "dddd, MMMM D, YYYY h:mm A"),
            ("LLL", "MMMM D, YYYY h:mm A"), ("LL", "MMMM D, YYYY"), ("L", "MM/DD/YYYY"),
            ("llll", "ddd, MMM D, YYYY h:mm A"), ("lll", "MMM D, YYYY h:mm A"), ("ll", "MMM D, YYYY"), ("l", "M/D/YYYY"),
        ]
        let characters = Array(format)
        var output = ""
        var index = 0
        outer: while index < characters.count {
            if characters[index] == "[", let close = literalEnd(characters, from: index) {
                output += String(characters[index...close])
                index = close + 1
                continue
            }
            if characters[index] == "\\", index + 1 < characters.count {
                output += String(characters[index...(index + 1)])
                index += 2
                continue
            }
            for (token, expansion) in expansions where characters[index...].starts(with: token) {
                output += expansion
                index += token.count
                continue outer
            }
            output.append(characters[index])
            index += 1
        }
        return output
    }
}
