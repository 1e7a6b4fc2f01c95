/// The kinds of tag rule: metadata-action's eight plus gantry's `tree`.
package enum TagRuleType: String, Sendable, CaseIterable {
    /// `pattern` (default `nightly`, date helpers only) on schedule events.
    case schedule
    /// A semantic version from the tag or `value`, shaped by `pattern`.
    case semver
    /// A PEP 440 version from the tag or `value`, shaped by `pattern`.
    case pep440
    /// A regex `pattern` group from the tag or `value`.
    case match
    /// `edge` on pushes to `branch` (default: the repository's default branch).
    case edge
    /// The branch, tag or pull request number of the event.
    case ref
    /// A fixed (templated) `value`.
    case raw
    /// `sha-` and the commit sha.
    case sha
    /// gantry only: `tree-` and the hash of the service's inputs.
    case tree

    /// Where the rule sorts when it has no `priority`: higher first.
    package var defaultPriority: Int {
        switch self {
        case .schedule: 1000
        case .semver, .pep440: 900
        case .match: 800
        case .edge: 700
        case .ref: 600
        case .raw: 200
        case .sha, .tree: 100
        }
    }

    /// The keys a rule of this type may have.
    package var allowedKeys: [String] {
        let common = ["type", "enable", "priority", "prefix", "suffix"]
        return common
            + {
                switch self {
                case .schedule: ["pattern"]
                case .semver, .pep440: ["pattern", "value", "match"]
                case .match: ["pattern", "group", "value"]
                case .edge: ["branch"]
                case .ref: ["event"]
                case .raw: ["value"]
                case .sha, .tree: ["format"]
                }
            }()
    }

    /// Whether a bare field (no `=`), which sets `value`, is allowed.
    package var takesValue: Bool { allowedKeys.contains("value") }
}

/// Which ref `type=ref` turns into a tag.
package enum ReferenceEvent: String, Sendable, CaseIterable {
    case branch, tag
    case pullRequest = "pr"
}

/// `format=` of `type=sha` and `type=tree`.
package enum HashFormat: String, Sendable, CaseIterable {
    case short, long
}
