/// A place in a text file: 1-based line and column.
package struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The file's path as the user named it (relative paths stay relative, for `file:line:col` output).
    package var file: String
    /// The 1-based line.
    package var line: Int
    /// The 1-based column, counted in Unicode scalars as libyaml does.
    package var column: Int

    /// Creates a location.
    package init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:col`, the form editors and GitHub annotations understand.
    package var description: String { "\(file):\(line):\(column)" }
}

/// A problem found in a user's file, located precisely enough to jump to.
package struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    /// The kind of problem, for reports that group or look up problems by kind (SARIF rules).
    package enum Kind: String, Sendable, Codable, CaseIterable {
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
    package var location: SourceLocation
    /// What is wrong and what was expected.
    package var message: String
    /// The kind of problem.
    package var kind: Kind

    /// Creates a diagnostic.
    package init(_ message: String, at location: SourceLocation, kind: Kind) {
        self.message = message
        self.location = location
        self.kind = kind
    }

    /// `file:line:col: message`.
    package var description: String { "\(location): \(message)" }
}
