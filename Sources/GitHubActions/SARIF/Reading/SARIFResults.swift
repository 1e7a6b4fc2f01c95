import Basics
import Foundation

/// The results of a decoded SARIF file, judged: each rule found, each severity derived, each
/// limit checked; a problem names the file and the JSON path.
struct SARIFResults {
    let file: String

    func results(of log: SARIFFile) throws(GantryError) -> [ScannedResult] {
        guard let version = log.version else {
            throw .invalidSARIF("\(file) is not SARIF: expected a JSON object with \"version\": \"2.1.0\" and \"runs\"")
        }
        guard version == "2.1.0" else {
            throw .invalidSARIF("\(file): $.version: SARIF version \"\(cut(version))\" is not supported; expected \"2.1.0\"")
        }
        guard let runs = log.runs else { throw .invalidSARIF("\(file): $.runs: missing; expected the tool's runs") }
        try check(runs.count, atMost: SARIFLimits.runs, "runs", at: "$.runs")
        let resultCount = runs.reduce(0) { $0 + ($1.results?.count ?? 0) }
        if resultCount > SARIFLimits.results {
            throw .invalidSARIF("\(file): $.runs: \(resultCount) results; expected at most \(SARIFLimits.results) in one file")
        }
        var results: [ScannedResult] = []
        for (index, run) in runs.enumerated() {
            results += try self.results(of: run, at: "$.runs[\(index)]")
        }
        return results
    }

    private func results(of run: SARIFFile.Run, at path: String) throws(GantryError) -> [ScannedResult] {
        guard let driver = run.tool?.driver else {
            throw .invalidSARIF("\(file): \(path).tool.driver: missing; expected the tool that wrote the run")
        }
        guard let name = driver.name else { throw .invalidSARIF("\(file): \(path).tool.driver.name: missing; expected the tool's name") }
        let extensions = run.tool?.extensions ?? []
        try check(extensions.count, atMost: SARIFLimits.runs, "extensions", at: "\(path).tool.extensions")
        var components = [Component(driver, at: "\(path).tool.driver")]
        components += extensions.enumerated().map { Component($1, at: "\(path).tool.extensions[\($0)]") }
        for component in components {
            try check(component.rules.count, atMost: SARIFLimits.rules, "rules", at: "\(component.path).rules")
        }
        var results: [ScannedResult] = []
        for (index, result) in (run.results ?? []).enumerated() {
            if let scanned = try self.result(result, at: "\(path).results[\(index)]", tool: cut(name), components: &components) {
                results.append(scanned)
            }
        }
        return results
    }

    /// The result, or nil when it is no problem (its `kind` is not `fail`, or its level `none`).
    private func result(
        _ result: SARIFFile.Result, at path: String, tool: String, components: inout [Component]
    ) throws(GantryError) -> ScannedResult? {
        if let kind = result.kind, kind != "fail" { return nil }
        // `toolComponent.index` counts the run's extensions; without one (or at SARIF's default,
        // -1), the rules are the driver's.
        let extensionCount = components.count - 1
        let componentIndex: Int
        switch try wholeNumber(result.rule?.toolComponent?.index, at: "\(path).rule.toolComponent.index") {
        case nil, -1: componentIndex = 0
        case let index? where (0..<extensionCount).contains(index): componentIndex = index + 1
        case let index?:
            throw .invalidSARIF(
                "\(file): \(path).rule.toolComponent.index: tool extension \(index) does not exist; the run has \(counted(extensionCount, "extension"))"
            )
        }
        let id = result.ruleId ?? result.rule?.id
        var found: (rule: SARIFFile.Rule, path: String)?
        let indexField = result.ruleIndex != nil ? "ruleIndex" : "rule.index"
        if let index = try wholeNumber(result.ruleIndex ?? result.rule?.index, at: "\(path).\(indexField)"), index >= 0 {
            let rules = components[componentIndex].rules
            guard rules.indices.contains(index) else {
                throw .invalidSARIF(
                    "\(file): \(path).\(indexField): rule \(index) does not exist; the tool declares \(counted(rules.count, "rule"))")
            }
            found = (rules[index], "\(components[componentIndex].path).rules[\(index)]")
        } else if let id {
            found = components[componentIndex].rule(withID: id)
        }
        let descriptor = found?.rule
        guard let rule = id ?? descriptor?.id else {
            throw .invalidSARIF("\(file): \(path): no rule; expected a ruleId, or a ruleIndex into the tool's rules")
        }
        let levelText = result.level ?? descriptor?.defaultConfiguration?.level ?? "warning"
        if levelText == "none" { return nil }
        guard let level = SARIFLog.Level(rawValue: levelText) else {
            let field = result.level != nil ? "\(path).level" : "the rule's defaultConfiguration.level (\(path))"
            throw .invalidSARIF("\(file): \(field): unknown level \"\(cut(levelText))\"; expected error, warning, note or none")
        }
        let score = try found.flatMap { found throws(GantryError) in
            try found.rule.properties?.securitySeverity.map { score throws(GantryError) in
                try securityScore(score, at: JSONPath.member("security-severity", of: "\(found.path).properties"))
            }
        }
        let ruleDescription = descriptor?.shortDescription.flatMap(text)
        return ScannedResult(
            tool: tool, rule: cut(rule), severity: score.flatMap(Severity.init(securityScore:)) ?? Severity(level: level), score: score,
            message: result.message.flatMap(text) ?? ruleDescription ?? cut(rule), ruleDescription: ruleDescription,
            helpURI: descriptor?.helpUri.map(cut), location: try location(of: result, at: path))
    }

