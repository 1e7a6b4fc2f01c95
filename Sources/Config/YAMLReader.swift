import Basics
import Foundation
import PathPattern
import Yams

/// Reads values out of a YAML tree, collecting every type error as a located diagnostic instead of
/// stopping at the first, so that `gantry validate` reports all problems in one run.
struct YAMLReader {
    /// A mapping entry whose key is a plain string.
    struct Entry {
        var key: String
        var keyNode: Node
        var value: Node
    }

    let file: String
    /// The text's lines, to locate the lines of a block scalar, which libyaml does not.
    private let sourceLines: [Substring]
    private(set) var diagnostics: [Diagnostic] = []
    /// The globs compiled so far, by text: services repeat the same ones (`**/*.md`), and compiling
    /// one costs more than looking it up.
    var compiledPatterns: [String: PathPattern] = [:]

    init(file: String, text: String) {
        self.file = file
        self.sourceLines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    func location(of node: Node) -> SourceLocation {
        let mark = node.mark
        return SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    /// Where the character at `offset` of a one-line scalar is: past its opening quote, if any.
    func location(of node: Node, offset: Int) -> SourceLocation {
        var location = location(of: node)
        if case .scalar(let scalar) = node, scalar.style == .singleQuoted || scalar.style == .doubleQuoted { location.column += 1 }
        location.column += max(0, offset)
        return location
    }

    mutating func report(_ message: String, at node: Node, kind: Diagnostic.Kind) {
        report(message, at: location(of: node), kind: kind)
    }

    mutating func report(_ message: String, at location: SourceLocation, kind: Diagnostic.Kind) {
        diagnostics.append(Diagnostic(message, at: location, kind: kind))
    }

    /// The entries of a mapping, or nil (with a diagnostic) when the node is something else.
    mutating func mapping(_ node: Node, _ field: String, expected: String) -> [Entry]? {
        guard case .mapping(let mapping) = node else {
            report("`\(field)` must be \(expected), got \(describe(node))", at: node, kind: .wrongType)
            return nil
        }
        var entries: [Entry] = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                report("keys of `\(field)` must be plain names, got \(describe(key))", at: key, kind: .wrongType)
                continue
            }
            entries.append(Entry(key: scalar.string, keyNode: key, value: value))
        }
        return entries
    }

    /// The first `limit` entries; past them, a diagnostic at the first entry over the limit.
    mutating func first(_ limit: Int, of entries: [Entry], _ things: String) -> ArraySlice<Entry> {
        if entries.count > limit {
            report("more than \(limit) \(things); expected at most \(limit)", at: entries[limit].keyNode, kind: .invalidValue)
        }
        return entries.prefix(limit)
    }

    /// Reports every key that is not among `known`, with the closest known key as a suggestion.
    mutating func rejectUnknownKeys(_ entries: [Entry], known: [String], in field: String) {
        for entry in entries where !known.contains(entry.key) {
            let hint = suggestion(for: entry.key, among: known)
            report(
                "unknown key `\(entry.key)` in \(field)\(hint) (expected one of: \(known.joined(separator: ", ")))",
                at: entry.keyNode, kind: .unknownKey)
        }
    }

    /// A non-empty string scalar, or nil (with a diagnostic).
    mutating func string(_ node: Node, _ field: String) -> String? {
        guard case .scalar(let scalar) = node, !isNull(node) else {
            report("`\(field)` must be a string, got \(describe(node))", at: node, kind: .wrongType)
            return nil
        }
        guard !scalar.string.isEmpty else {
            report("`\(field)` must not be empty", at: node, kind: .invalidValue)
            return nil
        }
        return scalar.string
    }

