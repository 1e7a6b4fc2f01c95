/// A set of bytes, as a 256-bit map: a bracket expression of a glob, compiled.
package struct ByteSet: Hashable, Sendable {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// The empty set.
    package init() {}

    package static func == (lhs: ByteSet, rhs: ByteSet) -> Bool { lhs.words == rhs.words }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    package func contains(_ byte: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: return words.0 & bit != 0
        case 1: return words.1 & bit != 0
        case 2: return words.2 & bit != 0
        default: return words.3 & bit != 0
        }
    }

    package mutating func insert(_ byte: UInt8) {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    package mutating func remove(_ byte: UInt8) {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: words.0 &= ~bit
        case 1: words.1 &= ~bit
        case 2: words.2 &= ~bit
        default: words.3 &= ~bit
        }
    }

    package mutating func insert(from lower: UInt8, through upper: UInt8) {
        guard lower <= upper else { return }
        for byte in lower...upper { insert(byte) }
    }

    package mutating func invert() {
        words = (~words.0, ~words.1, ~words.2, ~words.3)
    }
}
