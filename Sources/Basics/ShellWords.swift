/// Splits a command line into words the way a POSIX shell does before it expands anything: blanks
/// separate words, single quotes keep everything literally, double quotes keep everything but `\"`,
/// `\\`, `\$` and `` \` ``, a backslash outside quotes keeps the next character, a backslash before
/// a newline joins lines, and `#` at the start of a word comments out the rest of its line.
///
/// Nothing is ever expanded, substituted or globbed: `$(touch x)`, `$HOME`, `*` and `;` are plain
/// characters. This is how the action turns its `command` input into gantry's arguments without a
/// shell, so that no value a workflow puts into that input can run anything.
package enum ShellWords {
    /// The longest command line accepted: far beyond any real one, small enough to parse at once.
    package static let maximumLength = 64 * 1024

    /// The words of `text`.
    ///
    /// - Throws: `GantryError.usage` for an unterminated quote, a trailing backslash, a control
    ///   operator (`;`, `&&`, `|` …) standing alone, since no shell runs the line, or text longer
    ///   than `maximumLength`.
    package static func split(_ text: String) throws(GantryError) -> [String] {
        guard text.utf8.count <= maximumLength else {
            throw .usage("the command is \(text.utf8.count) bytes long; at most \(maximumLength) are accepted")
        }
        var words: [String] = []
        var word = ""
        var inWord = false
        // Scalars, not characters: "\r\n" is one Character, and a quote followed by a combining
        // mark would be another, so neither would be seen for what the shell sees in it.
        var characters = Array(text.unicodeScalars)[...]
        func endWord() {
            if inWord { words.append(word) }
            word = ""
            inWord = false
        }
        while let character = characters.popFirst() {
            switch character {
            case " ", "\t", "\n", "\r":
                endWord()
            case "#" where !inWord:
                while let next = characters.first, next != "\n" { characters.removeFirst() }
            case "\\":
                guard let next = characters.popFirst() else {
                    throw .usage("the command ends with a backslash that escapes nothing")
                }
                if next != "\n" {
                    word.unicodeScalars.append(next)
                    inWord = true
                }
            case "'":
                inWord = true
                guard let end = characters.firstIndex(of: "'") else {
                    throw .usage("the command has a single quote (') that is never closed")
                }
                word.unicodeScalars.append(contentsOf: characters[..<end])
                characters = characters[(end + 1)...]
            case "\"":
                inWord = true
                var closed = false
                while let next = characters.popFirst() {
                    if next == "\"" {
                        closed = true
                        break
                    }
                    if next == "\\", let escaped = characters.first, "\"\\$`\n".unicodeScalars.contains(escaped) {
                        characters.removeFirst()
                        if escaped != "\n" { word.unicodeScalars.append(escaped) }
                    } else {
                        word.unicodeScalars.append(next)
                    }
                }
                guard closed else {
                    throw .usage("the command has a double quote (\") that is never closed")
                }
            default:
                word.unicodeScalars.append(character)
                inWord = true
            }
        }
        endWord()
        try rejectOperators(in: text, words: words)
        return words
    }

    /// A shell would run `changes && gantry tags` as two commands; here it would be one command with
    /// strange arguments, so say what happened instead of letting the parser complain about `&&`.
    private static func rejectOperators(in text: String, words: [String]) throws(GantryError) {
        let operators: Set<String> = [";", "&", "&&", "|", "||", "<", ">", ">>", "2>", "2>&1", "|&"]
        // Only an operator written bare counts: a quoted "|" is an argument on purpose.
        let bare = Set(text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init))
        if let found = words.first(where: { operators.contains($0) && bare.contains($0) }) {
            throw .usage(
                "the command contains `\(found)`, but it is one gantry command line and no shell runs it: "
                    + "use one step per command, or quote the `\(found)` if it is an argument")
        }
    }
}
