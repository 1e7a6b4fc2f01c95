import Basics
import TagGrammar
import Yams

extension Configuration {
    /// Reads the top-level `tags`, `flavor` and `labels`.
    static func readTagSettings(_ value: (String) -> YAMLReader.Entry?, with reader: inout YAMLReader) -> TagSettings {
        var settings = TagSettings.defaults
        if let entry = value("tags") {
            settings.rules = readTagRules(entry.value, "tags", with: &reader)
            settings.location = reader.location(of: entry.keyNode)
        }
        if let entry = value("flavor") {
            let lines = reader.lines(of: entry.value, "flavor")
            do {
                settings.flavor = try Flavor(parsing: lines.map(\.text))
            } catch {
                let line = lines.indices.contains(error.entryIndex) ? lines[error.entryIndex] : lines.first
                reader.report(
                    "invalid `flavor` entry: \(error.message)", at: line?.location(error.offset) ?? reader.location(of: entry.value),
                    kind: .invalidValue)
            }
        }
        if let entry = value("labels") {
            settings.labels = reader.lines(of: entry.value, "labels").map(\.text)
        }
        return settings
    }

    /// Reads a `tags` list: each entry one rule, such as `type=semver,pattern={{version}}`; an error
    /// points at the character where the rule goes wrong.
    static func readTagRules(_ node: Node, _ field: String, with reader: inout YAMLReader) -> [TagRule] {
        var rules: [TagRule] = []
        // YAML splits `[type=ref,event=branch]` at the comma, which a metadata-action user does not expect.
        var hint = ""
        if reader.isFlowSequence(node) {
            hint = " (in a [...] list YAML splits a rule at its commas: quote it, as \"type=ref,event=branch\")"
        }
        for line in reader.lines(of: node, field) {
            do {
                rules.append(try TagRule(parsing: line.text))
            } catch {
                reader.report(
                    "invalid tag rule in `\(field)`: \(error.message)\(hint)", at: line.location(error.offset), kind: .invalidValue)
            }
        }
        return rules
    }
}
