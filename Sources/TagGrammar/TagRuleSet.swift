import Basics

/// The tag rules of one image with its flavor: evaluates them for an event the way metadata-action does.
package struct TagRuleSet: Sendable, Equatable {
    /// metadata-action's rules when `tags` is empty: nightly on schedule, the branch, the tag, `pr-N`.
    package static let defaultRules: [TagRule] = [
        "type=schedule", "type=ref,event=branch", "type=ref,event=tag", "type=ref,event=pr",
    ].compactMap { try? TagRule(parsing: $0) }

    /// The rules in input order (the defaults when none were given).
    package var rules: [TagRule]
    /// Latest policy and the prefix/suffix for rules without their own.
    package var flavor: Flavor

    /// A rule set; no rules means the default rules.
    package init(rules: [TagRule], flavor: Flavor = .automatic) {
        self.rules = rules.isEmpty ? Self.defaultRules : rules
        self.flavor = flavor
    }

    /// Evaluates the rules by priority (highest first, input order among equals). The first value decides the
    /// version and, under `latest=auto`, whether `latest` is added. Throws only where metadata-action also fails
    /// at this point: an `enable` that does not render to `true` or `false`.
    package func evaluate(in context: TagContext) throws(TagRuleError) -> TagEvaluation {
        let ordered = rules.enumerated().sorted { left, right in
            left.element.priority != right.element.priority
                ? left.element.priority > right.element.priority : left.offset < right.offset
        }
        var main: String?
        var others: [String] = []
        var latest: Bool?
        var skipped: [SkippedRule] = []
        for (index, rule) in ordered {
            func skip(_ reason: String) { skipped.append(SkippedRule(rule: rule.description, reason: reason)) }
            let enabled = context.render(rule.enable)
            guard enabled == "true" || enabled == "false" else {
                throw TagRuleError(
                    "enable of '\(rule.description)' rendered '\(enabled)'; expected true or false", entryIndex: index)
            }
            guard enabled == "true" else {
                skip("disabled (enable rendered 'false')")
                continue
            }
            let value: String, automaticLatest: Bool
            switch rule.outcome(in: context) {
            case .nothing(let reason):
                skip(reason)
                continue
            case .value(let produced, let vote):
                (value, automaticLatest) = (produced, vote)
            }
            let text = applyingAffixes(to: value, of: rule, in: context)
            guard !text.isEmpty else {
                skip("the tag rendered empty")
                continue
            }
            guard let tag = TagName.sanitized(text) else {
                skip("'\(text)' has no character allowed in a tag")
                continue
            }
            if main == nil {
                main = tag
            } else if tag == main || others.contains(tag) {
                skip("gives '\(tag)', which an earlier rule already produced")
            } else {
                others.append(tag)
            }
            if latest == nil { latest = flavor.latest == .automatic ? automaticLatest : flavor.latest == .always }
        }
        guard let main else { return TagEvaluation(version: "", tags: [], isLatest: false, skipped: skipped) }
        let isLatest = latest ?? false
        return TagEvaluation(
            version: main, tags: [main] + others + (isLatest ? [latestTag] : []), isLatest: isLatest, skipped: skipped)
    }

    /// A rule's own prefix/suffix, even empty, beats the flavor's; the flavor's applies only when non-empty.
    private func applyingAffixes(to value: String, of rule: TagRule, in context: TagContext) -> String {
        var text = value
        if let prefix = rule.prefix {
            text = context.render(prefix) + text
        } else if !flavor.prefix.isEmpty {
            text = context.render(flavor.prefixTemplate) + text
        }
        if let suffix = rule.suffix {
            text += context.render(suffix)
        } else if !flavor.suffix.isEmpty {
            text += context.render(flavor.suffixTemplate)
        }
        return text
    }

    /// `latest` with the flavor's prefix/suffix when `onlatest=true`, not template-rendered (as metadata-action).
    private var latestTag: String {
        let text = (flavor.prefixesLatest ? flavor.prefix : "") + "latest" + (flavor.suffixesLatest ? flavor.suffix : "")
        return TagName.sanitized(text) ?? "latest"
    }
}
