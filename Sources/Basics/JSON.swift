import Foundation

/// gantry's one JSON encoding: sorted keys (stable output), no escaped slashes (readable paths).
package enum JSON {
    /// Encodes a value; `pretty` for people, compact for step outputs and records.
    package static func encode(_ value: some Encodable, pretty: Bool = false) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        // Encoding gantry's own value types cannot fail: they hold only strings, numbers and arrays.
        return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    /// Decodes a value, or nil when the data is not that value.
    package static func decode<Value: Decodable>(_ type: Value.Type, from data: Data) -> Value? {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(type, from: data)
    }
}
