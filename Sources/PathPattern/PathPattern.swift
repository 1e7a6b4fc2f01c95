/// A glob that selects repository-relative file paths exactly as git selects them for the pathspec
/// `:(glob)PATTERN`, that is, as `git ls-files -- ':(glob)PATTERN'` does.
///
/// Paths are UTF-8, `/`-separated and relative to the repository root (no leading `/`). Matching is
/// case-sensitive and works on UTF-8 bytes:
///
/// - `*` matches any run of bytes except `/`; `?` matches one byte except `/` (so one non-ASCII
///   character, several bytes long, needs several `?`).
/// - `[...]` matches one byte from a set: ranges (`[a-z]`), negation (`[!...]` or `[^...]`), `]` as
///   the first member, escapes (`[\]]`) and the POSIX classes `[:alnum:]`, `[:alpha:]`, `[:blank:]`,
///   `[:cntrl:]`, `[:digit:]`, `[:graph:]`, `[:lower:]`, `[:print:]`, `[:punct:]`, `[:space:]`,
///   `[:upper:]` and `[:xdigit:]`, which contain ASCII bytes only. A set never matches `/`.
/// - `**` forming a whole path component matches across directories: `**/x` finds `x` in any
///   directory including the root, `a/**/b` allows zero or more directories between `a` and `b`, and
///   `a/**` matches every path inside `a` (but not a file named `a`). Other runs of `*` act as one `*`.
/// - `\` makes the next byte literal.
/// - There is no special treatment of leading dots: `*` matches `.env`.
/// - Like every git pathspec, a pattern also matches the paths beneath it when it equals one of
///   their leading directories byte for byte: `services/api` and `docs/` match `services/api/x.py`
///   and `docs/a/b.md`.
///
/// A few git behaviors follow from this and are reproduced on purpose:
///
/// - The leading-directory rule compares the pattern's text literally, so `build*` also matches
///   everything under a directory literally named `build*`, and `[ab]` matches a file named `[ab]`.
/// - A `**` that directly follows the pattern's literal prefix crosses directories even when it is
///   not a whole component: `src/foo**` matches `src/foobar/x.c`, as it does in git.
/// - Runs of `/` in the pattern are collapsed, as git normalizes `a//b` to `a/b`.
/// - A trailing `/` after a wildcard, as in `src/*/`, matches no file.
///
/// Matching does not allocate. A path that does not start with the pattern's literal prefix (the
/// bytes before its first wildcard), or does not end with its literal suffix (the bytes after its
/// last wildcard, such as `.md` in `**/*.md`), is rejected by comparing bytes; the rest runs through
/// an automaton that reads each byte once, so matching time grows linearly with the path's length
/// whatever the pattern (git's backtracking matcher can take minutes on patterns with many `**`).
package struct PathPattern: Hashable, Sendable, CustomStringConvertible {
    /// A pattern's longest source, in bytes: git's longest path. `gantry.yml` comes from pull
    /// requests, and matching time grows with a pattern's length.
    package static let maximumLength = 4096

    /// The pattern as written, without the leading `!` of a negated pattern.
    package let text: String

    /// Whether the pattern was written with a leading `!`.
    ///
    /// ``matches(_:)`` ignores this: a negated pattern matches the same paths as the pattern without
    /// `!`. A ``PathPatternList`` uses it to exclude the paths that the pattern matches. Write `\!` to
    /// match a leading `!` literally.
    package let isNegated: Bool

    /// What matching needs, in one shared object so that copying a pattern stays cheap.
    private let compiled: Compiled

    /// Parses a glob; throws PathPattern.SyntaxError for invalid ones.
    ///
    /// A leading `!` marks the pattern as negated (see ``isNegated``). The pattern is rejected when it
    /// is empty or only `!`, longer than ``maximumLength`` bytes, starts with `/`, has a `.` or `..` component, contains a NUL character,
    /// leaves a `[` unclosed, names an unknown `[:class:]`, or ends with an unescaped `\`.
    ///
    /// - Parameter text: The pattern, relative to the repository root, optionally preceded by `!`.
    /// - Throws: ``SyntaxError`` naming the problem, where it is (characters are counted in Unicode
    ///   scalars from 1, including a leading `!`), and how to fix it.
    package init(_ text: String) throws(PathPattern.SyntaxError) {
        let source = Array(text.utf8)
        guard let first = source.first else { throw .emptyPattern }
        guard source.count <= PathPattern.maximumLength else { throw .tooLong(source.count) }
        let isNegated = first == ASCII.exclamationMark
        let start = isNegated ? 1 : 0
        guard start < source.count else { throw .negationAlone }
        if let nul = source.firstIndex(of: 0) {
            throw .nulCharacter(at: Self.characterPosition(ofByte: nul, in: source))
        }
        let body = source[start...]
        if body.first == ASCII.slash {
            throw .leadingSlash(String(decoding: body, as: UTF8.self))
        }
        try Self.rejectDotComponents(in: body)

        // git normalizes a pathspec before matching; of its rules only the collapsing of `//` can
        // apply here, the others (`.`, `..`, a leading `/`) being rejected above.
        var bytes: [UInt8] = []
        var sourceOffsets: [Int] = []
        bytes.reserveCapacity(body.count)
        sourceOffsets.reserveCapacity(body.count)
        for index in body.indices where !(body[index] == ASCII.slash && bytes.last == ASCII.slash) {
            bytes.append(body[index])
            sourceOffsets.append(index)
        }

        let compiler = Compiler(pattern: bytes, source: source, sourceOffsets: sourceOffsets)
        let literalPrefixLength = bytes.firstIndex(where: ASCII.isGlobSpecial) ?? bytes.count
        let program = try compiler.compile(from: literalPrefixLength)
        self.compiled = Compiled(bytes: bytes, literalPrefixLength: literalPrefixLength, program: program)
        self.text = isNegated ? String(text.unicodeScalars.dropFirst()) : text
        self.isNegated = isNegated
    }

    /// The pattern as written, including the leading `!` of a negated pattern.
    package var description: String { isNegated ? "!" + text : text }

    /// Whether `path` is selected by this pattern, ignoring ``isNegated``.
    ///
    /// - Parameter path: A repository-relative file path such as `services/api/main.py`, `/`-separated
    ///   and without a leading `/`, as `git ls-files` or `git diff --name-only` print it.
    /// - Returns: `true` exactly when `git ls-files -- ':(glob)PATTERN'` would list `path`.
    package func matches(_ path: String) -> Bool {
        let compiled = compiled
        if let result = path.utf8.withContiguousStorageIfAvailable({ compiled.matches($0) }) {
            return result
        }
        var contiguous = path
        contiguous.makeContiguousUTF8()
        return contiguous.utf8.withContiguousStorageIfAvailable { compiled.matches($0) } ?? false
    }

    /// Two patterns are equal when they were written the same way.
    package static func == (lhs: PathPattern, rhs: PathPattern) -> Bool {
        lhs.isNegated == rhs.isNegated && lhs.text == rhs.text
    }

    /// Hashes what ``==`` compares.
    package func hash(into hasher: inout Hasher) {
        hasher.combine(isNegated)
        hasher.combine(text)
    }

    /// The 1-based position, counted in Unicode scalars, of the scalar starting at byte `offset`.
    fileprivate static func characterPosition(ofByte offset: Int, in source: [UInt8]) -> Int {
        1 + source[..<offset].reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
    }

    private static func rejectDotComponents(in body: ArraySlice<UInt8>) throws(SyntaxError) {
        let components = body.split(separator: ASCII.slash, omittingEmptySubsequences: true)
        let isDot: (ArraySlice<UInt8>) -> Bool = { $0.count == 1 && $0.first == ASCII.period }
        let isDotDot: (ArraySlice<UInt8>) -> Bool = { $0.count == 2 && $0.allSatisfy { $0 == ASCII.period } }
        let pattern = String(decoding: body, as: UTF8.self)
        if components.contains(where: isDotDot) {
            throw .dotDotComponent(pattern)
        }
        if components.contains(where: isDot) {
            let kept = components.filter { !isDot($0) }.map { String(decoding: $0, as: UTF8.self) }
            var suggestion = kept.joined(separator: "/")
            if suggestion.isEmpty {
                suggestion = "**"
            } else if body.last == ASCII.slash {
                suggestion += "/"
            }
            throw .dotComponent(pattern, suggestion: suggestion)
        }
    }
}

