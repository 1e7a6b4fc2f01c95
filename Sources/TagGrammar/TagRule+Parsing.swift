import Basics

extension TagRule {
    /// Reads one rule (§1.2 of the parity notes). Stricter than metadata-action where it would silently do
    /// something surprising: unknown keys, non-integer priorities and unknown template names are errors.
    package init(parsing text: String) throws(TagRuleError) {
        let fields = try EntryFields.split(text)
        guard !fields.isEmpty else {
            throw TagRuleError("the rule is empty; expected e.g. type=semver,pattern={{version}}")
        }
        var type = TagRuleType.raw
        var attributes: [String: EntryField] = [:]
        for field in fields {
            if field.key == "type" {
                guard let parsed = TagRuleType(rawValue: field.value) else {
                    let names = TagRuleType.allCases.map(\.rawValue)
                    throw TagRuleError(
                        "unknown type '\(field.value)'; expected one of \(names.joined(separator: ", "))."
                            + didYouMean(field.value, among: names), offset: field.valueOffset)
                }
                type = parsed
            }
            attributes[field.key ?? "value"] = field
        }
        try Self.checkKeys(fields, type: type)
        try Self.checkExpressions(fields, type: type)
        let reader = AttributeReader(attributes: attributes, type: type)
        description = text.trimmingJavaScriptWhitespace()
        priority = try reader.priority()
        enable = try reader.template("enable", scope: .global) ?? TagTemplate(literal: "true")
        if let constant = enable.constantText, constant != "true", constant != "false", let field = attributes["enable"] {
            throw TagRuleError("enable must be true or false (or a template giving one), not '\(constant)'", offset: field.valueOffset)
        }
        prefix = try reader.template("prefix", scope: .global)
        suffix = try reader.template("suffix", scope: .global)
        kind = try reader.kind()
        // These types always carry a prefix, which is why the flavor prefix never applies to them.
        if prefix == nil {
            switch kind {
            case .sha: prefix = TagTemplate(literal: "sha-")
            case .tree: prefix = TagTemplate(literal: "tree-")
            case .ref(.pullRequest): prefix = TagTemplate(literal: "pr-")
            default: break
            }
        }
    }

    /// `${{ … }}` is evaluated where templates are; elsewhere (`type`, `event`, a `match` regex, …) it
    /// would be taken as literal text, so it is refused.
    private static func checkExpressions(_ fields: [EntryField], type: TagRuleType) throws(TagRuleError) {
        var templateKeys = ["value", "enable", "prefix", "suffix"]
        if [.schedule, .semver, .pep440].contains(type) { templateKeys.append("pattern") }
        for field in fields where field.value.contains("${{") && !templateKeys.contains(field.key ?? "value") {
            throw TagRuleError(
                "${{ … }} is evaluated in \(templateKeys.joined(separator: ", ")) only; write \(field.key ?? "value") as plain text",
                offset: field.valueOffset)
        }
    }

    /// metadata-action ignores unknown keys; a misspelt `patern=` would then silently change the tags.
    private static func checkKeys(_ fields: [EntryField], type: TagRuleType) throws(TagRuleError) {
        for field in fields {
            guard let key = field.key else {
                guard type.takesValue else {
                    throw TagRuleError(
                        "'\(field.value)' has no '='; a bare field sets value, which type=\(type.rawValue) does not take",
                        offset: field.keyOffset)
                }
                continue
            }
            guard !key.isEmpty else { throw TagRuleError("expected a key before '='", offset: field.keyOffset) }
            guard type.allowedKeys.contains(key) else {
                throw TagRuleError(
                    "unknown key '\(key)' for type=\(type.rawValue).\(didYouMean(key, among: type.allowedKeys)) "
                        + "Expected one of \(type.allowedKeys.joined(separator: ", ")).", offset: field.keyOffset)
            }
        }
    }
}

/// Reads typed attributes, turning errors inside a value into offsets in the rule text.
private struct AttributeReader {
    package let attributes: [String: EntryField]
    package let type: TagRuleType

    package func priority() throws(TagRuleError) -> Int {
        guard let field = attributes["priority"] else { return type.defaultPriority }
        guard let value = Int(field.value) else {
            throw TagRuleError("priority must be a whole number, not '\(field.value)'", offset: field.valueOffset)
        }
        return value
    }

