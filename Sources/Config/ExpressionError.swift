/// Why an expression written in `gantry.yml` or on the command line, a `${…}` template or a JSON
/// path, cannot be parsed. The loader turns it into a diagnostic at the value's line and column.
package struct ExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong and what was expected.
    package var message: String
    /// The character offset in the expression where it goes wrong.
    package var offset: Int

    /// An error at `offset` of the expression.
    package init(_ message: String, at offset: Int) {
        self.message = message
        self.offset = offset
    }

    package var description: String { message }
}
