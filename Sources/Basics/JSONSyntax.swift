import Foundation

/// Where text stops being JSON, and why. Foundation's decoder, refusing it, says only "The given data
/// was not valid JSON." with no place; this is asked after such a refusal, to tell a user where to
/// look: a file cut off inside a string, a missing comma, a number no double holds. It reads JSON as
/// that parser does, which also takes a comma before a closing bracket.
///
/// One pass, no recursion: the open containers are a stack, which the caller has bounded before
/// decoding (the nesting check), and which is only as deep as the text anyway.
package enum JSONSyntax {
    /// The first place the text is not JSON, or nil when this scan finds none (the decoder may still
    /// refuse it, for text that is not UTF-8 for example).
    package static func firstError(in data: Data) -> Failure? {
        // UTF-16 and UTF-32, which the decoder also reads, are not scanned: a zero byte or a byte
        // order mark of theirs comes first.
        let head = data.prefix(4)
        guard !head.contains(0), !head.starts(with: [0xFE, 0xFF]), !head.starts(with: [0xFF, 0xFE]) else { return nil }
        return data.withUnsafeBytes { bytes in
            var scanner = Scanner(bytes: bytes.bindMemory(to: UInt8.self))
            // The decoder skips a UTF-8 byte order mark; columns still count it.
            if data.starts(with: [0xEF, 0xBB, 0xBF]) { scanner.index = 3 }
            return scanner.firstError()
        }
    }

    /// A place in the text, counted in lines and bytes from 1, and what is wrong there.
    package struct Failure: Equatable, Sendable {
        package var line: Int
        package var column: Int
        package var problem: String
    }

    private struct Scanner {
        /// What may come next.
        enum Expectation {
            case value, valueOrEnd, key, keyOrEnd, colon, commaOrEnd, nothing
        }

        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        var line = 1
        var lineStart = 0
        /// The open containers: `[` or `{`.
        var open: [UInt8] = []
        /// The first number no double holds. The decoder refuses it only when it decodes it, so it is
        /// the error only when the text has no other.
        var numberOutOfRange: Failure?

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func firstError() -> Failure? {
            var expectation = Expectation.value
            while true {
                skipWhitespace()
                guard index < bytes.count else {
                    if expectation == .nothing { return numberOutOfRange }
                    return failure(open.isEmpty && expectation == .value ? "the file is empty" : "the file ends early (truncated?)")
                }
                let byte = bytes[index]
                let afterValue: Expectation
                switch (expectation, byte) {
                case (.valueOrEnd, UInt8(ascii: "]")), (.keyOrEnd, UInt8(ascii: "}")):
                    open.removeLast()
                    index += 1
                    afterValue = open.isEmpty ? .nothing : .commaOrEnd
                case (.value, _), (.valueOrEnd, _):
                    if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
                        open.append(byte)
                        index += 1
                        expectation = byte == UInt8(ascii: "[") ? .valueOrEnd : .keyOrEnd
                        continue
                    }
                    if let problem = scanScalar() { return problem }
                    afterValue = open.isEmpty ? .nothing : .commaOrEnd
                case (.key, UInt8(ascii: "\"")), (.keyOrEnd, UInt8(ascii: "\"")):
                    if let problem = scanString() { return problem }
                    expectation = .colon
                    continue
                case (.key, _), (.keyOrEnd, _):
                    return failure("expected a name in quotes, found \(describe(byte))")
                case (.colon, UInt8(ascii: ":")):
                    index += 1
                    expectation = .value
                    continue
                case (.colon, _):
                    return failure("expected ':' after a name, found \(describe(byte))")
                case (.commaOrEnd, UInt8(ascii: ",")):
                    index += 1
                    // Foundation's parser takes a comma before the closing bracket, so this does too.
                    expectation = open.last == UInt8(ascii: "[") ? .valueOrEnd : .keyOrEnd
                    continue
                case (.commaOrEnd, UInt8(ascii: "]")) where open.last == UInt8(ascii: "["),
                    (.commaOrEnd, UInt8(ascii: "}")) where open.last == UInt8(ascii: "{"):
                    open.removeLast()
                    index += 1
                    afterValue = open.isEmpty ? .nothing : .commaOrEnd
                case (.commaOrEnd, _):
                    let close = open.last == UInt8(ascii: "[") ? "]" : "}"
                    return failure("expected ',' or '\(close)', found \(describe(byte))")
                case (.nothing, _):
                    return failure("expected the end of the file after the JSON value, found \(describe(byte))")
                }
                expectation = afterValue
            }
        }

        /// A string, a number, `true`, `false` or `null` at `index`; the problem when it is none.
        private mutating func scanScalar() -> Failure? {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { return scanString() }
            if byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { return scanNumber() }
            for literal in ["true", "false", "null"] where byte == literal.utf8.first {
                let end = index + literal.utf8.count
                guard end <= bytes.count, bytes[index..<end].elementsEqual(literal.utf8) else {
                    return failure(end > bytes.count ? "the file ends early (truncated?)" : "expected \(literal)")
                }
                index = end
                return nil
            }
            return failure("expected a value, found \(describe(byte))")
        }

        private mutating func scanString() -> Failure? {
            let start = Failure(line: line, column: index - lineStart + 1, problem: "the file ends inside this string (truncated?)")
            index += 1
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return nil
                case UInt8(ascii: "\\"):
                    guard index + 1 < bytes.count else { return start }
                    let escaped = bytes[index + 1]
                    if escaped == UInt8(ascii: "u") {
                        let digits = bytes[min(index + 2, bytes.count)..<min(index + 6, bytes.count)]
                        guard digits.allSatisfy(\.isHexadecimalDigit) else { return failure("\\u needs four hexadecimal digits") }
                        guard digits.count == 4 else { return start }
                        index += 6
                    } else {
                        guard Array("\"\\/bfnrt".utf8).contains(escaped) else {
                            return failure("\\\(describe(escaped)) is no escape JSON knows")
                        }
                        index += 2
                    }
                    continue
                case 0..<0x20:
                    return failure("a control character inside a string (byte \(byte)): it must be escaped")
                default:
                    index += 1
                }
            }
            return start
        }

        private mutating func scanNumber() -> Failure? {
            let start = index
            let column = index - lineStart + 1
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            let integerStart = index
            let integerDigits = digits()
            guard integerDigits > 0 else { return index < bytes.count ? failure("a number needs digits") : endsEarly }
            if integerDigits > 1 && bytes[integerStart] == UInt8(ascii: "0") {
                return Failure(line: line, column: column, problem: "a number cannot start with 0")
            }
            if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard digits() > 0 else { return index < bytes.count ? failure("a number needs digits after '.'") : endsEarly }
            }
            if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
                index += 1
                if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
                guard digits() > 0 else { return index < bytes.count ? failure("a number needs digits in its exponent") : endsEarly }
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            let value = Double(text)
            // A number past a double's range reads as infinity, one below its smallest as zero.
            let mantissa = text.prefix { $0 != "e" && $0 != "E" }
            let isZero = mantissa.allSatisfy { $0 == "0" || $0 == "." || $0 == "-" }
            if numberOutOfRange == nil, value == nil || value?.isFinite == false || (value == 0 && !isZero) {
                numberOutOfRange = Failure(
                    line: line, column: column, problem: "the number \(text.prefix(40)) is beyond the range of a double")
            }
            return nil
        }

        private var endsEarly: Failure { failure("the file ends early (truncated?)") }

        /// Skips decimal digits; how many.
        private mutating func digits() -> Int {
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - start
        }

        private mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): index += 1
                case UInt8(ascii: "\n"):
                    index += 1
                    line += 1
                    lineStart = index
                default: return
                }
            }
        }

        private func failure(_ problem: String) -> Failure {
            Failure(line: line, column: index - lineStart + 1, problem: problem)
        }

        private func describe(_ byte: UInt8) -> String {
            (0x21..<0x7F).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : String(format: "byte 0x%02X", byte)
        }
    }
}

extension UInt8 {
    fileprivate var isHexadecimalDigit: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(self)
    }
}