extension PathPattern {
    /// Why a glob is not a valid ``PathPattern``.
    package struct SyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
        /// What is wrong with the pattern, where, and what is expected instead.
        package let message: String

        package init(_ message: String) {
            self.message = message
        }

        /// The message.
        package var description: String { message }

        package static let emptyPattern = SyntaxError(
            "empty pattern: write a glob relative to the repository root, such as 'src/**' or '**/*.md'")

        package static let negationAlone = SyntaxError(
            "'!' alone excludes nothing: follow it with the pattern to exclude, such as '!docs/**'")

        package static func tooLong(_ length: Int) -> SyntaxError {
            SyntaxError(
                "the pattern is \(length) bytes long; at most \(PathPattern.maximumLength) are allowed, "
                    + "the longest path git takes")
        }

        package static func nulCharacter(at position: Int) -> SyntaxError {
            SyntaxError("NUL character at character \(position): paths cannot contain NUL, remove it")
        }

        package static func leadingSlash(_ pattern: String) -> SyntaxError {
            let relative = String(pattern.drop { $0 == "/" })
            let suggestion = relative.isEmpty ? "'**' to match every path" : "'\(relative)'"
            return SyntaxError(
                "it starts with '/': patterns are relative to the repository root, "
                    + "write \(suggestion) instead")
        }

