import Basics

/// A Dockerfile or ignore file gantry cannot read: what is wrong, where, and what was expected.
package struct DockerfileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Where the problem is; the column is 1 when only the line is known.
    package var location: SourceLocation
    /// What is wrong and what was expected.
    package var message: String

    /// Creates an error at a line of a file.
    package init(_ message: String, file: String, line: Int, column: Int = 1) {
        self.location = SourceLocation(file: file, line: line, column: column)
        self.message = message
    }

    /// `file:line:col: message`.
    package var description: String { "\(location): \(message)" }
}
