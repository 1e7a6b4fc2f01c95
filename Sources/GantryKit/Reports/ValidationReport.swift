import Foundation

/// How `gantry validate` presents its verdict.
public struct ValidationReport {
    /// The configuration file's name.
    public var file: String
    /// The configuration, when it is valid.
    public var configuration: Configuration?
    /// Every problem found, in file order.
    public var diagnostics: [Diagnostic]

    /// Creates a report.
    public init(file: String, configuration: Configuration?, diagnostics: [Diagnostic]) {
        self.file = file
        self.configuration = configuration
        self.diagnostics = diagnostics
    }

    /// One `file:line:col: message` line per problem, or a one-line summary of a valid file.
    public func text() -> String {
        guard diagnostics.isEmpty else {
            let count = diagnostics.count == 1 ? "1 problem" : "\(diagnostics.count) problems"
            return (diagnostics.map(\.description) + ["\(file): \(count)"]).joined(separator: "\n")
        }
        let services = configuration?.services.count ?? 0
        let groups = configuration?.groups.count ?? 0
        return "\(file): valid (\(services) services, \(groups) groups)"
    }

    /// `{"file", "valid", "diagnostics": [{"file", "line", "column", "message"}]}`.
    public func json() -> String {
        struct Entry: Encodable {
            var file: String
            var line: Int
            var column: Int
            var message: String
        }
        struct Document: Encodable {
            var file: String
            var valid: Bool
            var diagnostics: [Entry]
        }
        let document = Document(
            file: file, valid: diagnostics.isEmpty,
            diagnostics: diagnostics.map {
                Entry(file: $0.location.file, line: $0.location.line, column: $0.location.column, message: $0.message)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(document)) ?? Data(), as: UTF8.self)
    }
}
