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
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String) { self.file = file }

    func location(of node: Node) -> SourceLocation {
        let mark = node.mark
        return SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    mutating func report(_ message: String, at node: Node, kind: Diagnostic.Kind) {
        diagnostics.append(Diagnostic(message, at: location(of: node), kind: kind))
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

    /// Reports every key that is not among `known`, with the closest known key as a suggestion.
    mutating func rejectUnknownKeys(_ entries: [Entry], known: [String], in field: String) {
        for entry in entries where !known.contains(entry.key) {
            let hint = closestMatch(to: entry.key, among: known).map { "; did you mean `\($0)`?" } ?? ""
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

    private func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.style == .plain
            && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

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
            return "the string \"\(scalar.string)\""
        }
    }
}
