import Basics
import Foundation

/// One problem to report to code scanning: which rule, what exactly, and where.
package struct Finding: Sendable, Hashable {
    /// The kind of problem.
    package var rule: Rule
    /// What is wrong in this instance, in plain text; its first sentence should summarise it.
    package var message: String
    /// Where the problem is, when it is in a file; the path relative to the repository root.
    package var location: SourceLocation?

    /// Creates a finding.
    package init(rule: Rule, message: String, location: SourceLocation? = nil) {
        self.rule = rule
        self.message = message
        self.location = location
    }

    /// A finding for a diagnostic of a configuration file, under the rule for its kind.
    package init(_ diagnostic: Diagnostic) {
        self.init(rule: Rule(for: diagnostic.kind), message: diagnostic.message, location: diagnostic.location)
    }
}

/// Turns findings into a SARIF 2.1.0 log that GitHub code scanning accepts (through
/// github/codeql-action/upload-sarif): one run, identified by its category, listing every rule of
/// `Rule.all` so rule indexes never change, with one result per finding in the order given.
///
/// Every result has a location, since GitHub shows no alert without one: a finding without a
/// location, or whose path is not inside the repository (absolute, or leading out with `..`), is
/// placed at line 1 of `defaultFile`, and in the second case the original place is added to the
/// message. Paths are normalised (`./x` → `x`) and percent-encoded as RFC 3986 requires.
///
/// Every result has a `gantry/v1` partial fingerprint (of the rule, the file and the message with
/// numbers masked, plus an occurrence count), so that an unchanged problem keeps its alert across
/// runs, even when it moves to another line or a measured value in its message varies.
package struct SARIFBuilder: Sendable {
    /// The driver's name.
    package static let toolName = "gantry"
    /// The driver's `informationUri`: the documentation, without an anchor.
    package static let informationURI = String(Rule.helpBaseURI.prefix { $0 != "#" })
    /// The key of gantry's own partial fingerprint; the version changes when its computation does.
    package static let fingerprintKey = "gantry/v1"
    /// The base every artifact URI is relative to: the root of the checked-out repository.
    package static let sourceRootBaseID = "%SRCROOT%"

    /// GitHub's analysis category, written as `automationDetails.id`, such as `gantry/validate/`.
    package var category: String
    /// gantry's version, such as `1.4.0`; also written as `semanticVersion` when it is one.
    package var toolVersion: String
    /// The file (relative to the repository root) results without a usable location are placed in.
    package var defaultFile: String

    /// Creates a builder.
    ///
    /// - Parameters:
    ///   - category: The analysis category; uploads of one category replace each other's alerts.
    ///   - toolVersion: gantry's version.
    ///   - defaultFile: Where findings without a location go, at line 1: usually the configuration
    ///     file. A path that is not inside the repository is replaced by `gantry.yml`.
    package init(category: String, toolVersion: String, defaultFile: String = "gantry.yml") {
        self.category = category
        self.toolVersion = toolVersion
        self.defaultFile = defaultFile
    }

    /// The log for the findings: one run with the tool, every rule and one result per finding.
    package func log(for findings: [Finding]) -> SARIFLog {
        var rules = Rule.all
        var indexes: [String: Int] = [:]
        for (index, rule) in rules.enumerated() where indexes[rule.id] == nil { indexes[rule.id] = index }
        for finding in findings where indexes[finding.rule.id] == nil {
            indexes[finding.rule.id] = rules.count
            rules.append(finding.rule)
        }

        var occurrences: [String: Int] = [:]
        let results = findings.map { finding -> SARIFLog.Result in
            let (uri, region, text) = placement(of: finding)
            let hash = Self.fingerprintHash(ruleID: finding.rule.id, uri: uri, message: text)
            occurrences[hash, default: 0] += 1
            return SARIFLog.Result(
                ruleId: finding.rule.id, ruleIndex: indexes[finding.rule.id]!, level: finding.rule.level,
                message: SARIFLog.Message(text: text),
                locations: [
                    SARIFLog.Location(
                        physicalLocation: SARIFLog.PhysicalLocation(
                            artifactLocation: SARIFLog.ArtifactLocation(uri: uri, uriBaseId: Self.sourceRootBaseID),
                            region: region))
                ],
                partialFingerprints: [Self.fingerprintKey: "\(hash):\(occurrences[hash]!)"])
        }

        let version = toolVersion.trimmingCharacters(in: .whitespacesAndNewlines)
        let driver = SARIFLog.ToolComponent(
            name: Self.toolName, version: version.isEmpty ? nil : version, semanticVersion: Self.semanticVersion(version),
            informationUri: Self.informationURI, rules: rules.map(Self.descriptor))
        let run = SARIFLog.Run(
            tool: SARIFLog.Tool(driver: driver),
            automationDetails: category.isEmpty ? nil : SARIFLog.AutomationDetails(id: category),
            columnKind: .unicodeCodePoints, results: results)
        return SARIFLog(runs: [run])
    }

    /// The log for the findings as JSON: sorted keys, pretty-printed, slashes unescaped.
    package func json(for findings: [Finding]) -> String {
        String(decoding: (try? log(for: findings).encoded()) ?? Data(), as: UTF8.self)
    }

    /// The artifact URI of a path relative to the repository root: `.` components and doubled
    /// slashes removed, `..` resolved, every byte RFC 3986 does not allow in a path segment
    /// percent-encoded (`:` too, which would read as a scheme). Nil for a path that is not inside the
    /// repository: empty, absolute, or leading out with `..`.
    package static func artifactURI(forPath path: String) -> String? {
        guard !path.hasPrefix("/") else { return nil }
        var components: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..":
                guard components.popLast() != nil else { return nil }
            default: components.append(component)
            }
        }
        guard !components.isEmpty else { return nil }
        return components.map { percentEncoded(String($0)) }.joined(separator: "/")
    }

    // MARK: - Private

    /// The result's URI, region and message text.
    private func placement(of finding: Finding) -> (uri: String, region: SARIFLog.Region, text: String) {
        var text = Self.plainText(finding.message)
        if text.isEmpty { text = finding.rule.shortDescription }
        let fallbackURI = Self.artifactURI(forPath: defaultFile) ?? "gantry.yml"
        guard let location = finding.location else {
            return (fallbackURI, SARIFLog.Region(startLine: 1), text)
        }
        guard let uri = Self.artifactURI(forPath: location.file) else {
            return (fallbackURI, SARIFLog.Region(startLine: 1), text + " (reported at \(Self.plainText(location.description)))")
        }
        let region = SARIFLog.Region(startLine: max(location.line, 1), startColumn: location.column >= 1 ? location.column : nil)
        return (uri, region, text)
    }

    /// The message as a SARIF plain-text message: trimmed, and with `](` split so that no part of it
    /// reads as an embedded link (`[text](target)`), which viewers would render as one.
    private static func plainText(_ message: String) -> String {
        message.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "](", with: "] (")
    }

    private static func descriptor(_ rule: Rule) -> SARIFLog.ReportingDescriptor {
        var tags: [String] = []
        for tag in rule.tags where !tags.contains(tag) { tags.append(tag) }
        return SARIFLog.ReportingDescriptor(
            id: rule.id, name: rule.name,
            shortDescription: SARIFLog.MultiformatMessageString(text: rule.shortDescription),
            fullDescription: SARIFLog.MultiformatMessageString(text: rule.fullDescription),
            help: SARIFLog.MultiformatMessageString(
                text: rule.help, markdown: "\(rule.help)\n\nSee [the documentation](\(rule.helpURI))."),
            helpUri: rule.helpURI,
            defaultConfiguration: SARIFLog.ReportingConfiguration(level: rule.level),
            properties: SARIFLog.PropertyBag(tags: tags, problemSeverity: rule.problemSeverity))
    }

    /// A hex FNV-1a 64 hash of the rule, the URI and the message with white space collapsed and
    /// every number replaced by `#`, so measured values and line references do not change it.
    private static func fingerprintHash(ruleID: String, uri: String, message: String) -> String {
        var normalized = ""
        var scalars = message.unicodeScalars[...]
        var pendingSpace = false
        while let scalar = scalars.first {
            if scalar.properties.isWhitespace {
                pendingSpace = !normalized.isEmpty
                scalars.removeFirst()
                continue
            }
            if pendingSpace { normalized += " " }
            pendingSpace = false
            if isDigit(scalar) {
                scalars.removeFirst()
                while let next = scalars.first {
                    if isDigit(next) {
                        scalars.removeFirst()
                    } else if next == "." || next == ",", let after = scalars.dropFirst().first, isDigit(after) {
                        scalars.removeFirst(2)
                    } else {
                        break
                    }
                }
                normalized += "#"
            } else {
                normalized.unicodeScalars.append(scalar)
                scalars.removeFirst()
            }
        }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(ruleID)\u{0}\(uri)\u{0}\(normalized)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    /// Percent-encodes every UTF-8 byte that is not unreserved, a sub-delimiter or `@`.
    private static func percentEncoded(_ segment: String) -> String {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=@".utf8)
        var encoded = ""
        for byte in segment.utf8 {
            if allowed.contains(byte) {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                encoded += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return encoded
    }

    /// `version` without a leading `v` when it is a semantic version (`1.2.3`, `1.2.3-rc.1+abc`), else nil.
    private static func semanticVersion(_ version: String) -> String? {
        let candidate = version.hasPrefix("v") ? String(version.dropFirst()) : version
        let identifierCharacters = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-")
        func identifiers(_ text: Substring, numericWithoutLeadingZero: Bool) -> Bool {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            return parts.allSatisfy { part in
                guard !part.isEmpty, part.allSatisfy(identifierCharacters.contains) else { return false }
                guard numericWithoutLeadingZero, part.allSatisfy(\.isASCII), part.allSatisfy(\.isNumber) else { return true }
                return part == "0" || !part.hasPrefix("0")
            }
        }
        var rest = Substring(candidate)
        if let plus = rest.firstIndex(of: "+") {
            guard identifiers(rest[rest.index(after: plus)...], numericWithoutLeadingZero: false) else { return nil }
            rest = rest[..<plus]
        }
        if let dash = rest.firstIndex(of: "-") {
            guard identifiers(rest[rest.index(after: dash)...], numericWithoutLeadingZero: true) else { return nil }
            rest = rest[..<dash]
        }
        let core = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard core.count == 3, core.allSatisfy({ !$0.isEmpty && $0.allSatisfy { "0123456789".contains($0) } }),
            identifiers(rest, numericWithoutLeadingZero: true)
        else { return nil }
        return candidate
    }
}
