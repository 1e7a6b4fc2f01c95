/// A JSON number where SARIF wants a whole number (an index, a line).
///
/// It decodes from any JSON number, so that `1.5`, `1e30` or a number past `Int` reaches the
/// reader, which names its JSON path; decoded as `Int`, it would fail inside the decoder with no
/// path, and the file would be called "not JSON".
enum SARIFInteger: Decodable, Equatable {
    case whole(Int)
    /// A fraction, or a number no `Int` holds.
    case other(Double)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let whole = try? container.decode(Int.self) {
            self = .whole(whole)
        } else {
            self = .other(try container.decode(Double.self))
        }
    }
}