        package static func dotComponent(_ pattern: String, suggestion: String) -> SyntaxError {
            SyntaxError(
                "a '.' component: patterns are relative to the repository root and "
                    + "cannot contain '.' components, write '\(suggestion)' instead")
        }

        package static func dotDotComponent(_ pattern: String) -> SyntaxError {
            SyntaxError(
                "a '..' component: patterns cannot contain '..' components, "
                    + "write the path from the repository root instead")
        }

        package static func unclosedBracket(at position: Int) -> SyntaxError {
            SyntaxError(
                "unclosed '[' at character \(position): close the bracket expression with ']' "
                    + "or escape it as '\\['")
        }

        package static func trailingBackslash(at position: Int) -> SyntaxError {
            SyntaxError(
                "trailing '\\' at character \(position) escapes nothing: remove it, "
                    + "or write '\\\\' to match a backslash")
        }

        package static func unknownCharacterClass(_ name: String, at position: Int) -> SyntaxError {
            SyntaxError(
                "unknown character class '[:\(name):]' at character \(position): use one of "
                    + CharacterClass.allCases.map { "[:\($0.rawValue):]" }.joined(separator: ", "))
        }
    }
}

/// An ordered list of patterns with GitHub Actions `paths:` semantics: a path is included when the
/// LAST pattern that matches it is not negated; a list with only negated patterns includes nothing.
///
/// For example `["services/api/**", "!services/api/docs/**", "services/api/docs/openapi.yaml"]`
/// includes `services/api/main.py` and `services/api/docs/openapi.yaml` but not
/// `services/api/docs/guide.md`.
package struct PathPatternList: Hashable, Sendable {
    /// The patterns, in the order they were written; later ones take precedence.
    package let patterns: [PathPattern]

    /// Creates a list from patterns in the order they were written.
    ///
    /// - Parameter patterns: The patterns; negated ones (written with `!`) exclude what earlier
    ///   patterns included, and later non-negated ones can include it again.
    package init(_ patterns: [PathPattern]) {
        self.patterns = patterns
    }

    /// Whether the list has no patterns (and so includes no path).
    package var isEmpty: Bool { patterns.isEmpty }

    /// Whether `path` is included: the last pattern that matches it decides, and includes the path
    /// unless it is negated. A path that no pattern matches is not included.
    ///
    /// - Parameter path: A repository-relative file path, as for ``PathPattern/matches(_:)``.
    package func matches(_ path: String) -> Bool {
        // Borrow the patterns in place: copying each one out of the array would cost more than
        // matching it.
        patterns.withUnsafeBufferPointer { patterns in
            for index in patterns.indices.reversed() where patterns[index].matches(path) {
                return !patterns[index].isNegated
            }
            return false
        }
    }
}

