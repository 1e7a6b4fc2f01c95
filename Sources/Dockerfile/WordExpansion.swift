import Basics

/// Expands an instruction's words as BuildKit's shell lexer does (frontend/dockerfile/shell):
/// quotes, the escape character, `$NAME`, `${NAME}`, `${NAME:-word}`, `${NAME-word}`,
/// `${NAME:+word}` and `${NAME+word}`; words split at unquoted blanks.
struct WordExpansion {
    /// Why a word cannot be known before the build.
    enum Unknown: Error, Equatable {
        /// A build argument declared without a value, and none given in `build_args`.
        case noValue(String)
        /// A name the stage never declares, which the base image's environment may define.
        case fromBaseImage(String)
        /// An operator gantry does not evaluate, such as `${NAME%suffix}`.
        case unsupported(String)
        /// Nesting or length past the limits.
        case tooLarge(String)

        var reason: String {
            switch self {
            case .noValue(let name): "uses the build argument \(name), which has no value (give it one in build_args)"
            case .fromBaseImage(let name): "uses $\(name), which only the base image's environment could define"
            case .unsupported(let text): "uses `\(text)`, an expansion gantry does not evaluate"
            case .tooLarge(let what): what
            }
        }
    }

    /// Each name in scope: a value, or nil for an argument declared without one.
    var variables: [String: String?]
    /// The Dockerfile's escape character.
    var escape: Character
    /// Whether a name the stage does not declare may come from its base image.
    var baseImageMayDefine: Bool

    /// The words of `text`, split at unquoted blanks.
    func words(_ text: String) throws(Unknown) -> [String] {
        var lexer = Lexer(characters: Array(text), expansion: self)
        return try lexer.words(splitting: true)
    }

    /// `text` expanded as one word, quotes removed and blanks kept, as BuildKit's `ProcessWord`
    /// expands a JSON-form element, a flag's value, or an `ARG` or `ENV` value.
    func word(_ text: String) throws(Unknown) -> String {
        var lexer = Lexer(characters: Array(text), expansion: self)
        return try lexer.words(splitting: false).joined()
    }

    /// The words of `ARG` or `ENV` arguments, split at unquoted blanks with their quotes and escapes
    /// kept, as BuildKit's parser splits them before expanding each value.
    static func unexpandedWords(_ text: some StringProtocol, escape: Character) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var escaped = false
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
                continue
            }
            if quote == nil && (character == " " || character == "\t") {
                if !current.isEmpty { words.append(current) }
                current = ""
                continue
            }
            current.append(character)
            if character == escape && quote != "'" {
                escaped = true
            } else if character == quote {
                quote = nil
            } else if quote == nil && (character == "'" || character == "\"") {
                quote = character
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    func value(of name: String) throws(Unknown) -> String? {
        if let entry = variables[name] {
            guard let value = entry else { throw .noValue(name) }
            return value
        }
        if baseImageMayDefine { throw .fromBaseImage(name) }
        return nil
    }

    private struct Lexer {
        let characters: [Character]
        let expansion: WordExpansion
        var index = 0
        var length = 0

        mutating func words(splitting: Bool) throws(Unknown) -> [String] {
            var words: [String] = []
            var current = ""
            var inWord = false
            while index < characters.count {
                let character = characters[index]
                index += 1
                if splitting && (character == " " || character == "\t") {
                    if inWord { words.append(current) }
                    current = ""
                    inWord = false
                    continue
                }
                inWord = true
                switch character {
                case "'":
                    while index < characters.count, characters[index] != "'" {
                        current.append(characters[index])
                        index += 1
                    }
                    index += 1
                case "\"":
                    while index < characters.count, characters[index] != "\"" {
                        let inner = characters[index]
                        index += 1
                        if inner == expansion.escape, index < characters.count, ["\"", "$", expansion.escape].contains(characters[index]) {
                            current.append(characters[index])
                            index += 1
                        } else if inner == "$" {
                            try append(try dollar(depth: 0), to: &current)
                        } else {
                            current.append(inner)
                        }
                    }
                    index += 1
                case expansion.escape:
                    if index < characters.count {
                        current.append(characters[index])
                        index += 1
                    }
                case "$":
                    try append(try dollar(depth: 0), to: &current)
                default:
                    current.append(character)
                }
                length += 1
                guard length <= ConfigurationLimits.Dockerfile.expandedLength else {
                    throw .tooLarge("expands past \(ConfigurationLimits.Dockerfile.expandedLength) bytes")
                }
            }
            if inWord { words.append(current) }
            return words
        }

        private mutating func append(_ text: String, to word: inout String) throws(Unknown) {
            length += text.utf8.count
            guard length <= ConfigurationLimits.Dockerfile.expandedLength else {
                throw .tooLarge("expands past \(ConfigurationLimits.Dockerfile.expandedLength) bytes")
            }
            word += text
        }

        /// The value of the expansion after a `$`.
        private mutating func dollar(depth: Int) throws(Unknown) -> String {
            guard depth < ConfigurationLimits.Dockerfile.expansionDepth else {
                throw .tooLarge("nests `${…}` deeper than \(ConfigurationLimits.Dockerfile.expansionDepth) levels")
            }
            guard index < characters.count else { return "$" }
            guard characters[index] == "{" else {
                let name = readName()
                return name.isEmpty ? "$" : try expansion.value(of: name) ?? ""
            }
            let start = index - 1
            index += 1
            let name = readName()
            guard !name.isEmpty, index < characters.count else { throw .unsupported(String(characters[start...])) }
            if characters[index] == "}" {
                index += 1
                return try expansion.value(of: name) ?? ""
            }
            let colon = characters[index] == ":"
            if colon { index += 1 }
            guard index < characters.count, characters[index] == "-" || characters[index] == "+" else {
                throw .unsupported(String(characters[start..<min(characters.count, index + 1)]))
            }
            let isDefault = characters[index] == "-"
            index += 1
            let word = try braced(depth: depth)
            let value = try expansion.value(of: name)
            let isSet = colon ? !(value ?? "").isEmpty : value != nil
            return isDefault ? (isSet ? value ?? "" : word) : (isSet ? word : "")
        }

        /// The word of `${NAME:-word}` up to its closing brace, expanded.
        private mutating func braced(depth: Int) throws(Unknown) -> String {
            var word = ""
            while index < characters.count {
                let character = characters[index]
                index += 1
                switch character {
                case "}": return word
                case "$": try append(try dollar(depth: depth + 1), to: &word)
                case expansion.escape where index < characters.count:
                    word.append(characters[index])
                    index += 1
                default: word.append(character)
                }
            }
            throw .unsupported("${… without its closing }")
        }

        private mutating func readName() -> String {
            let start = index
            while index < characters.count, characters[index].isASCII,
                characters[index].isLetter || characters[index].isNumber || characters[index] == "_"
            {
                index += 1
            }
            return String(characters[start..<index])
        }
    }
}
