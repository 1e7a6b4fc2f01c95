/// A place in a text file: 1-based line and column.
public struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The file's path as the user named it (relative paths stay relative, for `file:line:col` output).
    public var file: String
    /// The 1-based line.
    public var line: Int
    /// The 1-based column, counted in Unicode scalars as libyaml does.
    public var column: Int

    /// Creates a location.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:col`, the form editors and GitHub annotations understand.
    public var description: String { "\(file):\(line):\(column)" }
}

/// A problem found in a user's file, located precisely enough to jump to.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    /// The kind of problem, for reports that group or look up problems by kind (SARIF rules).
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// The file is not YAML, or is empty.
        case invalidYAML = "invalid-yaml"
        /// The file does not exist or cannot be read.
        case missingFile = "missing-file"
        /// A key gantry does not know.
        case unknownKey = "unknown-key"
        /// A value of the wrong type: a list where a string belongs.
        case wrongType = "wrong-type"
        /// A value of the right type that is not allowed.
        case invalidValue = "invalid-value"
        /// A `depends_on` entry that names nothing.
        case unknownDependency = "unknown-dependency"
        /// `depends_on` entries that lead back to where they started.
        case dependencyCycle = "dependency-cycle"
        /// A glob that cannot be parsed.
        case invalidGlob = "invalid-glob"
        /// A service or group name that is invalid, reserved, or taken.
        case invalidName = "invalid-name"
    }

    /// Where the problem is.
    public var location: SourceLocation
    /// What is wrong and what was expected.
    public var message: String
    /// The kind of problem.
    public var kind: Kind

    /// Creates a diagnostic.
    public init(_ message: String, at location: SourceLocation, kind: Kind) {
        self.message = message
        self.location = location
        self.kind = kind
    }

    /// `file:line:col: message`.
    public var description: String { "\(location): \(message)" }
}
