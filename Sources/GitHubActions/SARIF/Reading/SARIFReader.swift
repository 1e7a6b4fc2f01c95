import Basics
import Foundation

/// Reads the results of another tool's SARIF 2.1.0 file (Trivy, Grype, CodeQL, hadolint, …).
///
/// The file is hostile input: it is refused past `SARIFLimits` (its size before it is read, its
/// nesting before it is parsed, its runs, rules and results while they are read), and anything
/// that is not what SARIF puts there is an error that names the file and the JSON path.
package enum SARIFReader {
    /// The results of the file at `path`, named `name` in messages (the path by default).
    package static func read(contentsOf path: String, as name: String? = nil) throws(GantryError) -> [ScannedResult] {
        let name = name ?? path
        guard let file = FileHandle(forReadingAtPath: path) else {
            throw .io("cannot read the SARIF file \(name): no readable file there")
        }
        defer { try? file.close() }
        // One byte past the limit is enough to refuse the file: a larger one is never read whole.
        let data: Data
        do {
            data = try file.read(upToCount: SARIFLimits.fileSize + 1) ?? Data()
        } catch {
            throw .io("cannot read the SARIF file \(name): \(error.localizedDescription)")
        }
        return try read(data, name: name)
    }

    /// The results of SARIF text, named `name` in messages.
    package static func read(_ data: Data, name: String) throws(GantryError) -> [ScannedResult] {
        guard data.count <= SARIFLimits.fileSize else {
            throw .io("\(name) is larger than \(SARIFLimits.fileSize >> 20) MiB, the most gantry reads of a SARIF file")
        }
        if let (line, column) = JSONNesting.firstPlace(deeperThan: SARIFLimits.nesting, in: data) {
            throw .io("\(name):\(line):\(column): nested deeper than \(SARIFLimits.nesting) levels; SARIF needs about ten")
        }
        // JSONSerialization, not JSONValue's Decodable: decoding tries each type in turn, which took
        // 15 s for 100,000 results against well under one.
        let value: JSONValue
        do {
            value = JSONValue(foundationObject: try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]))
        } catch {
            throw .io("\(name) is not JSON (truncated?): \(describe(error)); expected a SARIF 2.1.0 file")
        }
        var reader = Reader(file: name)
        return try reader.results(ofLog: SARIFNode(value: value, path: "$"))
    }

    /// What the parser found wrong, in one line.
    private static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        return (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? nsError.localizedDescription
    }
}

/// The walk over one file, counting what the limits bound.
private struct Reader {
    let file: String
    var resultCount = 0

    init(file: String) { self.file = file }

    mutating func results(ofLog root: SARIFNode) throws(GantryError) -> [ScannedResult] {
        guard case .object = root.value, let version = root["version"] else {
            throw .io("\(file) is not SARIF: expected a JSON object with \"version\": \"2.1.0\" and \"runs\"")
        }
        let versionText = try version.string(in: file)
        guard versionText == "2.1.0" else {
            throw .io("\(file): \(version.path): SARIF version \"\(versionText)\" is not supported; expected \"2.1.0\"")
        }
        guard let runs = root["runs"] else { throw .io("\(file): $.runs: missing; expected the tool's runs") }
        var results: [ScannedResult] = []
        for run in try runs.array(in: file, atMost: SARIFLimits.runs, of: "runs") {
            results += try self.results(ofRun: run)
        }
        return results
    }

    private mutating func results(ofRun run: SARIFNode) throws(GantryError) -> [ScannedResult] {
        guard let driver = run["tool"]?["driver"] else {
            throw .io("\(file): \(run.path).tool.driver: missing; expected the tool that wrote the run")
        }
        guard let nameNode = driver["name"] else { throw .io("\(file): \(driver.path).name: missing; expected the tool's name") }
        let tool = cut(try nameNode.string(in: file))
        var components = [try Component(driver, file: file)]
        for extensionNode in try run["tool"]?["extensions"]?.array(in: file, atMost: SARIFLimits.runs, of: "extensions") ?? [] {
            components.append(try Component(extensionNode, file: file))
        }
        var results: [ScannedResult] = []
        for result in try run["results"]?.array(in: file, atMost: SARIFLimits.results, of: "results") ?? [] {
            resultCount += 1
            guard resultCount <= SARIFLimits.results else {
                throw .io("\(file): \(result.path): more than \(SARIFLimits.results) results; expected at most that many in one file")
            }
            if let scanned = try self.result(result, tool: tool, components: &components) { results.append(scanned) }
        }
        return results
    }