    private func securityScore(_ score: SARIFFile.Score, at path: String) throws(GantryError) -> Double {
        let (value, written): (Double?, String) =
            switch score {
            case .number(let number): (number, String(number))
            case .text(let text): (Double(text.trimmingCharacters(in: .whitespaces)), JSONValue.string(text).description)
            }
        guard let value, value.isFinite, (0...10).contains(value) else {
            throw .invalidSARIF(
                "\(file): \(path): expected a score from 0.0 to 10.0 as a string, such as \"7.5\"; got \(cut(written))"
            )
        }
        return value
    }

    /// A message's `text`, else its `markdown`, cut to the limit.
    private func text(of message: SARIFFile.Message) -> String? { (message.text ?? message.markdown).map(cut) }

    private func location(of result: SARIFFile.Result, at resultPath: String) throws(GantryError) -> ScannedResult.Location? {
        guard let physical = result.locations?.first?.physicalLocation, var path = physical.artifactLocation?.uri else { return nil }
        if path.hasPrefix("file://") { path = String(path.dropFirst("file://".count)) }
        path = path.removingPercentEncoding ?? path
        let line = try wholeNumber(physical.region?.startLine, at: "\(resultPath).locations[0].physicalLocation.region.startLine")
        return ScannedResult.Location(path: cut(path), line: line.flatMap { $0 > 0 ? $0 : nil })
    }

    /// The whole number at `path`, or an error that names the path and what is there instead.
    private func wholeNumber(_ number: SARIFInteger?, at path: String) throws(GantryError) -> Int? {
        switch number {
        case nil: return nil
        case .whole(let value): return value
        case .other(let value) where value.rounded() == value:
            throw .invalidSARIF("\(file): \(path): \(value) is out of range; expected a whole number from \(Int.min) to \(Int.max)")
        case .other(let value):
            throw .invalidSARIF("\(file): \(path): expected a whole number, got \(value)")
        }
    }

    private func check(_ count: Int, atMost limit: Int, _ what: String, at path: String) throws(GantryError) {
        guard count <= limit else { throw .invalidSARIF("\(file): \(path): \(count) \(what); expected at most \(limit)") }
    }

    private func cut(_ text: String) -> String {
        text.count <= SARIFLimits.textLength ? text : text.prefix(SARIFLimits.textLength) + "…"
    }
}

/// A tool component (the driver or an extension) and its rules, found by position or by id.
private struct Component {
    let rules: [SARIFFile.Rule]
    /// Where it is, for messages.
    let path: String
    private var byID: [String: Int]?

    init(_ component: SARIFFile.Component, at path: String) {
        rules = component.rules ?? []
        self.path = path
    }

    /// The first rule with this id, and its path; the index is built on the first lookup.
    mutating func rule(withID id: String) -> (rule: SARIFFile.Rule, path: String)? {
        if byID == nil {
            var index: [String: Int] = [:]
            for (position, rule) in rules.enumerated() {
                if let id = rule.id, index[id] == nil { index[id] = position }
            }
            byID = index
        }
        return byID![id].map { (rules[$0], "\(path).rules[\($0)]") }
    }
}