// MARK: - Compilation and matching

extension PathPattern {
    /// The bytes the pattern syntax gives a meaning to.
    fileprivate enum ASCII {
        package static var asterisk: UInt8 { UInt8(ascii: "*") }
        package static var backslash: UInt8 { UInt8(ascii: "\\") }
        package static var caret: UInt8 { UInt8(ascii: "^") }
        package static var colon: UInt8 { UInt8(ascii: ":") }
        package static var exclamationMark: UInt8 { UInt8(ascii: "!") }
        package static var hyphen: UInt8 { UInt8(ascii: "-") }
        package static var leftBracket: UInt8 { UInt8(ascii: "[") }
        package static var period: UInt8 { UInt8(ascii: ".") }
        package static var questionMark: UInt8 { UInt8(ascii: "?") }
        package static var rightBracket: UInt8 { UInt8(ascii: "]") }
        package static var slash: UInt8 { UInt8(ascii: "/") }

        /// Whether git's pathspec code ends a pattern's literal prefix at this byte.
        package static func isGlobSpecial(_ byte: UInt8) -> Bool {
            byte == asterisk || byte == questionMark || byte == leftBracket || byte == backslash
        }
    }

    /// A parsed pattern, ready to match.
    fileprivate final class Compiled: Sendable {
        /// The pattern's UTF-8 bytes after `!`, with runs of `/` collapsed as git normalizes
        /// pathspecs.
        package let bytes: [UInt8]
        /// The number of leading bytes of `bytes` before the first `*`, `?`, `[` or `\`.
        package let literalPrefixLength: Int
        /// The bytes that end every path the wildcard part matches: those of its trailing literal
        /// instructions. Compared directly, so that `**/*.md` rejects `main.py` at once.
        package let literalSuffix: [UInt8]
        /// The instructions between the literal prefix and the literal suffix; empty when the
        /// pattern has no wildcard.
        package let middle: [Instruction]
        /// `middle` as bit masks, when it has fewer than 64 instructions (nearly always).
        package let bitParallelMiddle: BitParallelProgram?

        package init(bytes: [UInt8], literalPrefixLength: Int, program: [Instruction]) {
            self.bytes = bytes
            self.literalPrefixLength = literalPrefixLength
            let literalSuffix = Self.literalSuffix(of: program)
            self.literalSuffix = literalSuffix
            let middle = Array(program.dropLast(literalSuffix.count))
            self.middle = middle
            self.bitParallelMiddle = BitParallelProgram(middle)
        }

        /// git's `match_pathspec_item` for an item with `glob` magic: a literal match of the whole
        /// pattern (exact, or as a leading directory), else wildmatch with `WM_PATHNAME`.
        package func matches(_ path: UnsafeBufferPointer<UInt8>) -> Bool {
            bytes.withUnsafeBufferPointer { pattern in
                let prefixLength = literalPrefixLength
                guard path.count >= prefixLength else { return false }
                for index in 0..<prefixLength where path[index] != pattern[index] { return false }

                let patternLength = pattern.count
                if patternLength <= path.count {
                    var index = prefixLength
                    while index < patternLength && path[index] == pattern[index] { index += 1 }
                    if index == patternLength
                        && (patternLength == path.count || pattern[patternLength - 1] == ASCII.slash
                            || path[patternLength] == ASCII.slash)
                    {
                        return true
                    }
                }
                guard prefixLength < patternLength else { return false }

                let suffixLength = literalSuffix.count
                guard path.count - prefixLength >= suffixLength else { return false }
                let middleEnd = path.count - suffixLength
                let suffixMatches = literalSuffix.withUnsafeBufferPointer { suffix in
                    for index in 0..<suffixLength where path[middleEnd + index] != suffix[index] {
                        return false
                    }
                    return true
                }
                guard suffixMatches else { return false }

                let text = UnsafeBufferPointer(rebasing: path[prefixLength..<middleEnd])
                if let bitParallelMiddle {
                    return bitParallelMiddle.accepts(text)
                }
                return middle.withUnsafeBufferPointer { Automaton(program: $0).accepts(text) }
            }
        }

        /// The bytes of the trailing `.byte` instructions of `program`. They match the last bytes of
        /// every matching path, except a `/` right after a `**` that may match no directory at all.
        private static func literalSuffix(of program: [Instruction]) -> [UInt8] {
            var suffix: [UInt8] = []
            var index = program.endIndex
            while index > program.startIndex, case .byte(let byte) = program[index - 1] {
                suffix.append(byte)
                index -= 1
            }
            if index > program.startIndex, case .globstar(mayOmitSlash: true) = program[index - 1] {
                suffix.removeLast()
            }
            return suffix.reversed()
        }
    }

