internal import CGit2

/// A Git object name: the SHA-1 of a commit, tree or blob.
package struct ObjectID: Hashable, Sendable, CustomStringConvertible {
    /// The 40 lowercase hexadecimal digits.
    package let hex: String

    /// Parses 40 hexadecimal digits; returns nil for anything else (an abbreviation included).
    package init?(hex: String) {
        guard hex.utf8.count == 40, hex.utf8.allSatisfy(\.isHexDigit) else { return nil }
        self.hex = hex.lowercased()
    }

    init(_ raw: git_oid) {
        var raw = raw
        var buffer = [CChar](repeating: 0, count: 41)
        git_oid_tostr(&buffer, buffer.count, &raw)
        self.hex = String(decoding: buffer.prefix(40).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether every digit is zero, as GitHub sends for the missing side of a created or deleted ref.
    package var isZero: Bool { hex.utf8.allSatisfy { $0 == UInt8(ascii: "0") } }

    /// The first seven digits, as `git log --oneline` shows them.
    package var abbreviated: String { String(hex.prefix(7)) }

    package var description: String { hex }

    var raw: git_oid {
        var oid = git_oid()
        _ = hex.withCString { git_oid_fromstr(&oid, $0) }
        return oid
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
    }
}
