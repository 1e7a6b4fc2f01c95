import Basics
import Foundation

/// A value of a SARIF file with its JSON path (`$.runs[0].results[3]`), so that an error says
/// where in the file it is.
struct SARIFNode {
    let value: JSONValue
    let path: String

    /// The member `key` of an object; nil when the value is no object or the member is missing or null.
    subscript(key: String) -> SARIFNode? {
        guard case .object(let members) = value, let member = members[key], member != .null else { return nil }
        let isPlain = key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        return SARIFNode(value: member, path: isPlain ? "\(path).\(key)" : "\(path)[\(JSONValue.string(key))]")
    }

    func string(in file: String) throws(GantryError) -> String {
        guard case .string(let text) = value else { throw mismatch(in: file, expected: "a string") }
        return text
    }

    func integer(in file: String) throws(GantryError) -> Int {
        guard case .number(let number) = value, number == number.rounded(), abs(number) < 1e15 else {
            throw mismatch(in: file, expected: "a whole number")
        }
        return Int(number)
    }

    /// The elements of an array of at most `limit` elements.
    func array(in file: String, atMost limit: Int, of what: String) throws(GantryError) -> [SARIFNode] {
        guard case .array(let elements) = value else { throw mismatch(in: file, expected: "an array of \(what)") }
        guard elements.count <= limit else {
            throw .io("\(file): \(path): \(elements.count) \(what); expected at most \(limit)")
        }
        return elements.enumerated().map { SARIFNode(value: $1, path: "\(path)[\($0)]") }
    }

    private func mismatch(in file: String, expected: String) -> GantryError {
        let found =
            switch value {
            case .string: "a string"
            case .number: "a number"
            case .bool: "a boolean"
            case .null: "null"
            case .array: "an array"
            case .object: "an object"
            }
        return .io("\(file): \(path): expected \(expected), got \(found)")
    }
}

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

extension JSONValue {
    /// The value of what `JSONSerialization` returns.
    init(foundationObject object: Any) {
        switch object {
        case let string as String: self = .string(string)
        case let array as [Any]: self = .array(array.map(JSONValue.init(foundationObject:)))
        case let dictionary as [String: Any]: self = .object(dictionary.mapValues(JSONValue.init(foundationObject:)))
        case is NSNull: self = .null
        case let bool as Bool where type(of: object) == Bool.self: self = .bool(bool)
        case let number as NSNumber: self = .number(number.doubleValue)
        default: self = .null
        }
    }
}
