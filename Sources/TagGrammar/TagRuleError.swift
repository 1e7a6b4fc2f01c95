/// A tag rule, flavor entry or label that cannot be used, with where the problem starts.
public struct TagRuleError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong and what was expected, in plain words.
    public var message: String
    /// Character offset in the entry's text where the problem starts (0 when it concerns the whole entry).
    public var offset: Int
    /// Which entry of a list (flavor entries, labels); 0 for a single rule.
    public var entryIndex: Int

    /// An error at `offset` of entry `entryIndex`.
    public init(_ message: String, offset: Int = 0, entryIndex: Int = 0) {
        self.message = message
        self.offset = offset
        self.entryIndex = entryIndex
    }

    /// The message with its position, 1-based for people.
    public var description: String { "entry \(entryIndex + 1), column \(offset + 1): \(message)" }

    /// The same error moved by `distance` characters, for errors found in a part of a larger text.
    func shifted(by distance: Int) -> TagRuleError {
        TagRuleError(message, offset: offset + distance, entryIndex: entryIndex)
    }

    /// The same error attributed to entry `index` of a list.
    func inEntry(_ index: Int) -> TagRuleError {
        TagRuleError(message, offset: offset, entryIndex: index)
    }
}
