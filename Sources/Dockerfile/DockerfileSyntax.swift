import Basics

/// A Dockerfile split into instructions as BuildKit's parser splits it: parser directives at the
/// top, comments, line continuations with the escape character, and here-documents.
package struct DockerfileSyntax: Sendable {
    /// One instruction, its continuation lines joined.
    package struct Instruction: Sendable, Equatable {
        /// The instruction's word, uppercased: `COPY`.
        package var keyword: String
        /// Everything after the word, continuations joined without the escape character.
        package var arguments: String
        /// The line the instruction starts on.
        package var line: Int
        /// The here-documents that follow it, in order.
        package var heredocs: [Heredoc]
    }

    /// A here-document (`<<EOF` … `EOF`).
    package struct Heredoc: Sendable, Equatable {
        /// The word that ends it.
        package var name: String
        /// Its lines.
        package var content: String
    }

    /// The file's path, for messages.
    package var file: String
    /// `# syntax=` and the line it is on, when the file names a frontend.
    package var syntax: (value: String, line: Int)?
    /// The escape character: `\`, or `` ` `` with `# escape=``.
    package var escape: Character
    /// The instructions, in order.
    package var instructions: [Instruction]

    /// Splits a Dockerfile's text.
    ///
    /// - Throws: `DockerfileError` at the line where a limit is passed or a here-document never ends.
    package init(text: String, file: String) throws(DockerfileError) {
        typealias Limits = ConfigurationLimits.Dockerfile
        self.file = file
        escape = "\\"
        instructions = []
        guard text.utf8.count <= Limits.fileSize else {
            throw DockerfileError(
                "the Dockerfile is larger than \(Limits.fileSize / 1024) KiB; expected one below that size", file: file, line: 1)
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count <= Limits.lines else {
            throw DockerfileError("the Dockerfile has more than \(Limits.lines) lines; expected fewer", file: file, line: Limits.lines + 1)
        }
        if let first = lines.first, first.hasPrefix("\u{FEFF}") { lines[0] = first.dropFirst() }
        for index in lines.indices where lines[index].hasSuffix("\r") { lines[index] = lines[index].dropLast() }

        var index = 0
        // Directives are comments of the form `# key=value` before anything else; the first other line ends them.
        while index < lines.count, let (key, value) = Self.directive(in: lines[index]) {
            switch key {
            case "syntax": syntax = (value, index + 1)
            case "escape":
                guard value == "\\" || value == "`" else {
                    throw DockerfileError(
                        "`# escape=\(value)` is not an escape character; expected `\\` or `` ` ``", file: file, line: index + 1)
                }
                escape = Character(value)
            default: break
            }
            index += 1
        }

        var heredocCount = 0
        while index < lines.count {
            let trimmed = lines[index].trimmingWhitespace()
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else {
                index += 1
                continue
            }
            let start = index + 1
            var logical = ""
            var continued = 0
            while index < lines.count {
                let current = lines[index]
                index += 1
                let content = current.trimmingTrailingWhitespace()
                guard content.last == escape else {
                    logical += current
                    break
                }
                logical += content.dropLast()
                continued += 1
                guard continued <= Limits.continuationLines else {
                    throw DockerfileError(
                        "an instruction continues over more than \(Limits.continuationLines) lines; expected fewer", file: file,
                        line: start)
                }
                // Comments and empty lines inside a continued instruction are skipped, as the builder skips them.
                while index < lines.count, lines[index].trimmingWhitespace().isEmpty || lines[index].trimmingWhitespace().hasPrefix("#") {
                    index += 1
                }
            }
            let words = logical.trimmingWhitespace()
            let keywordEnd = words.firstIndex { $0 == " " || $0 == "\t" } ?? words.endIndex
            var instruction = Instruction(
                keyword: words[..<keywordEnd].uppercased(), arguments: String(words[keywordEnd...].trimmingWhitespace()), line: start,
                heredocs: [])
            if ["RUN", "COPY", "ADD"].contains(instruction.keyword) {
                for (name, stripsTabs) in Self.heredocMarkers(in: instruction.arguments) {
                    heredocCount += 1
                    guard heredocCount <= Limits.heredocs else {
                        throw DockerfileError(
                            "the Dockerfile has more than \(Limits.heredocs) here-documents; expected fewer", file: file, line: start)
                    }
                    var content: [Substring] = []
                    var closed = false
                    while index < lines.count {
                        let line = stripsTabs ? lines[index].drop { $0 == "\t" } : lines[index]
                        index += 1
                        if line == name {
                            closed = true
                            break
                        }
                        content.append(line)
                    }
                    guard closed else {
                        throw DockerfileError(
                            "the here-document `<<\(name)` is never closed; expected a line that is exactly `\(name)`", file: file,
                            line: start)
                    }
                    instruction.heredocs.append(Heredoc(name: name, content: content.joined(separator: "\n")))
                }
            }
            instructions.append(instruction)
        }
    }

    /// `(key, value)` when `line` is a parser directive of a known key.
    private static func directive(in line: Substring) -> (String, String)? {
        let trimmed = line.trimmingWhitespace()
        guard trimmed.hasPrefix("#") else { return nil }
        let body = trimmed.dropFirst().trimmingWhitespace()
        guard let equals = body.firstIndex(of: "=") else { return nil }
        let key = body[..<equals].trimmingWhitespace().lowercased()
        guard ["syntax", "escape", "check"].contains(key) else { return nil }
        return (key, String(body[body.index(after: equals)...].trimmingWhitespace()))
    }

    /// The here-documents an instruction opens: `<<EOF`, `<<-EOF` (leading tabs stripped), `<<"EOF"`.
    static func heredocMarkers(in arguments: String) -> [(name: String, stripsTabs: Bool)] {
        var markers: [(String, Bool)] = []
        var rest = Substring(arguments)
        while let range = rest.range(of: "<<") {
            var after = rest[range.upperBound...]
            // A marker starts a word (`3<<EOF` names a descriptor); `echo "a<<b"` opens nothing.
            let before = rest[..<range.lowerBound].reversed().drop { $0.isNumber }.first
            guard before == nil || before?.isWhitespace == true else {
                rest = after
                continue
            }
            let stripsTabs = after.first == "-"
            if stripsTabs { after = after.dropFirst() }
            let quote = after.first.flatMap { $0 == "\"" || $0 == "'" ? $0 : nil }
            if quote != nil { after = after.dropFirst() }
            let name = after.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }
            rest = after[name.endIndex...]
            if let quote {
                guard rest.first == quote else { continue }
                rest = rest.dropFirst()
            }
            if let first = name.first, first.isLetter || first == "_" { markers.append((String(name), stripsTabs)) }
        }
        return markers
    }
}
