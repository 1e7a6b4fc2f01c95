import Basics
import TagGrammar

/// How `gantry tags` names a service's images, in docker/metadata-action's grammar.
package struct TagSettings: Sendable {
    /// The rules as written; empty means metadata-action's defaults.
    package var rules: [TagRule]
    /// The prefix, suffix and `latest` handling shared by every rule.
    package var flavor: Flavor
    /// Extra `key=value` labels, templates like the rules' values, added after the OCI labels.
    package var labels: [String]
    /// Where the rules are written; nil when they are the defaults.
    package var location: SourceLocation?

    /// Settings with metadata-action's default rules and flavor.
    package static let defaults = TagSettings(rules: [], flavor: .automatic, labels: [], location: nil)

    /// The rules that apply: the written ones, or the defaults.
    package var ruleSet: TagRuleSet { TagRuleSet(rules: rules, flavor: flavor) }
}

extension Configuration {
    /// A service's settings: its own `tags` rules when it has them, else the top-level ones; the
    /// flavor and labels are always the top-level ones.
    package func tagSettings(for service: Service) -> TagSettings {
        guard let rules = service.tagRules else { return tags }
        var settings = tags
        settings.rules = rules.rules
        settings.location = rules.location
        return settings
    }
}
