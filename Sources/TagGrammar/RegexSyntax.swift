import Basics

/// A JavaScript regular expression, parsed: what ``RegexProgram`` compiles. Everything JavaScript
/// has except what no linear-time matcher can do (backreferences and lookaround), which is refused
/// at its column.
package indirect enum RegexNode {
    case empty
    /// One scalar from a set: a literal, a class, `.` or an escape such as `\d`.
    case scalar(ScalarSet)
    case assertion(RegexAssertion)
    /// A group; `capture` numbers capturing ones from 1.
    case group(RegexNode, capture: Int?)
    case sequence([RegexNode])
    case alternatives([RegexNode])
    /// `offset` is the quantifier's, for the error a repetition too large to compile gets.
    case repetition(RegexNode, minimum: Int, maximum: Int?, isGreedy: Bool, offset: Int)
}

/// What a zero-width assertion checks.
package enum RegexAssertion {
    case start, end, wordBoundary, notWordBoundary
}

/// A set of Unicode scalars, as sorted ranges of their values, possibly negated.
package struct ScalarSet {
    package var ranges: [ClosedRange<UInt32>] = []
    package var isNegated = false

    package static func single(_ scalar: Unicode.Scalar) -> ScalarSet { ScalarSet(ranges: [scalar.value...scalar.value]) }
    package static let digits = ScalarSet(ranges: [0x30...0x39])
    package static let wordCharacters = ScalarSet(ranges: [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    /// JavaScript's `\s`: white space and line terminators.
    package static let whitespace = ScalarSet(ranges: [
        0x09...0x0D, 0x20...0x20, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A, 0x2028...0x2029, 0x202F...0x202F,
        0x205F...0x205F, 0x3000...0x3000, 0xFEFF...0xFEFF,
    ])
    /// What `.` does not match without the `s` flag.
    package static let lineTerminators = ScalarSet(ranges: [0x0A...0x0A, 0x0D...0x0D, 0x2028...0x2029])

    package var negated: ScalarSet { ScalarSet(ranges: ranges, isNegated: !isNegated) }

    package func contains(_ scalar: Unicode.Scalar) -> Bool {
        ranges.contains { $0.contains(scalar.value) } != isNegated
    }

    /// Whether the set contains `scalar` or, when `ignoringCase`, its lower- or uppercase form.
    package func contains(_ scalar: Unicode.Scalar, ignoringCase: Bool) -> Bool {
        if contains(scalar) { return true }
        guard ignoringCase else { return false }
        let lower = scalar.properties.lowercaseMapping.unicodeScalars
        let upper = scalar.properties.uppercaseMapping.unicodeScalars
        return (lower.count == 1 && contains(lower.first!)) || (upper.count == 1 && contains(upper.first!))
    }

    /// The scalars of this set, written as a positive set: a negated set is turned inside out.
    package var positiveRanges: [ClosedRange<UInt32>] {
        guard isNegated else { return ranges }
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            next = max(next, range.upperBound + 1)
        }
        if next <= 0x10FFFF { result.append(next...0x10FFFF) }
        return result
    }
}

/// Reads JavaScript regular-expression syntax (without the `u` flag's stricter rules, as
/// metadata-action's `new RegExp(pattern)` reads it) into a ``RegexNode``.
package struct RegexParser {
    private let pattern: [Unicode.Scalar]
    /// The `s` flag: `.` matches line breaks too.
    private let dotMatchesLineTerminators: Bool
    private var index = 0
    private(set) var captureCount = 0

    package init(_ pattern: String, dotMatchesLineTerminators: Bool) {
        self.pattern = Array(pattern.unicodeScalars)
        self.dotMatchesLineTerminators = dotMatchesLineTerminators
    }

    package mutating func parse() throws(TagRuleError) -> RegexNode {
        let node = try alternatives(depth: 0)
        if index < pattern.count { throw error("unmatched ')'; expected a '(' before it, or '\\)' to match a parenthesis") }
        return node
    }

    private mutating func alternatives(depth: Int) throws(TagRuleError) -> RegexNode {
        var branches = [try sequence(depth: depth)]
        while peek == "|" {
            index += 1
            branches.append(try sequence(depth: depth))
        }
        return branches.count == 1 ? branches[0] : .alternatives(branches)
    }

    private mutating func sequence(depth: Int) throws(TagRuleError) -> RegexNode {
        var items: [RegexNode] = []
        while let next = peek, next != "|", next != ")" {
            let atom = try self.atom(depth: depth)
            guard let quantifier = try quantifier() else {
                items.append(atom)
                continue
            }
            if case .assertion = atom { throw error("nothing to repeat: an assertion cannot be repeated", at: quantifier.offset) }
            items.append(
                .repetition(
                    atom, minimum: quantifier.minimum, maximum: quantifier.maximum, isGreedy: quantifier.isGreedy, offset: quantifier.offset
                ))
        }
        return items.count == 1 ? items[0] : items.isEmpty ? .empty : .sequence(items)
    }

    private mutating func atom(depth: Int) throws(TagRuleError) -> RegexNode {
        let start = index
        let scalar = pattern[index]
        index += 1
        switch scalar {
        case "(":
            return try group(openedAt: start, depth: depth + 1)
        case "[":
            return .scalar(try characterClass(openedAt: start))
        case ".":
            return .scalar(dotMatchesLineTerminators ? ScalarSet(isNegated: true) : ScalarSet.lineTerminators.negated)
        case "^":
            return .assertion(.start)
        case "$":
            return .assertion(.end)
        case "\\":
            return try escape()
        case "*", "+", "?":
            throw error("nothing to repeat: '\(scalar)' must follow what it repeats; write '\\\(scalar)' to match it", at: start)
        case "{":
            index = start
            if (try? quantifier()) != nil {
                throw error("nothing to repeat: '{' must follow what it repeats; write '\\{' to match it", at: start)
            }
            index = start + 1
            return .scalar(.single(scalar))
        default:
            return .scalar(.single(scalar))
        }
    }

    private mutating func group(openedAt start: Int, depth: Int) throws(TagRuleError) -> RegexNode {
        // The parser and the compiler recurse once per level.
        guard depth <= ConfigurationLimits.patternNesting else {
            throw error("groups nest more than \(ConfigurationLimits.patternNesting) deep here; expected a flatter pattern", at: start)
        }
        var capture: Int?
        if peek == "?" {
            let kind = String(String.UnicodeScalarView(pattern[index..<min(pattern.count, index + 3)]))
            if kind.hasPrefix("?=") || kind.hasPrefix("?!") || kind == "?<=" || kind == "?<!" {
                throw error(
                    "lookaround '(\(kind.hasPrefix("?<") ? kind : String(kind.prefix(2)))' is not supported: gantry matches in "
                        + "time proportional to the text, which lookaround does not allow; match the text itself instead", at: start)
            }
            if kind.hasPrefix("?:") {
                index += 2
            } else if kind.hasPrefix("?<") {
                index += 2
                while let next = peek, next != ">" {
                    guard next.properties.isAlphabetic || next == "_" || next == "$" || ("0"..."9").contains(next) else {
                        throw error("invalid group name; expected letters, digits, '_' or '$' and a closing '>'", at: index)
                    }
                    index += 1
                }
                guard peek == ">" else { throw error("unclosed group name; expected a '>' after it", at: start) }
                index += 1
                captureCount += 1
                capture = captureCount
            } else {
                throw error("invalid group '(?'; expected '(?:' or '(?<name>'", at: start)
            }
        } else {
            captureCount += 1
            capture = captureCount
        }
        let inner = try alternatives(depth: depth)
        guard peek == ")" else { throw error("unclosed '('; expected a ')' to close it", at: start) }
        index += 1
        return .group(inner, capture: capture)
    }

    private mutating func quantifier() throws(TagRuleError) -> (minimum: Int, maximum: Int?, isGreedy: Bool, offset: Int)? {
        let start = index
        var bounds: (minimum: Int, maximum: Int?)
        switch peek {
        case "*": bounds = (0, nil); index += 1
        case "+": bounds = (1, nil); index += 1
        case "?": bounds = (0, 1); index += 1
        case "{":
            index += 1
            guard let minimum = number() else { index = start; return nil }
            var maximum: Int? = minimum
            if peek == "," {
                index += 1
                maximum = number()
            }
            guard peek == "}" else { index = start; return nil }
            index += 1
            if let maximum, maximum < minimum {
                throw error("numbers out of order in the {\(minimum),\(maximum)} quantifier", at: start)
            }
            bounds = (minimum, maximum)
        default:
            return nil
        }
        let isGreedy = peek != "?"
        if !isGreedy { index += 1 }
        return (bounds.minimum, bounds.maximum, isGreedy, start)
    }

    /// A decimal number, capped so that it cannot overflow: the program's size limit refuses it later.
    private mutating func number() -> Int? {
        var value: Int?
        while let next = peek, ("0"..."9").contains(next) {
            value = min((value ?? 0) * 10 + Int(next.value - 0x30), 1_000_000)
            index += 1
        }
        return value
    }

    private mutating func escape() throws(TagRuleError) -> RegexNode {
        guard let scalar = peek else {
            throw error("'\\' at the end of the pattern escapes nothing; write '\\\\' to match a backslash", at: index - 1)
        }
        switch scalar {
        case "b": index += 1; return .assertion(.wordBoundary)
        case "B": index += 1; return .assertion(.notWordBoundary)
        case "1"..."9":
            throw error(
                "backreference '\\\(scalar)' is not supported: gantry matches in time proportional to the text, which "
                    + "backreferences do not allow", at: index - 1)
        case "k" where index + 1 < pattern.count && pattern[index + 1] == "<":
            throw error(
                "backreference '\\k<…>' is not supported: gantry matches in time proportional to the text, which "
                    + "backreferences do not allow", at: index - 1)
        default:
            return .scalar(try escapedSet())
        }
    }

    /// The set an escape stands for, inside or outside a class; `index` is just past the `\`.
    private mutating func escapedSet(inClass: Bool = false) throws(TagRuleError) -> ScalarSet {
        guard let scalar = peek else {
            throw error("'\\' at the end of the pattern escapes nothing; write '\\\\' to match a backslash", at: index - 1)
        }
        index += 1
        switch scalar {
        case "d": return .digits
        case "D": return ScalarSet.digits.negated
        case "w": return .wordCharacters
        case "W": return ScalarSet.wordCharacters.negated
        case "s": return .whitespace
        case "S": return ScalarSet.whitespace.negated
        case "t": return .single("\t")
        case "n": return .single("\n")
        case "r": return .single("\r")
        case "v": return .single("\u{0B}")
        case "f": return .single("\u{0C}")
        case "b" where inClass: return .single("\u{08}")
        case "0" where !(peek.map { ("0"..."9").contains($0) } ?? false): return .single("\u{0}")
        case "c":
            if let letter = peek, letter.isASCII, letter.properties.isAlphabetic {
                index += 1
                return .single(Unicode.Scalar(letter.value % 32)!)
            }
            index -= 1
            return .single("\\")
        case "x": return hexadecimal(digits: 2) ?? .single("x")
        case "u": return hexadecimal(digits: 4) ?? .single("u")
        default: return .single(scalar)
        }
    }

    /// `\xHH` or `\uHHHH` just past the letter; nil (and nothing read) when the digits are not there,
    /// where JavaScript matches the letter itself.
    private mutating func hexadecimal(digits: Int) -> ScalarSet? {
        guard index + digits <= pattern.count,
            let value = UInt32(String(String.UnicodeScalarView(pattern[index..<index + digits])), radix: 16),
            let scalar = Unicode.Scalar(value)
        else { return nil }
        index += digits
        return .single(scalar)
    }

    private mutating func characterClass(openedAt start: Int) throws(TagRuleError) -> ScalarSet {
        var set = ScalarSet()
        if peek == "^" {
            set.isNegated = true
            index += 1
        }
        while true {
            guard let scalar = peek else { throw error("unclosed '['; expected a ']' to close it, or '\\[' to match a bracket", at: start) }
            if scalar == "]" {
                index += 1
                return set
            }
            let memberStart = index
            let lower = try classMember()
            if peek == "-", index + 1 < pattern.count, pattern[index + 1] != "]" {
                index += 1
                let upper = try classMember()
                // A class escape such as \d at either end makes the '-' a literal, as JavaScript reads it.
                if let low = lower.singleValue, let high = upper.singleValue {
                    guard low <= high else { throw error("range out of order in the character class", at: memberStart) }
                    set.ranges.append(low...high)
                } else {
                    set.ranges += lower.positiveRanges + [0x2D...0x2D] + upper.positiveRanges
                }
            } else {
                set.ranges += lower.positiveRanges
            }
        }
    }

    private mutating func classMember() throws(TagRuleError) -> ScalarSet {
        let scalar = pattern[index]
        index += 1
        return scalar == "\\" ? try escapedSet(inClass: true) : .single(scalar)
    }

    private var peek: Unicode.Scalar? { index < pattern.count ? pattern[index] : nil }

    /// An error at scalar `offset` of the pattern, given as a character offset as tag rule errors are.
    private func error(_ message: String, at offset: Int? = nil) -> TagRuleError {
        let scalars = pattern[..<min(offset ?? index, pattern.count)]
        return TagRuleError(message, offset: String(String.UnicodeScalarView(scalars)).count)
    }
}

extension ScalarSet {
    /// The one scalar value of a set of one, else nil.
    fileprivate var singleValue: UInt32? {
        guard !isNegated, ranges.count == 1, ranges[0].lowerBound == ranges[0].upperBound else { return nil }
        return ranges[0].lowerBound
    }
}
