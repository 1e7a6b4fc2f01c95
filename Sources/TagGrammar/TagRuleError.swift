/// A tag rule, flavor entry or label that cannot be used, with where the problem starts.
package struct TagRuleError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong and what was expected, in plain words.
    package var message: String
    /// Character offset in the entry's text where the problem starts (0 when it concerns the whole entry).
    package var offset: Int
    /// Which entry of a list (flavor entries, labels); 0 for a single rule.
    package var entryIndex: Int

    /// An error at `offset` of entry `entryIndex`.
    package init(_ message: String, offset: Int = 0, entryIndex: Int = 0) {
        self.message = message
        self.offset = offset
        self.entryIndex = entryIndex
    }

    /// The message with its position, 1-based for people.
    package var description: String { "entry \(entryIndex + 1), column \(offset + 1): \(message)" }

    /// The same error moved by `distance` characters, for errors found in a part of a larger text.
    package func shifted(by distance: Int) -> TagRuleError {
        TagRuleError(message, offset: offset + distance, entryIndex: entryIndex)
    }

    /// The same error attributed to entry `index` of a list.
    package func inEntry(_ index: Int) -> TagRuleError {
        TagRuleError(message, offset: offset, entryIndex: index)
    }
}
