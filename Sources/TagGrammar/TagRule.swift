/// One line of the `tags` input, in docker/metadata-action's grammar (`type=semver,pattern={{version}}`),
/// plus gantry's `type=tree`. Everything that can be checked without the event is checked when it is parsed.
public struct TagRule: Sendable, Equatable, CustomStringConvertible {
    /// What the rule does, with its type-specific settings.
    enum Kind: Sendable, Equatable {
        case schedule(pattern: TagTemplate)
        case semver(VersionSettings)
        case pep440(VersionSettings)
        case match(pattern: JavaScriptRegex, group: Int, value: TagTemplate?)
        case edge(branch: String)
        case ref(ReferenceEvent)
        case raw(value: TagTemplate)
        case sha(HashFormat)
        case tree(HashFormat)
    }

    /// `type=semver` / `type=pep440` settings.
    struct VersionSettings: Sendable, Equatable {
        var pattern: TagTemplate
        /// Used instead of the tag name when present.
        var value: TagTemplate?
        /// Its capture group 1 replaces the version text when it matches.
        var match: JavaScriptRegex?
    }

    /// The rule text as written (trimmed).
    public var description: String
    /// Higher priorities come first; among equals, the input order.
    public var priority: Int
    var kind: Kind
    /// Must render to `true` or `false`.
    var enable: TagTemplate
    /// Present (even if empty) overrides the flavor's prefix.
    var prefix: TagTemplate?
    /// Present (even if empty) overrides the flavor's suffix.
    var suffix: TagTemplate?

    /// The rule's type.
    public var type: TagRuleType {
        switch kind {
        case .schedule: .schedule
        case .semver: .semver
        case .pep440: .pep440
        case .match: .match
        case .edge: .edge
        case .ref: .ref
        case .raw: .raw
        case .sha: .sha
        case .tree: .tree
        }
    }
}
