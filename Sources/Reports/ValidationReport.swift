import Basics
import Config

/// What `gantry validate` found, as `--format json` prints it and the state directory records it.
package struct ValidationDocument: Codable, Sendable, Equatable {
    /// One problem.
    package struct Entry: Codable, Sendable, Equatable {
        /// The file, relative to the repository root.
        package var file: String
        /// The 1-based line.
        package var line: Int
        /// The 1-based column.
        package var column: Int
        /// The kind of problem (a SARIF rule's last component).
        package var kind: String
        /// What is wrong and what was expected.
        package var message: String
    }

    /// The configuration file.
    package var file: String
    /// Whether it is valid.
    package var valid: Bool
    /// How many services it defines, when valid.
    package var services: Int?
    /// How many groups it defines, when valid.
    package var groups: Int?
    /// Every problem, in file order.
    package var diagnostics: [Entry]

    /// The verdict on a valid configuration.
    package init(valid configuration: Configuration) {
        file = configuration.file
        valid = true
        services = configuration.services.count
        groups = configuration.groups.count
        diagnostics = []
    }

    /// The verdict on an invalid configuration.
    package init(file: String, diagnostics: [Diagnostic]) {
        self.file = file
        valid = false
        self.diagnostics = diagnostics.map {
            Entry(file: $0.location.file, line: $0.location.line, column: $0.location.column, kind: $0.kind.rawValue, message: $0.message)
        }
    }

    /// The diagnostics again, for annotations and SARIF.
    package var problems: [Diagnostic] {
        diagnostics.map {
            Diagnostic(
                $0.message, at: SourceLocation(file: $0.file, line: $0.line, column: $0.column),
                kind: Diagnostic.Kind(rawValue: $0.kind) ?? .invalidValue)
        }
    }
}

/// How `gantry validate` presents its verdict.
package struct ValidationReport {
    /// The verdict.
    package var document: ValidationDocument

    /// Creates a report.
    package init(_ document: ValidationDocument) { self.document = document }

    /// One `file:line:col: message` line per problem, or a one-line summary of a valid file.
    package func text() -> String {
        guard !document.valid else {
            return "\(document.file): valid (\(counted(document.services ?? 0, "service")), \(counted(document.groups ?? 0, "group")))"
        }
        let lines = document.problems.map(\.description) + ["\(document.file): \(counted(document.diagnostics.count, "problem"))"]
        return lines.map(UntrustedText.escapingControlCharacters).joined(separator: "\n")
    }

    /// The `--format json` document.
    package func json() -> String { JSON.encode(document, pretty: true) }
}