    package func template(_ key: String, scope: TagTemplate.Scope) throws(TagRuleError) -> TagTemplate? {
        guard let field = attributes[key] else { return nil }
        do throws(TagRuleError) {
            return try TagTemplate(parsing: field.value, scope: scope)
        } catch {
            throw TagRuleError(error.message, offset: field.entryOffset(ofValueCharacter: error.offset))
        }
    }

    /// A non-empty `value`: only then does it replace the tag name.
    package func nonEmptyValue() throws(TagRuleError) -> TagTemplate? {
        attributes["value"]?.value.isEmpty == false ? try template("value", scope: .global) : nil
    }

    package func regex(_ key: String, literalAllowed: Bool) throws(TagRuleError) -> JavaScriptRegex? {
        guard let field = attributes[key] else { return nil }
        do throws(TagRuleError) {
            return literalAllowed
                ? try JavaScriptRegex(patternOrLiteral: field.value) : try JavaScriptRegex(pattern: field.value)
        } catch {
            throw TagRuleError(error.message, offset: field.entryOffset(ofValueCharacter: error.offset))
        }
    }

    package func required(_ key: String, example: String) throws(TagRuleError) {
        guard attributes[key] == nil else { return }
        throw TagRuleError("type=\(type.rawValue) needs \(key)=…, e.g. \(example)")
    }

    package func choice<Choice: RawRepresentable & CaseIterable>(_ key: String, default fallback: Choice) throws(TagRuleError) -> Choice
    where Choice.RawValue == String {
        guard let field = attributes[key] else { return fallback }
        guard let choice = Choice(rawValue: field.value) else {
            let names = Choice.allCases.map(\.rawValue)
            throw TagRuleError(
                "\(key) must be one of \(names.joined(separator: ", ")), not '\(field.value)'."
                    + didYouMean(field.value, among: names), offset: field.valueOffset)
        }
        return choice
    }

    package func kind() throws(TagRuleError) -> TagRule.Kind {
        switch type {
        case .schedule:
            return .schedule(pattern: try template("pattern", scope: .schedulePattern) ?? TagTemplate(literal: "nightly"))
        case .semver, .pep440:
            try required("pattern", example: "pattern={{version}}")
            let match = try regex("match", literalAllowed: false)
            if let match, match.groupCount == 0, let field = attributes["match"] {
                throw TagRuleError("match needs a capture group, e.g. match=v(\\d+\\.\\d+\\.\\d+)$", offset: field.valueOffset)
            }
            let settings = TagRule.VersionSettings(
                pattern: try template("pattern", scope: .versionPattern) ?? TagTemplate(literal: ""),
                value: try nonEmptyValue(), match: match)
            return type == .semver ? .semver(settings) : .pep440(settings)
        case .match:
            try required("pattern", example: "pattern=v(\\d+\\.\\d+),group=1")
            guard let pattern = try regex("pattern", literalAllowed: true) else { throw TagRuleError("type=match needs pattern=…") }
            var group = 0
            if let field = attributes["group"] {
                // JavaScript indexes the match with the text, so only plain numbers ever find a group.
                guard field.value.allSatisfy(\.isASCIIDigit), let number = Int(field.value),
                    String(number) == field.value
                else {
                    throw TagRuleError("group must be a group number such as 0 or 1, not '\(field.value)'", offset: field.valueOffset)
                }
                group = number
            }
            return .match(pattern: pattern, group: group, value: try nonEmptyValue())
        case .edge:
            return .edge(branch: attributes["branch"]?.value ?? "")
        case .ref:
            guard attributes["event"] != nil else {
                throw TagRuleError("type=ref needs event=branch, event=tag or event=pr")
            }
            return .ref(try choice("event", default: ReferenceEvent.branch))
        case .raw:
            try required("value", example: "value=latest")
            return .raw(value: try template("value", scope: .global) ?? TagTemplate(literal: ""))
        case .sha:
            return .sha(try choice("format", default: HashFormat.short))
        case .tree:
            return .tree(try choice("format", default: HashFormat.short))
        }
    }
}
