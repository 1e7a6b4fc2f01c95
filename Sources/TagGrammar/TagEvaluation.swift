/// What the rules produced for one event.
public struct TagEvaluation: Sendable, Equatable {
    /// The main tag (metadata-action's `version` output); "" when nothing was produced.
    public var version: String
    /// Tag names without image: the main tag, the other tags in production order, then the latest tag.
    public var tags: [String]
    /// Whether the latest tag was added.
    public var isLatest: Bool
    /// Every rule that added no tag, in evaluation order, and why.
    public var skipped: [SkippedRule]

    /// An evaluation result.
    public init(version: String, tags: [String], isLatest: Bool, skipped: [SkippedRule]) {
        self.version = version
        self.tags = tags
        self.isLatest = isLatest
        self.skipped = skipped
    }
}

/// A rule that added no tag.
public struct SkippedRule: Sendable, Equatable, CustomStringConvertible {
    /// The rule as written.
    public var rule: String
    /// Why it added nothing, in plain words.
    public var reason: String

    /// A skipped rule and its reason.
    public init(rule: String, reason: String) {
        self.rule = rule
        self.reason = reason
    }

    /// `rule: reason`.
    public var description: String { "\(rule): \(reason)" }
}
