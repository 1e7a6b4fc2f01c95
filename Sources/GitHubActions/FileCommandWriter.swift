import Basics

/// Appends `name=value` pairs to a GitHub Actions file command (`$GITHUB_OUTPUT`, `$GITHUB_ENV`) in
/// the multi-line form, `name<<DELIMITER`, value, `DELIMITER`, with a fresh random delimiter per
/// value, so that no value (a branch or file name, a server's response) can end its own entry early
/// and inject another output or variable.
package struct FileCommandWriter {
    /// The file to append to.
    package var path: String

    /// Creates a writer for one file.
    package init(path: String) { self.path = path }

    /// Appends every pair in one write, so a concurrent step's entries never interleave with these.
    ///
    /// - Throws: `GantryError.usage` for a name that GitHub would misread or a value that contains
    ///   its delimiter; `GantryError.io` for a file that cannot be written.
    package func write(_ pairs: [(name: String, value: String)]) throws(GantryError) {
        var text = ""
        for (name, value) in pairs {
            try text += Self.entry(name: name, value: value)
        }
        try append(text, toFile: path, what: "the file command file (GITHUB_OUTPUT or GITHUB_ENV)")
    }

    /// One entry in the multi-line form.
    package static func entry(name: String, value: String, delimiter: String = randomDelimiter()) throws(GantryError) -> String {
        let nameIsSafe =
            !name.isEmpty
            && name.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            }
        guard nameIsSafe else {
            throw .usage("refusing to write the output name \"\(name)\": names are letters, digits, '-' and '_'")
        }
        guard !value.contains(delimiter) else {
            throw .usage("refusing to write output \(name): its value contains the random delimiter \(delimiter)")
        }
        return "\(name)<<\(delimiter)\n\(value)\n\(delimiter)\n"
    }

    /// `gantry_` and 128 random bits in hex: a value cannot contain it by accident and cannot predict it.
    package static func randomDelimiter() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        return "gantry_" + hex(high) + hex(low)
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
