/// One line of the `tags` input, in docker/metadata-action's grammar (`type=semver,pattern={{version}}`),
/// plus gantry's `type=tree`. Everything that can be checked without the event is checked when it is parsed.
package struct TagRule: Sendable, Equatable, CustomStringConvertible {
    /// What the rule does, with its type-specific settings.
    package enum Kind: Sendable, Equatable {
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
    package struct VersionSettings: Sendable, Equatable {
        package var pattern: TagTemplate
        /// Used instead of the tag name when present.
        package var value: TagTemplate?
        /// Its capture group 1 replaces the version text when it matches.
        package var match: JavaScriptRegex?
    }

    /// The rule text as written (trimmed).
    package var description: String
    /// Higher priorities come first; among equals, the input order.
    package var priority: Int
    package var kind: Kind
    /// Must render to `true` or `false`.
    package var enable: TagTemplate
    /// Present (even if empty) overrides the flavor's prefix.
    package var prefix: TagTemplate?
    /// Present (even if empty) overrides the flavor's suffix.
    package var suffix: TagTemplate?

    /// The rule's type.
    package var type: TagRuleType {
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
