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
    /// Where the problem is.
    public var location: SourceLocation
    /// What is wrong and what was expected.
    public var message: String

    /// Creates a diagnostic.
    public init(_ message: String, at location: SourceLocation) {
        self.message = message
        self.location = location
    }

    /// `file:line:col: message`.
    public var description: String { "\(location): \(message)" }
}