    /// One step of a compiled pattern, applied to the text after the pattern's literal prefix.
    fileprivate enum Instruction: Sendable {
        /// Exactly this byte (a literal or an escaped character).
        case byte(UInt8)
        /// `?`: any byte but `/`.
        case anyByteExceptSlash
        /// `[...]`: a byte of the set, which never contains `/`.
        case byteSet(ByteSet)
        /// `*`, or a run of `*` that does not form a whole component: any run of bytes without `/`.
        case star
        /// `**` forming a whole component: any run of bytes. When the next instruction is a literal
        /// `/` (rather than an escaped one) the `**/` may also match nothing at all.
        case globstar(mayOmitSlash: Bool)
    }

    /// The POSIX classes wildmatch knows, with git's own (ASCII-only) definitions: notably `space` is
    /// tab, newline, carriage return and space, without vertical tab and form feed.
    fileprivate enum CharacterClass: String, CaseIterable {
        case alnum, alpha, blank, cntrl, digit, graph, lower, print, punct, space, upper, xdigit

        package func contains(_ byte: UInt8) -> Bool {
            switch self {
            case .alnum: return Self.alpha.contains(byte) || Self.digit.contains(byte)
            case .alpha: return Self.lower.contains(byte) || Self.upper.contains(byte)
            case .blank: return byte == 0x20 || byte == 0x09
            case .cntrl: return byte < 0x20 || byte == 0x7F
            case .digit: return (0x30...0x39).contains(byte)
            case .graph: return (0x21...0x7E).contains(byte)
            case .lower: return (0x61...0x7A).contains(byte)
            case .print: return (0x20...0x7E).contains(byte)
            case .punct: return Self.graph.contains(byte) && !Self.alnum.contains(byte)
            case .space: return byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
            case .upper: return (0x41...0x5A).contains(byte)
            case .xdigit:
                return Self.digit.contains(byte) || (0x41...0x46).contains(byte)
                    || (0x61...0x66).contains(byte)
            }
        }
    }

