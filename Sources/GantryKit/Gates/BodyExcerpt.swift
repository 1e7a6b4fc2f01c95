import Basics

/// The start of a response body for a report: bounded, one line, control characters escaped, so
/// a hostile server can neither flood a report nor break it.
enum BodyExcerpt {
    /// How many characters of a body a report shows.
    static let limit = 300

    /// The excerpt of `body`, or nil when it is empty.
    static func make(_ body: [UInt8], truncated: Bool) -> String? {
        guard !body.isEmpty else { return nil }
        let text = String(decoding: body.prefix(limit * 4), as: UTF8.self)
        let excerpt = escape(text, limit: limit)
        return truncated || body.count > limit * 4 || text.count > limit ? excerpt + " …" : excerpt
    }

    /// `text` cut to `limit` characters, with line breaks and other control characters written as escapes.
    static func escape(_ text: String, limit: Int) -> String {
        var result = ""
        for character in text.prefix(limit) {
            switch character {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if character.unicodeScalars.contains(where: {
                    $0.properties.generalCategory == .control || $0.properties.generalCategory == .format
                }) {
                    result += character.unicodeScalars.map { "\\u{\(String($0.value, radix: 16))}" }.joined()
                } else {
                    result.append(character)
                }
            }
        }
        return result
    }
}
