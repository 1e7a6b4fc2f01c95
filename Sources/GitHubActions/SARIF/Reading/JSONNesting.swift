import Foundation

/// The nesting of JSON text, measured before it is parsed: a parser recurses once per level, so a
/// file of a million `[` must be refused before one.
enum JSONNesting {
    /// The line and column of the first bracket that opens level `limit + 1`, or nil when the text
    /// nests no deeper than `limit`.
    static func firstPlace(deeperThan limit: Int, in data: Data) -> (line: Int, column: Int)? {
        var depth = 0
        var line = 1
        var column = 0
        var isInString = false
        var isEscaped = false
        for byte in data {
            column += 1
            if isInString {
                if isEscaped {
                    isEscaped = false
                } else if byte == UInt8(ascii: "\\") {
                    isEscaped = true
                } else if byte == UInt8(ascii: "\"") {
                    isInString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): isInString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit { return (line, column) }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            case UInt8(ascii: "\n"):
                line += 1
                column = 0
            default: break
            }
        }
        return nil
    }

}