    /// Turns the wildcard part of a pattern into instructions, reporting errors at their position in
    /// the pattern as written.
    fileprivate struct Compiler {
        /// The normalized pattern.
        package let pattern: [UInt8]
        /// The pattern as written, including a leading `!`.
        package let source: [UInt8]
        /// For each byte of `pattern`, its offset in `source`.
        package let sourceOffsets: [Int]

        private func position(_ index: Int) -> Int {
            PathPattern.characterPosition(ofByte: sourceOffsets[index], in: source)
        }

        package func compile(from start: Int) throws(PathPattern.SyntaxError) -> [Instruction] {
            var program: [Instruction] = []
            var index = start
            while index < pattern.count {
                switch pattern[index] {
                case ASCII.backslash:
                    guard index + 1 < pattern.count else { throw .trailingBackslash(at: position(index)) }
                    program.append(.byte(pattern[index + 1]))
                    index += 2
                case ASCII.questionMark:
                    program.append(.anyByteExceptSlash)
                    index += 1
                case ASCII.leftBracket:
                    let (set, end) = try compileBracket(at: index)
                    program.append(.byteSet(set))
                    index = end
                case ASCII.asterisk:
                    var end = index
                    while end < pattern.count && pattern[end] == ASCII.asterisk { end += 1 }
                    // As in git, a run of two or more stars crosses directories when it starts the
                    // wildcard part (even right after a literal prefix such as `src/foo`) or follows a
                    // `/`, and ends the pattern or is followed by `/` or `\/`.
                    let startsComponent = index == start || pattern[index - 1] == ASCII.slash
                    let endsComponent =
                        end == pattern.count || pattern[end] == ASCII.slash
                        || (pattern[end] == ASCII.backslash && end + 1 < pattern.count
                            && pattern[end + 1] == ASCII.slash)
                    if end - index >= 2 && startsComponent && endsComponent {
                        let mayOmitSlash = end < pattern.count && pattern[end] == ASCII.slash
                        program.append(.globstar(mayOmitSlash: mayOmitSlash))
                    } else {
                        program.append(.star)
                    }
                    index = end
                case let byte:
                    program.append(.byte(byte))
                    index += 1
                }
            }
            return program
        }

        /// Compiles the bracket expression opening at `open`; returns its set and the index after `]`.
        private func compileBracket(at open: Int) throws(PathPattern.SyntaxError) -> (ByteSet, Int) {
            var members = ByteSet()
            var index = open + 1
            var isNegated = false
            if index < pattern.count
                && (pattern[index] == ASCII.exclamationMark || pattern[index] == ASCII.caret)
            {
                isNegated = true
                index += 1
            }
            // The member before a `-`, if it can start a range (not after a range or a class).
            var rangeStart: UInt8?
            var isFirstMember = true
            while true {
                guard index < pattern.count else { throw .unclosedBracket(at: position(open)) }
                let byte = pattern[index]
                if byte == ASCII.rightBracket && !isFirstMember { break }
                isFirstMember = false

                if byte == ASCII.backslash {
                    guard index + 1 < pattern.count else { throw .unclosedBracket(at: position(open)) }
                    members.insert(pattern[index + 1])
                    rangeStart = pattern[index + 1]
                    index += 2
                } else if byte == ASCII.hyphen, let lower = rangeStart, index + 1 < pattern.count,
                    pattern[index + 1] != ASCII.rightBracket
                {
                    var upperIndex = index + 1
                    if pattern[upperIndex] == ASCII.backslash {
                        upperIndex += 1
                        guard upperIndex < pattern.count else { throw .unclosedBracket(at: position(open)) }
                    }
                    members.insert(from: lower, through: pattern[upperIndex])
                    rangeStart = nil
                    index = upperIndex + 1
                } else if byte == ASCII.leftBracket && index + 1 < pattern.count
                    && pattern[index + 1] == ASCII.colon
                {
                    let nameStart = index + 2
                    var close = nameStart
                    while close < pattern.count && pattern[close] != ASCII.rightBracket { close += 1 }
                    guard close < pattern.count else { throw .unclosedBracket(at: position(open)) }
                    if close > nameStart && pattern[close - 1] == ASCII.colon {
                        let name = String(decoding: pattern[nameStart..<(close - 1)], as: UTF8.self)
                        guard let characterClass = CharacterClass(rawValue: name) else {
                            throw .unknownCharacterClass(name, at: position(index))
                        }
                        for member in 0...UInt8.max where characterClass.contains(member) {
                            members.insert(member)
                        }
                        rangeStart = nil
                        index = close + 1
                    } else {
                        // Not a class after all: the `[` is an ordinary member and the scan goes on
                        // right after it.
                        members.insert(ASCII.leftBracket)
                        rangeStart = ASCII.leftBracket
                        index += 1
                    }
                } else {
                    members.insert(byte)
                    rangeStart = byte
                    index += 1
                }
            }
            if isNegated { members.invert() }
            members.remove(ASCII.slash)
            return (members, index + 1)
        }
    }

