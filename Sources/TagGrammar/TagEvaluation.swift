/// What the rules produced for one event.
package struct TagEvaluation: Sendable, Equatable {
    /// The main tag (metadata-action's `version` output); "" when nothing was produced.
    package var version: String
    /// Tag names without image: the main tag, the other tags in production order, then the latest tag.
    package var tags: [String]
    /// Whether the latest tag was added.
    package var isLatest: Bool
    /// Every rule that added no tag, in evaluation order, and why.
    package var skipped: [SkippedRule]

    /// An evaluation result.
    package init(version: String, tags: [String], isLatest: Bool, skipped: [SkippedRule]) {
        self.version = version
        self.tags = tags
        self.isLatest = isLatest
        self.skipped = skipped
    }
}

/// A rule that added no tag.
package struct SkippedRule: Sendable, Equatable, CustomStringConvertible {
    /// The rule as written.
    package var rule: String
    /// Why it added nothing, in plain words.
    package var reason: String

    /// A skipped rule and its reason.
    package init(rule: String, reason: String) {
        self.rule = rule
        self.reason = reason
    }

    /// `rule: reason`.
    package var description: String { "\(rule): \(reason)" }
}