    /// An integer scalar, or nil (with a diagnostic).
    mutating func integer(_ node: Node, _ field: String) -> Int? {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string) else {
            report("`\(field)` must be a whole number, got \(describe(node))", at: node, kind: .wrongType)
            return nil
        }
        return value
    }

    /// An integer scalar within `range`, or nil (with a diagnostic).
    mutating func integer(_ node: Node, _ field: String, in range: ClosedRange<Int>) -> Int? {
        guard let value = integer(node, field) else { return nil }
        guard range.contains(value) else {
            report("`\(field)` must be from \(range.lowerBound) to \(range.upperBound); got \(value)", at: node, kind: .invalidValue)
            return nil
        }
        return value
    }

    /// `true` or `false`, or nil (with a diagnostic).
    mutating func bool(_ node: Node, _ field: String) -> Bool? {
        guard case .scalar(let scalar) = node, scalar.style == .plain, ["true", "false"].contains(scalar.string) else {
            report("`\(field)` must be true or false, got \(describe(node))", at: node, kind: .wrongType)
            return nil
        }
        return scalar.string == "true"
    }

    /// A positive duration such as `500ms`, `5s` or `2m`, or nil (with a diagnostic).
    mutating func duration(_ node: Node, _ field: String) -> Duration? {
        guard case .scalar(let scalar) = node, let duration = DurationText.parse(scalar.string), duration > .zero else {
            report("`\(field)` must be a duration such as 500ms, 5s or 2m, got \(describe(node))", at: node, kind: .invalidValue)
            return nil
        }
        return duration
    }

    /// A scalar as the JSON value it reads as: plain `true`, `12`, `null` are JSON's, anything quoted is a string.
    mutating func jsonValue(_ node: Node, _ field: String) -> JSONValue? {
        guard case .scalar(let scalar) = node else {
            report("`\(field)` must be a string, number, true, false or null, got \(describe(node))", at: node, kind: .wrongType)
            return nil
        }
        guard scalar.style == .plain else { return .string(scalar.string) }
        if isNull(node) { return .null }
        if scalar.string == "true" || scalar.string == "false" { return .bool(scalar.string == "true") }
        if let number = Double(scalar.string), number.isFinite { return .number(number) }
        return .string(scalar.string)
    }

    /// A list of strings; a single string is accepted as a list of one. Nil (with a diagnostic)
    /// for anything else.
    mutating func strings(_ node: Node, _ field: String) -> [(value: String, node: Node)]? {
        switch node {
        case .scalar where !isNull(node):
            return string(node, field).map { [($0, node)] }
        case .sequence(let sequence):
            var values: [(String, Node)] = []
            for (index, item) in sequence.enumerated() {
                if let value = string(item, "\(field)[\(index)]") { values.append((value, item)) }
            }
            return values
        default:
            report("`\(field)` must be a list of strings, got \(describe(node))", at: node, kind: .wrongType)
            return nil
        }
    }

    /// Whether `node` is a list written `[a, b]`. Read from the text: Yams (6.2) reports the style of
    /// the list's end event, not its start.
    func isFlowSequence(_ node: Node) -> Bool {
        guard case .sequence = node, let mark = node.mark, sourceLines.indices.contains(mark.line - 1) else { return false }
        let line = sourceLines[mark.line - 1].unicodeScalars
        guard mark.column >= 1, mark.column <= line.count else { return false }
        return line[line.index(line.startIndex, offsetBy: mark.column - 1)] == "["
    }

    /// One entry of a list written either as a YAML list or as a block of lines.
    struct Line {
        /// The entry, trimmed.
        var text: String
        /// Where the entry's character at an offset is.
        var location: (Int) -> SourceLocation
    }

    /// The entries of a list of strings, or of one string with an entry per line (the way
    /// docker/metadata-action's inputs are written, so they can be pasted as they are). Blank lines
    /// and lines that start with `#` are skipped; a line longer than ``ConfigurationLimits/ruleLength``
    /// is reported and skipped.
    mutating func lines(of node: Node, _ field: String) -> [Line] {
        guard let strings = strings(node, field) else { return [] }
        var lines: [Line] = []
        for (value, item) in strings {
            guard case .scalar(let scalar) = item else { continue }
            let mark = location(of: item)
            let isBlock = scalar.style == .literal || scalar.style == .folded
            for (index, rawLine) in value.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let leading = rawLine.prefix { $0 == " " || $0 == "\t" }.count
                let text = rawLine.trimmingCharacters(in: .whitespaces)
                guard !text.isEmpty, !text.hasPrefix("#") else { continue }
                let start: SourceLocation
                if isBlock {
                    // A block's lines start on the line after its `|`, indented as the source shows.
                    let line = mark.line + 1 + index
                    let source = sourceLines.indices.contains(line - 1) ? sourceLines[line - 1] : ""
                    let indent = source.prefix { $0 == " " || $0 == "\t" }.count
                    start = SourceLocation(file: file, line: line, column: indent + 1)
                } else if index == 0 {
                    start = location(of: item, offset: leading)
                } else {
                    start = SourceLocation(file: file, line: mark.line + index, column: 1 + leading)
                }
                guard text.count <= ConfigurationLimits.ruleLength else {
                    report(
                        "this entry of `\(field)` is \(text.count) characters long; expected at most \(ConfigurationLimits.ruleLength)",
                        at: start, kind: .invalidValue)
                    continue
                }
                lines.append(
                    Line(text: String(text)) { offset in
                        SourceLocation(file: start.file, line: start.line, column: start.column + max(0, offset))
                    })
            }
        }
        return lines
    }

    private func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.style == .plain
            && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// Whether `node` is an unquoted number or boolean: YAML's reading of `5` or `true`, which
    /// where a path is expected is a slip rather than a directory named so.
    func isNumberOrBoolean(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
        return Int(scalar.string) != nil || Double(scalar.string) != nil || Self.booleans.contains(scalar.string)
    }

    private static let booleans = ["true", "True", "TRUE", "false", "False", "FALSE"]

    /// How a node reads in an error message: "a list", "the number 3", "nothing".
    func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            if isNull(node) { return "nothing" }
            if scalar.style == .plain, Int(scalar.string) != nil || Double(scalar.string) != nil {
                return "the number \(scalar.string)"
            }
            if scalar.style == .plain, Self.booleans.contains(scalar.string) { return "the boolean \(scalar.string)" }
            return "the string \"\(scalar.string)\""
        }
    }
}
