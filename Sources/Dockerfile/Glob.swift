import PathPattern

/// A compiled wildcard pattern over `/`-separated paths, in the two dialects a build uses: Go's
/// `filepath.Match` for `COPY`/`ADD` sources, and the `.dockerignore` dialect (moby/patternmatcher),
/// which adds `**`. Matching simulates the live positions of the pattern at once, so its time is at
/// most the path's length times the pattern's, whatever the pattern, and is counted in a `MatchBudget`.
package struct Glob: Hashable, Sendable {
    enum Token: Hashable, Sendable {
        /// One byte, itself.
        case byte(UInt8)
        /// `?`: one byte other than `/`.
        case oneByte
        /// `*`: any run of bytes other than `/`.
        case run
        /// `[…]`: one byte other than `/` from a set (or, negated with `^`, outside it).
        case set(ByteSet, negated: Bool)
        /// `**/` in an ignore file: nothing, or any run of bytes ending with `/`.
        case directories
        /// `**` at the end of an ignore pattern, or before a literal at its start: any run of bytes.
        case anything
    }

    /// How a pattern is read.
    package enum Dialect: Sendable {
        /// Go's `filepath.Match`: `*`, `?`, `[…]`, `\`; `**` is two `*`.
        case sources
        /// Like `sources`, and `**` as a whole component crosses directories (`COPY --parents`).
        case sourcesWithDirectories
        /// moby/patternmatcher, as `.dockerignore` and `COPY --exclude` use it.
        case ignore
    }

    let tokens: [Token]
    /// The pattern as written.
    package let text: String
    /// The bytes every match starts with, and those it ends with (reversed), to refuse most paths at once.
    private let literalPrefix: [UInt8]
    private let literalSuffixReversed: [UInt8]

    /// Whether `text` has a wildcard of the dialect.
    package static func hasWildcard(_ text: some Sequence<UInt8>) -> Bool {
        text.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "\\") }
    }

    /// Whether `text` has a `*`, `?` or `[` that no `\` escapes, as BuildKit's `containsWildcards`
    /// decides whether a `COPY`/`ADD` source is a pattern or a path taken as written.
    package static func hasUnescapedWildcard(_ text: some Sequence<UInt8>) -> Bool {
        var isEscaped = false
        for byte in text {
            if isEscaped {
                isEscaped = false
            } else if byte == UInt8(ascii: "\\") {
                isEscaped = true
            } else if byte == UInt8(ascii: "*") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "[") {
                return true
            }
        }
        return false
    }

    /// Compiles a pattern, or explains why it is not one (an unclosed `[`, a trailing `\`).
    package init(_ text: String, dialect: Dialect) throws(SyntaxError) {
        let bytes = Array(text.utf8)
        var tokens: [Token] = []
        var index = 0
        // patternmatcher takes `**` followed by nothing but literal text at the pattern's start as a
        // suffix test, so `**foo` matches `barfoo` even though `**/foo` does not match `xfoo`.
        if dialect == .ignore, bytes.starts(with: [UInt8(ascii: "*"), UInt8(ascii: "*")]), bytes.count > 2,
            bytes[2] != UInt8(ascii: "/"), !Self.hasWildcard(bytes[2...])
        {
            self.init(text: text, tokens: [.anything] + bytes[2...].map(Token.byte))
            return
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "*"):
                let isDouble = index < bytes.count && bytes[index] == UInt8(ascii: "*")
                let atComponentStart = index == 1 || bytes[index - 2] == UInt8(ascii: "/")
                if dialect == .ignore && isDouble {
                    index += 1
                    if index < bytes.count && bytes[index] == UInt8(ascii: "/") { index += 1 }
                    tokens.append(index == bytes.count ? .anything : .directories)
                } else if dialect == .sourcesWithDirectories && isDouble && atComponentStart
                    && (index + 1 == bytes.count || bytes[index + 1] == UInt8(ascii: "/"))
                {
                    index += 1
                    if index < bytes.count {
                        index += 1
                        tokens.append(.directories)
                    } else {
                        tokens.append(.anything)
                    }
                } else if tokens.last != .run {
                    tokens.append(.run)
                }
            case UInt8(ascii: "?"):
                tokens.append(.oneByte)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { throw SyntaxError(message: "ends with a lone `\\`; write `\\\\` for a backslash") }
                tokens.append(.byte(bytes[index]))
                index += 1
            case UInt8(ascii: "["):
                let (set, negated, next) = try Self.readSet(bytes, from: index)
                tokens.append(.set(set, negated: negated))
                index = next
            default:
                tokens.append(.byte(byte))
            }
        }
        self.init(text: text, tokens: tokens)
    }

    private init(text: String, tokens: [Token]) {
        self.text = text
        self.tokens = tokens
        literalPrefix = Self.literalBytes(tokens)
        literalSuffixReversed = Self.literalBytes(tokens.reversed())
    }

    private static func literalBytes(_ tokens: some Sequence<Token>) -> [UInt8] {
        var bytes: [UInt8] = []
        for token in tokens {
            guard case .byte(let byte) = token else { break }
            bytes.append(byte)
        }
        return bytes
    }

    /// Whether the whole of `path` matches, spending one step of `budget` per live position of the
    /// pattern at each byte.
    func matches(_ bytes: Substring.UTF8View, budget: inout MatchBudget) throws(MatchBudget.Exhausted) -> Bool {
        try budget.spend(1)
        guard bytes.starts(with: literalPrefix), bytes.reversed().starts(with: literalSuffixReversed) else { return false }
        if literalPrefix.count == tokens.count { return bytes.count == tokens.count }
        let slash = UInt8(ascii: "/")
        var current = States(count: tokens.count + 1)
        var next = current
        reach(0, closing: true, in: &current)
        for byte in bytes {
            try budget.spend(current.live.count)
            next.removeAll()
            for state in current.live where state < tokens.count {
                switch tokens[state] {
                case .byte(let expected): if byte == expected { reach(state + 1, closing: true, in: &next) }
                case .oneByte: if byte != slash { reach(state + 1, closing: true, in: &next) }
                case .run: if byte != slash { reach(state, closing: true, in: &next) }
                case .set(let set, let negated):
                    if byte != slash && set.contains(byte) != negated { reach(state + 1, closing: true, in: &next) }
                case .directories:
                    // Within the `.*/` of a `**/`: the token after it may match only after a `/`.
                    reach(state, closing: false, in: &next)
                    if byte == slash { reach(state + 1, closing: true, in: &next) }
                case .anything: reach(state, closing: true, in: &next)
                }
            }
            swap(&current, &next)
            if current.live.isEmpty { return false }
        }
        return current.contains(tokens.count)
    }

    /// The positions of the pattern a match has reached, each listed once.
    private struct States {
        /// Per position: 0 not reached, 1 reached, 2 reached and closed (past the `*`, `**/` or `**` at it).
        private var marks: [UInt8]
        private(set) var live: [Int] = []

        init(count: Int) { marks = Array(repeating: 0, count: count) }

        func contains(_ state: Int) -> Bool { marks[state] != 0 }

        /// Marks `state` and tells whether it still needs closing.
        mutating func insert(_ state: Int, closing: Bool) -> Bool {
            let mark = marks[state]
            if mark == 0 { live.append(state) }
            guard closing, mark < 2 else {
                marks[state] = max(mark, 1)
                return false
            }
            marks[state] = 2
            return true
        }

        mutating func removeAll() {
            for state in live { marks[state] = 0 }
            live.removeAll(keepingCapacity: true)
        }
    }

    /// Reaches `state` and, when closing, every position after it reachable without reading a byte.
    private func reach(_ state: Int, closing: Bool, in states: inout States) {
        var state = state
        while states.insert(state, closing: closing), state < tokens.count {
            switch tokens[state] {
            case .run, .directories, .anything: state += 1
            default: return
            }
        }
    }

    private static func readSet(_ bytes: [UInt8], from start: Int) throws(SyntaxError) -> (ByteSet, Bool, Int) {
        var index = start
        var set = ByteSet()
        let negated = index < bytes.count && bytes[index] == UInt8(ascii: "^")
        if negated { index += 1 }
        var first = true
        while index < bytes.count {
            var lower = bytes[index]
            if lower == UInt8(ascii: "]") && !first { return (set, negated, index + 1) }
            first = false
            if lower == UInt8(ascii: "\\") {
                index += 1
                guard index < bytes.count else { break }
                lower = bytes[index]
            }
            index += 1
            var upper = lower
            if index + 1 < bytes.count && bytes[index] == UInt8(ascii: "-") && bytes[index + 1] != UInt8(ascii: "]") {
                upper = bytes[index + 1]
                index += 2
                if upper == UInt8(ascii: "\\"), index < bytes.count {
                    upper = bytes[index]
                    index += 1
                }
                guard lower <= upper else { throw SyntaxError(message: "has a range that runs backwards in `[…]`") }
            }
            set.insert(from: lower, through: upper)
        }
        throw SyntaxError(message: "has a `[` that is never closed; expected `]`, or `\\[` for the character itself")
    }

    /// Why a pattern is not one.
    package struct SyntaxError: Error, Equatable, Sendable {
        /// What is wrong, as a predicate of "the pattern …".
        package var message: String
    }
}