    /// A program of fewer than 64 instructions run as a bit-parallel automaton. Bit `i` of a state
    /// word stands for "instruction `i` is next", the bit after the last instruction for "the whole
    /// program has matched". Each byte of the path is read once and costs a few word operations,
    /// however many stars the pattern has (backtracking, as git does, can take exponential time on
    /// patterns such as `a/**/a/**/a/**/b/**`).
    fileprivate struct BitParallelProgram: Sendable {
        /// For each byte value, its entry in `advancing`.
        private let byteClasses: [UInt8]
        /// For each class of bytes, the instructions that match one byte of the class and move on.
        private let advancing: [UInt64]
        /// The `*` instructions, which can match one more byte except `/`.
        private let stars: UInt64
        /// The `**` instructions, which can match one more byte, `/` included.
        private let globstars: UInt64
        /// The `**` instructions followed by a `/` that they skip when they match nothing.
        private let slashOmittingGlobstars: UInt64
        /// The bit of a complete match.
        private let accepting: UInt64

        /// Compiles `program`, or returns `nil` when it has 64 instructions or more.
        package init?(_ program: [Instruction]) {
            guard program.count < 64 else { return nil }
            var masks = [UInt64](repeating: 0, count: 256)
            var stars: UInt64 = 0
            var globstars: UInt64 = 0
            var slashOmittingGlobstars: UInt64 = 0
            for (index, instruction) in program.enumerated() {
                let bit: UInt64 = 1 << UInt64(index)
                switch instruction {
                case .byte(let byte):
                    masks[Int(byte)] |= bit
                case .anyByteExceptSlash:
                    for byte in masks.indices where byte != Int(ASCII.slash) { masks[byte] |= bit }
                case .byteSet(let set):
                    for byte in masks.indices where set.contains(UInt8(byte)) { masks[byte] |= bit }
                case .star:
                    stars |= bit
                case .globstar(let mayOmitSlash):
                    globstars |= bit
                    if mayOmitSlash { slashOmittingGlobstars |= bit }
                }
            }
            // Bytes with the same mask share a class: usually a handful of classes.
            var classOfMask: [UInt64: UInt8] = [:]
            var advancing: [UInt64] = []
            self.byteClasses = masks.map { mask in
                if let byteClass = classOfMask[mask] { return byteClass }
                let byteClass = UInt8(advancing.count)
                classOfMask[mask] = byteClass
                advancing.append(mask)
                return byteClass
            }
            self.advancing = advancing
            self.stars = stars
            self.globstars = globstars
            self.slashOmittingGlobstars = slashOmittingGlobstars
            self.accepting = 1 << UInt64(program.count)
        }

        /// Whether the program matches all of `text`.
        package func accepts(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
            byteClasses.withUnsafeBufferPointer { byteClasses in
                advancing.withUnsafeBufferPointer { advancing in
                    let repeatingOnSlash = globstars
                    let repeatingOnOtherBytes = stars | globstars
                    var states = entering(1)
                    for byte in text {
                        let moved = (states & advancing[Int(byteClasses[Int(byte)])]) << 1
                        let repeated = states & (byte == ASCII.slash ? repeatingOnSlash : repeatingOnOtherBytes)
                        // A star that matched one more byte may still match more, or stop there.
                        states = repeated | entering(moved | repeated << 1)
                        if states == 0 { return false }
                    }
                    return states & accepting != 0
                }
            }
        }

        /// `states` and the states reachable from them without reading a byte: a `*` or `**` may
        /// match nothing, and a `**/` just entered may match no directory at all.
        private func entering(_ states: UInt64) -> UInt64 {
            var states = states
            while true {
                let expanded =
                    states | (states & (stars | globstars)) << 1 | (states & slashOmittingGlobstars) << 2
                if expanded == states { return states }
                states = expanded
            }
        }
    }

