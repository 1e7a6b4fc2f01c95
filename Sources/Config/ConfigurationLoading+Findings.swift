import Basics
import PathPattern
import Yams

extension Configuration {
    static let findingsKeys = ["accept"]
    static let acceptanceKeys = ["rule", "tool", "location", "reason", "until"]

    /// `findings:`, with each problem reported at its place.
    static func readFindings(_ node: Node?, with reader: inout YAMLReader) -> FindingsSettings {
        guard let node, let entries = reader.mapping(node, "findings", expected: "a mapping with `accept:`") else {
            return FindingsSettings()
        }
        reader.rejectUnknownKeys(entries, known: findingsKeys, in: "`findings`")
        guard let accept = entries.first(where: { $0.key == "accept" })?.value else { return FindingsSettings() }
        guard case .sequence(let sequence) = accept else {
            reader.report(
                "`findings.accept` must be a list of accepted risks, each with `rule`, `reason` and `until`, got \(reader.describe(accept))",
                at: accept, kind: .wrongType)
            return FindingsSettings()
        }
        if sequence.count > ConfigurationLimits.acceptances {
            reader.report(
                "more than \(ConfigurationLimits.acceptances) accepted risks; expected at most \(ConfigurationLimits.acceptances)",
                at: sequence[ConfigurationLimits.acceptances], kind: .invalidValue)
        }
        var acceptances: [Acceptance] = []
        for (index, item) in sequence.prefix(ConfigurationLimits.acceptances).enumerated() {
            if let acceptance = readAcceptance(item, field: "findings.accept[\(index)]", with: &reader) { acceptances.append(acceptance) }
        }
        return FindingsSettings(acceptances: acceptances)
    }

    private static func readAcceptance(_ node: Node, field: String, with reader: inout YAMLReader) -> Acceptance? {
        guard let entries = reader.mapping(node, field, expected: "a mapping with `rule`, `reason` and `until`") else { return nil }
        reader.rejectUnknownKeys(entries, known: acceptanceKeys, in: "`\(field)`")
        let value = { (key: String) in entries.first { $0.key == key } }
        func required(_ key: String, _ example: String) -> (String, Node)? {
            guard let entry = value(key) else {
                reader.report("`\(field)` needs `\(key)`, such as \(key): \(example)", at: node, kind: .invalidValue)
                return nil
            }
            return reader.string(entry.value, "\(field).\(key)").map { ($0, entry.value) }
        }
        let rule = required("rule", "CVE-2024-3094")
        let reason = required("reason", "\"not reachable: the service never parses untrusted archives\"")
        var until: CalendarDay?
        // Without an end an acceptance outlives its reason, so `until` is required.
        if let (text, untilNode) = required("until", "2025-06-30") {
            until = CalendarDay(text)
            if until == nil {
                reader.report(
                    "`\(field).until` must be a date written YYYY-MM-DD, such as 2025-06-30; got \"\(text)\"", at: untilNode,
                    kind: .invalidValue)
            }
        }
        let tool = value("tool").flatMap { reader.string($0.value, "\(field).tool") }
        var location: PathPattern?
        if let entry = value("location"), let text = reader.string(entry.value, "\(field).location") {
            do {
                location = try PathPattern(text)
            } catch {
                reader.report("invalid glob \"\(text)\" in `\(field).location`: \(error.message)", at: entry.value, kind: .invalidGlob)
            }
        }
        guard let rule, let reason, let until else { return nil }
        return Acceptance(
            rule: rule.0, tool: tool, location: location, reason: reason.0, until: until, source: reader.location(of: node))
    }
}
