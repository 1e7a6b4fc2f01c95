import Basics
import Config
import GitHubActions

/// Judges other tools' findings: which acceptances cover them, which fail the gate. Pure: the day
/// is given, so that a test fixes it.
package struct FindingsGate: Sendable {
    /// The accepted risks of the configuration.
    package var acceptances: [Acceptance]
    /// The least severity that fails the gate; nil reports only.
    package var failOn: Severity?
    /// The day acceptances are judged on.
    package var today: CalendarDay

    /// Creates a gate.
    package init(acceptances: [Acceptance], failOn: Severity?, today: CalendarDay) {
        self.acceptances = acceptances
        self.failOn = failOn
        self.today = today
    }

    /// The document of `results`, read from `files`.
    package func evaluate(_ results: [ScannedResult], files: [String]) -> FindingsDocument {
        var matched = Array(repeating: 0, count: acceptances.count)
        var counts: [String: FindingsDocument.ToolCounts] = [:]
        var toolOrder: [String] = []
        var groups: [GroupKey: FindingsDocument.FindingGroup] = [:]
        var groupOrder: [GroupKey] = []
        // By rule, so that each result meets only the acceptances of its own rule.
        let acceptancesByRule = Dictionary(grouping: acceptances.indices) { acceptances[$0].rule.lowercased() }
        for result in results {
            let covering = (acceptancesByRule[result.rule.lowercased()] ?? []).filter { acceptances[$0].covers(result) }
            for index in covering { matched[index] += 1 }
            let current = covering.first { acceptances[$0].isCurrent(on: today) }
            let expired = current == nil ? covering.first : nil
            if counts[result.tool] == nil {
                counts[result.tool] = FindingsDocument.ToolCounts(tool: result.tool)
                toolOrder.append(result.tool)
            }
            if current != nil { counts[result.tool]!.accepted += 1 } else { counts[result.tool]![result.severity] += 1 }

            let cover: GroupKey.Cover = current.map(GroupKey.Cover.accepted) ?? expired.map(GroupKey.Cover.expired) ?? .none
            let key = GroupKey(tool: result.tool, rule: result.rule, cover: cover)
            if var group = groups[key] {
                group.count += 1
                group.severity = max(group.severity, result.severity)
                if let location = result.location, group.locations.count < FindingsDocument.FindingGroup.placesKept,
                    !group.locations.contains(location)
                {
                    group.locations.append(location)
                }
                groups[key] = group
            } else {
                groupOrder.append(key)
                groups[key] = FindingsDocument.FindingGroup(
                    tool: result.tool, rule: result.rule, severity: result.severity, score: result.score,
                    summary: result.ruleDescription ?? Self.firstLine(of: result.message), message: result.message, helpURI: result.helpURI,
                    count: 1, locations: result.location.map { [$0] } ?? [], blocking: false, accepted: current.map(note),
                    expired: expired.map(note))
            }
        }
        var findings = groupOrder.map { groups[$0]! }
        for index in findings.indices {
            findings[index].blocking = findings[index].accepted == nil && failOn.map { findings[index].severity >= $0 } ?? false
        }
        // Most severe first; among equals, what fails the gate, then what is most widespread, then
        // the order the files list them in.
        findings = findings.enumerated().sorted { left, right in
            let (a, b) = (left.element, right.element)
            return (a.severity, a.blocking ? 1 : 0, a.count, -left.offset) > (b.severity, b.blocking ? 1 : 0, b.count, -right.offset)
        }.map(\.element)
        let uses = acceptances.indices.map { index in
            let acceptance = acceptances[index]
            let status: FindingsDocument.AcceptanceUse.Status =
                !acceptance.isCurrent(on: today) ? .expired : matched[index] == 0 ? .stale : .current
            return FindingsDocument.AcceptanceUse(
                rule: acceptance.rule, tool: acceptance.tool, location: acceptance.location?.description, reason: acceptance.reason,
                until: acceptance.until, source: acceptance.source, matched: matched[index], status: status)
        }
        return FindingsDocument(
            files: files, failOn: failOn, today: today, passed: !findings.contains(where: \.blocking),
            tools: toolOrder.map { counts[$0]! }, findings: findings, acceptances: uses)
    }

    /// A finding's line: results of one rule of one tool, covered alike.
    private struct GroupKey: Hashable {
        /// Which acceptance covers the results, by its index.
        enum Cover: Hashable {
            case none
            case accepted(Int)
            case expired(Int)
        }

        var tool: String
        var rule: String
        var cover: Cover
    }

    private func note(_ index: Int) -> FindingsDocument.AcceptanceNote {
        let acceptance = acceptances[index]
        return FindingsDocument.AcceptanceNote(reason: acceptance.reason, until: acceptance.until, source: acceptance.source)
    }

    private static func firstLine(of text: String) -> String {
        String(text.prefix { $0 != "\n" && $0 != "\r" })
    }
}
