import Basics

/// The tags of an XML document, one after another, with their attributes: what reading JUnit XML
/// needs, and no more. Text, comments, CDATA and processing instructions are skipped; entities in
/// attribute values are the five predefined ones and character references, never a document
/// type's. Written here rather than taken from FoundationXML, which would make every gantry command
/// load libxml2 at start-up.
struct XMLScanner {
    /// A tag.
    struct Tag {
        enum Kind { case start, end, empty }
        var kind: Kind
        var name: String
        var attributes: [String: String]
    }

    private let bytes: [UInt8]
    /// The document's name, for errors.
    private let document: String
    private var index = 0

    init(bytes: [UInt8], name: String) {
        self.bytes = bytes
        document = name
    }

    /// Where the document stopped being XML: the line and column after what was read.
    var malformed: JUnitResults.ReadError {
        var line = 1
        var column = 1
        for byte in bytes[..<min(index, bytes.count)] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return .malformed(file: document, line: line, column: column)
    }

    /// The next tag, or nil at the end of the document.
    mutating func nextTag() throws(JUnitResults.ReadError) -> Tag? {
        while true {
            guard let open = bytes[index...].firstIndex(of: UInt8(ascii: "<")) else {
                index = bytes.count
                return nil
            }
            index = open
            var skipped = false
            for (start, end) in [("<!--", "-->"), ("<![CDATA[", "]]>"), ("<?", "?>")] where !skipped {
                skipped = try skip(from: start, to: end)
            }
            if !skipped { return try tag() }
        }
    }

    /// Skips a construct that starts at the current position with `start`, through `end`.
    private mutating func skip(from start: String, to end: String) throws(JUnitResults.ReadError) -> Bool {
        let opening = Array(start.utf8)
        guard bytes[index...].starts(with: opening) else { return false }
        let closing = Array(end.utf8)
        var position = index + opening.count
        while position + closing.count <= bytes.count {
            if bytes[position..<(position + closing.count)].elementsEqual(closing) {
                index = position + closing.count
                return true
            }
            position += 1
        }
        index = bytes.count
        throw malformed
    }

    private mutating func tag() throws(JUnitResults.ReadError) -> Tag {
        index += 1
        let isEnd = peek == UInt8(ascii: "/")
        if isEnd { index += 1 }
        let name = try self.name()
        var attributes: [String: String] = [:]
        while true {
            skipSpace()
            guard let byte = peek else { throw malformed }
            switch byte {
            case UInt8(ascii: ">"):
                index += 1
                return Tag(kind: isEnd ? .end : .start, name: name, attributes: attributes)
            case UInt8(ascii: "/") where !isEnd:
                index += 1
                guard peek == UInt8(ascii: ">") else { throw malformed }
                index += 1
                return Tag(kind: .empty, name: name, attributes: attributes)
            default:
                guard !isEnd else { throw malformed }
                let attribute = try self.name()
                skipSpace()
                guard peek == UInt8(ascii: "=") else { throw malformed }
                index += 1
                skipSpace()
                attributes[attribute] = try quoted()
            }
        }
    }

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipSpace() {
        while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    private mutating func name() throws(JUnitResults.ReadError) -> String {
        let start = index
        while let byte = peek, !(byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D), !"/>=\"'<".utf8.contains(byte) {
            index += 1
        }
        guard index > start else { throw malformed }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func quoted() throws(JUnitResults.ReadError) -> String {
        guard let quote = peek, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { throw malformed }
        index += 1
        guard let end = bytes[index...].firstIndex(of: quote) else {
            index = bytes.count
            throw malformed
        }
        let raw = String(decoding: bytes[index..<end], as: UTF8.self)
        index = end + 1
        guard !raw.contains("<") else { throw malformed }
        return Self.decodingReferences(raw)
    }

    /// `&lt;` and the other predefined entities, and `&#…;` character references; anything else
    /// stays as written.
    static func decodingReferences(_ text: String) -> String {
        guard text.contains("&") else { return text }
        let named = ["lt": "<", "gt": ">", "amp": "&", "quot": "\"", "apos": "'"]
        var result = ""
        var rest = Substring(text)
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            let after = rest[rest.index(after: ampersand)...]
            guard let semicolon = after.prefix(12).firstIndex(of: ";") else {
                result += "&"
                rest = after
                continue
            }
            let reference = String(after[..<semicolon])
            if let value = named[reference] {
                result += value
            } else if reference.hasPrefix("#x"), let code = UInt32(reference.dropFirst(2), radix: 16), let scalar = Unicode.Scalar(code) {
                result.unicodeScalars.append(scalar)
            } else if reference.hasPrefix("#"), let code = UInt32(reference.dropFirst()), let scalar = Unicode.Scalar(code) {
                result.unicodeScalars.append(scalar)
            } else {
                result += "&" + reference + ";"
            }
            rest = after[after.index(after: semicolon)...]
        }
        return result + rest
    }
}
