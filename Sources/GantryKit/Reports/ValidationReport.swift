/// What `gantry validate` found, as `--format json` prints it and the state directory records it.
public struct ValidationDocument: Codable, Sendable, Equatable {
    /// One problem.
    public struct Entry: Codable, Sendable, Equatable {
        /// The file, relative to the repository root.
        public var file: String
        /// The 1-based line.
        public var line: Int
        /// The 1-based column.
        public var column: Int
        /// The kind of problem (a SARIF rule's last component).
        public var kind: String
        /// What is wrong and what was expected.
        public var message: String
    }

    /// The configuration file.
    public var file: String
    /// Whether it is valid.
    public var valid: Bool
    /// How many services it defines, when valid.
    public var services: Int?
    /// How many groups it defines, when valid.
    public var groups: Int?
    /// Every problem, in file order.
    public var diagnostics: [Entry]

    /// The verdict on a valid configuration.
    public init(valid configuration: Configuration) {
        file = configuration.file
        valid = true
        services = configuration.services.count
        groups = configuration.groups.count
        diagnostics = []
    }

    /// The verdict on an invalid configuration.
    public init(file: String, diagnostics: [Diagnostic]) {
        self.file = file
        valid = false
        self.diagnostics = diagnostics.map {
            Entry(file: $0.location.file, line: $0.location.line, column: $0.location.column, kind: $0.kind.rawValue, message: $0.message)
        }
    }

    /// The diagnostics again, for annotations and SARIF.
    public var problems: [Diagnostic] {
        diagnostics.map {
            Diagnostic(
                $0.message, at: SourceLocation(file: $0.file, line: $0.line, column: $0.column),
                kind: Diagnostic.Kind(rawValue: $0.kind) ?? .invalidValue)
        }
    }
}

/// How `gantry validate` presents its verdict.
public struct ValidationReport {
    /// The verdict.
    public var document: ValidationDocument

    /// Creates a report.
    public init(_ document: ValidationDocument) { self.document = document }

    /// One `file:line:col: message` line per problem, or a one-line summary of a valid file.
    public func text() -> String {
        guard !document.valid else {
            return "\(document.file): valid (\(counted(document.services ?? 0, "service")), \(counted(document.groups ?? 0, "group")))"
        }
        let lines = document.problems.map(\.description) + ["\(document.file): \(counted(document.diagnostics.count, "problem"))"]
        return lines.map(UntrustedText.escapingControlCharacters).joined(separator: "\n")
    }

    /// The `--format json` document.
    public func json() -> String { JSON.encode(document, pretty: true) }
}
