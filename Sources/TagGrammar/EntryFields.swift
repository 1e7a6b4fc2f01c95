import Basics

/// One `key=value` (or bare) field of a rule or flavor entry, remembering where its text came from
/// so that errors inside a value can point into the original entry.
package struct EntryField {
    /// Lower-cased, trimmed key; nil for a bare field (which sets `value` in a rule).
    package var key: String?
    /// Where the key starts in the entry (the value's start for a bare field).
    package var keyOffset: Int
    /// The trimmed value, case kept.
    package var value: String
    /// For each character of `value`, its offset in the entry.
    package var valueOffsets: [Int]
    /// Offset just after the value, for errors at its end.
    package var valueEndOffset: Int

    /// The entry offset of character `index` of the value.
    package func entryOffset(ofValueCharacter index: Int) -> Int {
        index >= 0 && index < valueOffsets.count ? valueOffsets[index] : valueEndOffset
    }

    /// The entry offset of the value's first character.
    package var valueOffset: Int { entryOffset(ofValueCharacter: 0) }
}

/// Splits an entry into fields the way metadata-action's CSV parser (csv-parse, strict quotes) reads the
/// first record, then splits each field at its first `=`.
package enum EntryFields {
    /// The non-empty fields of `text`, in order.
    package static func split(_ text: String) throws(TagRuleError) -> [EntryField] {
        var fields: [EntryField] = []
        for raw in try csvFields(Array(text)) {
            if let field = keyValue(raw.characters, offsets: raw.offsets, end: raw.end) { fields.append(field) }
        }
        return fields
    }

    private typealias RawField = (characters: [Character], offsets: [Int], end: Int)

    /// csv-parse without relaxQuotes: a quote may only open a field, `""` inside quotes is a quote, and a
    /// closing quote must end the field.
    private static func csvFields(_ characters: [Character]) throws(TagRuleError) -> [RawField] {
        var fields: [RawField] = []
        var index = 0
        while true {
            var field: RawField = ([], [], index)
            if index < characters.count, characters[index] == "\"" {
                let opening = index
                index += 1
                var closed = false
                while index < characters.count {
                    if characters[index] == "\"" {
                        if index + 1 < characters.count, characters[index + 1] == "\"" {
                            field.characters.append("\"")
                            field.offsets.append(index)
                            index += 2
                            continue
                        }
                        closed = true
                        index += 1
                        break
                    }
                    field.characters.append(characters[index])
                    field.offsets.append(index)
                    index += 1
                }
                guard closed else { throw TagRuleError("the quote that opens this field is never closed", offset: opening) }
                if index < characters.count, characters[index] != "," {
                    throw TagRuleError("a closing quote must end the field; expected ',' after it", offset: index)
                }
            } else {
                while index < characters.count, characters[index] != "," {
                    let character = characters[index]
                    // The runner would have replaced a `${{ … }}` before the rule was split, so its
                    // commas (`startsWith(github.ref, 'refs/tags/')`) do not split it here either.
                    if character == "$", let end = expressionEnd(in: characters, from: index) {
                        for position in index..<end {
                            field.characters.append(characters[position])
                            field.offsets.append(position)
                        }
                        index = end
                        continue
                    }
                    if character == "\"" {
                        throw TagRuleError(
                            "a quote can only open a field; quote the whole field instead, e.g. \"pattern=a,b\"",
                            offset: index)
                    }
                    if character.isNewline {
                        throw TagRuleError("an entry must be one line", offset: index)
                    }
                    field.characters.append(character)
                    field.offsets.append(index)
                    index += 1
                }
            }
            field.end = index
            fields.append(field)
            guard index < characters.count else { return fields }
            index += 1  // the comma
        }
    }

    /// The offset after the `}}` that closes a `${{` at `start`, skipping `'…'` strings; nil when
    /// there is no `${{` there or it is never closed (the template's parser then says so).
    private static func expressionEnd(in characters: [Character], from start: Int) -> Int? {
        guard start + 2 < characters.count, characters[start + 1] == "{", characters[start + 2] == "{" else { return nil }
        var index = start + 3
        var inString = false
        while index + 1 < characters.count {
            if characters[index] == "'" { inString.toggle() }
            if !inString, characters[index] == "}", characters[index + 1] == "}" { return index + 2 }
            index += 1
        }
        return nil
    }

    /// Splits at the first `=` unless the field starts with `=` (metadata-action's `(?<=^[^=]+?)=`), trims
    /// both sides and lower-cases the key. Nil for a field that is empty after trimming.
    private static func keyValue(_ characters: [Character], offsets: [Int], end: Int) -> EntryField? {
        let equals = characters.firstIndex(of: "=").flatMap { $0 > 0 ? $0 : nil }
        let valueRange = equals.map { ($0 + 1)..<characters.count } ?? 0..<characters.count
        let value = trimmed(valueRange, in: characters)
        let valueCharacters = Array(characters[value])
        let valueOffsets = Array(offsets[value])
        let valueEnd = value.upperBound < offsets.count ? offsets[value.upperBound] : end
        guard let equals else {
            if valueCharacters.isEmpty { return nil }
            return EntryField(
                key: nil, keyOffset: valueOffsets.first ?? end, value: String(valueCharacters),
                valueOffsets: valueOffsets, valueEndOffset: valueEnd)
        }
        let key = trimmed(0..<equals, in: characters)
        return EntryField(
            key: String(characters[key]).lowercased(), keyOffset: key.isEmpty ? offsets[equals] : offsets[key.lowerBound],
            value: String(valueCharacters), valueOffsets: valueOffsets,
            valueEndOffset: valueCharacters.isEmpty ? offsets[equals] + 1 : valueEnd)
    }

    private static func trimmed(_ range: Range<Int>, in characters: [Character]) -> Range<Int> {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper, characters[lower].isWhitespace { lower += 1 }
        while upper > lower, characters[upper - 1].isWhitespace { upper -= 1 }
        return lower..<upper
    }
}