    /// Runs a program of any length as a nondeterministic automaton, one state per instruction
    /// plus a final accepting one, with state sets on the stack. Used for the rare patterns that
    /// ``BitParallelProgram`` cannot take; it computes the same thing one state at a time.
    fileprivate struct Automaton {
        package let program: UnsafeBufferPointer<Instruction>

        /// Whether the program matches all of `text`.
        package func accepts(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
            let wordCount = (program.count + 1 + 63) / 64
            return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 2 * wordCount) { storage in
                storage.initialize(repeating: 0)
                var current = StateSet(words: UnsafeMutableBufferPointer(rebasing: storage[..<wordCount]))
                var next = StateSet(words: UnsafeMutableBufferPointer(rebasing: storage[wordCount...]))
                enter(0, into: &current)
                for byte in text {
                    next.removeAll()
                    current.forEach { state in
                        // The accepting state has no transitions: a match must end with the path.
                        guard state < program.count else { return }
                        switch program[state] {
                        case .byte(let expected):
                            if byte == expected { enter(state + 1, into: &next) }
                        case .anyByteExceptSlash:
                            if byte != ASCII.slash { enter(state + 1, into: &next) }
                        case .byteSet(let set):
                            if set.contains(byte) { enter(state + 1, into: &next) }
                        case .star:
                            if byte != ASCII.slash { remain(in: state, into: &next) }
                        case .globstar:
                            remain(in: state, into: &next)
                        }
                    }
                    guard !next.isEmpty else { return false }
                    swap(&current, &next)
                }
                return current.contains(program.count)
            }
        }

        /// Adds the state of a star that has just matched one more byte, and the state after it.
        /// Unlike ``enter(_:into:)`` this does not skip the `/` after a `**/`: once `**` has matched
        /// something, the `/` must follow.
        private func remain(in state: Int, into set: inout StateSet) {
            set.insert(state)
            enter(state + 1, into: &set)
        }

        /// Adds `state` and the states reachable from it without reading a byte: a `*` or `**` may
        /// match nothing, and a `**/` may match no directory at all. A loop, not recursion: a pattern
        /// of thousands of `**/` must not take a stack frame for each.
        private func enter(_ state: Int, into set: inout StateSet) {
            var state = state
            while !set.contains(state) {
                set.insert(state)
                guard state < program.count else { return }
                switch program[state] {
                case .star:
                    state += 1
                case .globstar(let mayOmitSlash):
                    // The `/` after a `**/` is the next state; reading on past it skips the `/`.
                    if mayOmitSlash { set.insert(state + 1) }
                    state += mayOmitSlash ? 2 : 1
                default:
                    return
                }
            }
        }
    }

    /// A set of automaton states, as bits in caller-provided words.
    fileprivate struct StateSet {
        package let words: UnsafeMutableBufferPointer<UInt64>

        package var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

        package func contains(_ state: Int) -> Bool { words[state >> 6] & (1 << UInt64(state & 63)) != 0 }

        package mutating func insert(_ state: Int) { words[state >> 6] |= 1 << UInt64(state & 63) }

        package mutating func removeAll() { words.update(repeating: 0) }

        /// Calls `body` with each state of the set, in increasing order.
        package func forEach(_ body: (Int) -> Void) {
            for index in words.indices {
                var remaining = words[index]
                while remaining != 0 {
                    body(index << 6 | remaining.trailingZeroBitCount)
                    remaining &= remaining - 1
                }
            }
        }
    }
}