    /// The result, or nil when it is no problem (its `kind` is not `fail`, or its level `none`).
    private func result(_ result: SARIFNode, tool: String, components: inout [Component]) throws(GantryError) -> ScannedResult? {
        if let kind = result["kind"], try kind.string(in: file) != "fail" { return nil }
        let reference = result["rule"]
        let componentNode = reference?["toolComponent"]?["index"]
        // `toolComponent.index` counts the run's extensions (CodeQL's query packs); without one, the driver's rules.
        let extensionIndex = try componentNode?.integer(in: file)
        let componentIndex = extensionIndex.map { $0 + 1 } ?? 0
        guard components.indices.contains(componentIndex) else {
            throw .io(
                "\(file): \(componentNode?.path ?? result.path): tool extension \(extensionIndex ?? 0) does not exist; the run has \(counted(components.count - 1, "extension"))"
            )
        }
        let id = try (result["ruleId"] ?? reference?["id"])?.string(in: file)
        let indexNode = result["ruleIndex"] ?? reference?["index"]
        let index = try indexNode?.integer(in: file) ?? -1
        var descriptor: SARIFNode?
        if let indexNode, index >= 0 {
            guard components[componentIndex].rules.indices.contains(index) else {
                throw .io(
                    "\(file): \(indexNode.path): rule \(index) does not exist; the tool declares \(counted(components[componentIndex].rules.count, "rule"))"
                )
            }
            descriptor = components[componentIndex].rules[index]
        } else if let id {
            descriptor = try components[componentIndex].rule(withID: id, in: file)
        }
        let declaredID = try descriptor?["id"]?.string(in: file)
        guard let rule = id ?? declaredID else {
            throw .io("\(file): \(result.path): no rule; expected a ruleId, or a ruleIndex into the tool's rules")
        }
        let levelNode = result["level"] ?? descriptor?["defaultConfiguration"]?["level"]
        let levelText = try levelNode?.string(in: file) ?? "warning"
        if levelText == "none" { return nil }
        guard let level = SARIFLog.Level(rawValue: levelText) else {
            throw .io("\(file): \(levelNode!.path): unknown level \"\(cut(levelText))\"; expected error, warning, note or none")
        }
        let score = try descriptor?["properties"]?["security-severity"].map { node throws(GantryError) in try securityScore(node) }
        let message = try result["message"].flatMap { node throws(GantryError) in try text(of: node) }
        let ruleDescription = try descriptor?["shortDescription"].flatMap { node throws(GantryError) in try text(of: node) }
        let helpURI = try descriptor?["helpUri"]?.string(in: file)
        return ScannedResult(
            tool: tool, rule: cut(rule), severity: score.flatMap(Severity.init(securityScore:)) ?? Severity(level: level), score: score,
            message: message ?? ruleDescription ?? cut(rule), ruleDescription: ruleDescription,
            helpURI: helpURI.map(cut), location: try location(of: result))
    }

    private func securityScore(_ node: SARIFNode) throws(GantryError) -> Double {
        let score: Double? =
            switch node.value {
            case .string(let text): Double(text.trimmingCharacters(in: .whitespaces))
            case .number(let number): number
            default: nil
            }
        guard let score, score.isFinite, (0...10).contains(score) else {
            throw .io(
                "\(file): \(node.path): expected a score from 0.0 to 10.0 as a string, such as \"7.5\"; got \(cut(node.value.description))")
        }
        return score
    }

    /// A message's `text`, else its `markdown`, cut to the limit.
    private func text(of message: SARIFNode) throws(GantryError) -> String? {
        let text = try (message["text"] ?? message["markdown"])?.string(in: file)
        return text.map(cut)
    }

    private func location(of result: SARIFNode) throws(GantryError) -> ScannedResult.Location? {
        guard let first = try result["locations"]?.array(in: file, atMost: Int.max, of: "locations").first,
            let physical = first["physicalLocation"], let uriNode = physical["artifactLocation"]?["uri"]
        else { return nil }
        var path = try uriNode.string(in: file)
        if path.hasPrefix("file://") { path = String(path.dropFirst("file://".count)) }
        path = path.removingPercentEncoding ?? path
        let line = try physical["region"]?["startLine"]?.integer(in: file)
        return ScannedResult.Location(path: cut(path), line: line.flatMap { $0 > 0 ? $0 : nil })
    }

    private func cut(_ text: String) -> String {
        text.count <= SARIFLimits.textLength ? text : text.prefix(SARIFLimits.textLength) + "…"
    }
}

/// A tool component (the driver or an extension) and its rules, found by position or by id.
private struct Component {
    let rules: [SARIFNode]
    private var byID: [String: Int]?

    init(_ node: SARIFNode, file: String) throws(GantryError) {
        rules = try node["rules"]?.array(in: file, atMost: SARIFLimits.rules, of: "rules") ?? []
    }

    /// The first rule with this id; the index is built on the first lookup.
    mutating func rule(withID id: String, in file: String) throws(GantryError) -> SARIFNode? {
        if byID == nil {
            var index: [String: Int] = [:]
            for (position, rule) in rules.enumerated() {
                guard let id = try rule["id"]?.string(in: file), index[id] == nil else { continue }
                index[id] = position
            }
            byID = index
        }
        return byID![id].map { rules[$0] }
    }
}
