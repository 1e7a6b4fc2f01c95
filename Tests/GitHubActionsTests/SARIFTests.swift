import Basics
import Foundation
import GitHubActions
import TestSupport
import Testing

@Suite("SARIF for GitHub code scanning")
struct SARIFTests {
    static let category = "gantry/validate/"
    let builder = SARIFBuilder(category: Self.category, toolVersion: "1.4.0", defaultFile: "ci/gantry.yml")

    /// One finding of each kind, including the awkward ones.
    static let findings: [Finding] = [
        Finding(
            Diagnostic(
                "unknown key `depend_on` in `services.api`; did you mean `depends_on`?",
                at: SourceLocation(file: "ci/gantry.yml", line: 12, column: 5), kind: .unknownKey)),
        Finding(
            rule: .dependencyCycle, message: "dependency cycle: api → worker → api",
            location: SourceLocation(file: "./ci/gantry.yml", line: 20, column: 17)),
        Finding(
            rule: .latencyBudgetExceeded, message: "api: p95 812 ms exceeds the budget of 500 ms",
            location: SourceLocation(file: "ci/gantry.yml", line: 30, column: 9)),
        Finding(rule: .environmentStartFailed, message: "image ghcr.io/acme/api:pr-42 could not be pulled: manifest unknown"),
        Finding(rule: .environmentTeardownFailed, message: "network gantry-42_default is still in use"),
        Finding(
            rule: .invalidGlob, message: "invalid glob \"[abc\" in `groups.docs`",
            location: SourceLocation(file: "services/my api/naïve 日本.yml", line: 3, column: 0)),
        Finding(
            rule: .smokeFailed, message: "GET /health returned 503",
            location: SourceLocation(file: "tests/smoke [prod]/#1?.sh", line: 7, column: 2)),
    ]

    // MARK: Schema

    @Test("a log with zero findings is valid: one run with the category, the tool, every rule and no results")
    func emptyLog() throws {
        let json = builder.json(for: [])
        try expectValid(json)

        let log = try object(json)
        #expect(log["$schema"] as? String == "https://json.schemastore.org/sarif-2.1.0.json")
        #expect(log["version"] as? String == "2.1.0")
        let runs = try #require(log["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let run = try #require(runs.first)
        #expect((run["automationDetails"] as? [String: Any])?["id"] as? String == Self.category)
        let results = try #require(run["results"] as? [Any], "results must be present, as an empty array")
        #expect(results.isEmpty)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "gantry")
        #expect(driver["version"] as? String == "1.4.0")
        #expect(driver["semanticVersion"] as? String == "1.4.0")
        #expect(driver["informationUri"] as? String == "https://github.com/gantry-ci/gantry")
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.compactMap { $0["id"] as? String } == Rule.all.map(\.id))
    }

    @Test("a log with configuration, gate and environment findings, with and without locations, is valid")
    func severalFindings() throws {
        let json = builder.json(for: Self.findings)
        try expectValid(json)

        let results = try self.results(json)
        #expect(results.count == Self.findings.count)
        #expect(results.compactMap { $0["ruleId"] as? String } == Self.findings.map(\.rule.id))

        // A configuration error keeps its line and column.
        #expect(try uri(results[0]) == "ci/gantry.yml")
        #expect(try region(results[0]) == [12, 5])
        #expect(try message(results[0]) == "unknown key `depend_on` in `services.api`; did you mean `depends_on`?")
        // "./" is dropped.
        #expect(try uri(results[1]) == "ci/gantry.yml")
        #expect(try region(results[1]) == [20, 17])
        // A finding without a location is put at line 1 of the default file.
        #expect(try uri(results[3]) == "ci/gantry.yml")
        #expect(try region(results[3]) == [1])
        // Spaces, non-ASCII and reserved characters are percent-encoded; an unknown column is left out.
        #expect(try uri(results[5]) == "services/my%20api/na%C3%AFve%20%E6%97%A5%E6%9C%AC.yml")
        #expect(try uri(results[5]).removingPercentEncoding == "services/my api/naïve 日本.yml")
        #expect(try region(results[5]) == [3])
        #expect(try uri(results[6]) == "tests/smoke%20%5Bprod%5D/%231%3F.sh")
        #expect(try uri(results[6]).removingPercentEncoding == "tests/smoke [prod]/#1?.sh")
        // Levels come from the rules.
        #expect(results.compactMap { $0["level"] as? String } == ["error", "error", "error", "error", "warning", "error", "error"])
    }

    @Test("the validator itself rejects what GitHub would reject")
    func validatorRejectsInvalidLogs() throws {
        let valid = builder.json(for: Array(Self.findings.prefix(1)))
        let broken = [
            valid.replacingOccurrences(of: "\"startLine\" : 12", with: "\"startLine\" : 0"),
            valid.replacingOccurrences(of: "\"uri\" : \"ci/gantry.yml\"", with: "\"uri\" : \"ci/my gantry.yml\""),
            valid.replacingOccurrences(of: "\"level\" : \"error\"", with: "\"level\" : \"fatal\""),
            valid.replacingOccurrences(of: "\"version\" : \"2.1.0\"", with: "\"version\" : \"2.0.0\""),
        ]
        for json in broken {
            #expect(json != valid)
            let errors = try sarifSchemaErrors(of: json)
            #expect(!errors.isEmpty, "the validator accepted an invalid log:\n\(json)")
        }
    }

    // MARK: GitHub's rules

    @Test("every rule has what GitHub displays: id, name, descriptions, help, helpUri, level, tags, problem.severity")
    func rulesForGitHub() throws {
        let json = builder.json(for: Self.findings)
        let rules = try self.rules(json)
        #expect(rules.count == Rule.all.count)
        var ids = Set<String>()
        var names = Set<String>()
        for rule in rules {
            let id = try #require(rule["id"] as? String)
            #expect(!id.isEmpty && id.hasPrefix("gantry/"))
            #expect(ids.insert(id).inserted, "duplicate rule id \(id)")
            let name = try #require(rule["name"] as? String)
            #expect(!name.isEmpty && name != id)
            #expect(names.insert(name).inserted, "duplicate rule name \(name)")
            for key in ["shortDescription", "fullDescription", "help"] {
                let text = (rule[key] as? [String: Any])?["text"] as? String
                #expect(text?.isEmpty == false, "\(id) has no \(key).text")
            }
            let markdown = (rule["help"] as? [String: Any])?["markdown"] as? String
            #expect(markdown?.isEmpty == false, "\(id) has no help.markdown")
            let helpURI = try #require(rule["helpUri"] as? String)
            #expect(helpURI.hasPrefix(Rule.helpBaseURI) && helpURI.count > Rule.helpBaseURI.count)
            let level = (rule["defaultConfiguration"] as? [String: Any])?["level"] as? String
            #expect(["error", "warning", "note"].contains(level ?? ""), "\(id) has level \(level ?? "nil")")
            let properties = try #require(rule["properties"] as? [String: Any])
            let tags = try #require(properties["tags"] as? [String])
            #expect(!tags.isEmpty && Set(tags).count == tags.count && !tags.contains("security"))
            let severity = properties["problem.severity"] as? String
            #expect(["error", "warning", "recommendation"].contains(severity ?? ""), "\(id) has problem.severity \(severity ?? "nil")")
        }
        #expect(ids == Set(Rule.all.map(\.id)))
        #expect(!containsKey("security-severity", in: try object(json)))
        #expect(!json.contains("security-severity"))
    }

    @Test("every result names its rule consistently, with a level, a relative location and a fingerprint")
    func resultsForGitHub() throws {
        let json = builder.json(for: Self.findings)
        let rules = try self.rules(json)
        let results = try self.results(json)
        for result in results {
            let ruleID = try #require(result["ruleId"] as? String)
            let ruleIndex = try #require(result["ruleIndex"] as? Int)
            #expect(rules.indices.contains(ruleIndex) && rules[ruleIndex]["id"] as? String == ruleID)
            #expect(["error", "warning", "note"].contains(result["level"] as? String ?? ""))
            #expect(try !message(result).isEmpty)
            let locations = try #require(result["locations"] as? [[String: Any]])
            #expect(locations.count == 1)
            let artifact = try #require((locations[0]["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: Any])
            let uri = try #require(artifact["uri"] as? String)
            #expect(!uri.isEmpty && !uri.hasPrefix("/") && !uri.lowercased().hasPrefix("file:") && !uri.contains("./"))
            #expect(URL(string: uri) != nil && URL(string: uri)?.scheme == nil)
            #expect(artifact["uriBaseId"] as? String == "%SRCROOT%")
            let region = try region(result)
            #expect(region[0] >= 1 && region.allSatisfy { $0 >= 1 })
            let fingerprints = try #require(result["partialFingerprints"] as? [String: String])
            #expect(fingerprints["gantry/v1"]?.isEmpty == false)
        }
        let run = try #require(try object(json)["runs"] as? [[String: Any]]).first
        #expect((run?["automationDetails"] as? [String: Any])?["id"] as? String == Self.category)
    }

    @Test("fingerprints are stable across builds and differ between different findings")
    func fingerprints() throws {
        let first = try fingerprints(of: Self.findings)
        let second = try fingerprints(of: Self.findings)
        #expect(first == second)
        #expect(Set(first).count == first.count, "different findings must have different fingerprints: \(first)")

        let base = Finding(
            rule: .unknownDependency, message: "`web` depends on `apu`", location: SourceLocation(file: "gantry.yml", line: 4, column: 3))
        func fingerprint(_ finding: Finding) throws -> String { try #require(try fingerprints(of: [finding]).first) }
        // The same problem on another line, or with another measured value, keeps its alert.
        var moved = base
        moved.location = SourceLocation(file: "gantry.yml", line: 9, column: 7)
        #expect(try fingerprint(moved) == fingerprint(base))
        #expect(
            try fingerprint(Finding(rule: .latencyBudgetExceeded, message: "api: p95 812.5 ms over   500 ms"))
                == fingerprint(Finding(rule: .latencyBudgetExceeded, message: "api: p95 1,020 ms over 500 ms")))
        // Another rule, file or message is another alert.
        var otherRule = base
        otherRule.rule = .invalidName
        var otherFile = base
        otherFile.location?.file = "ci/gantry.yml"
        var otherMessage = base
        otherMessage.message = "`web` depends on `dbb`"
        let variants = try [base, otherRule, otherFile, otherMessage].map(fingerprint)
        #expect(Set(variants).count == variants.count)
        // The same finding twice in one run is two alerts.
        let twice = try fingerprints(of: [base, moved])
        #expect(twice[0] != twice[1])
        #expect(twice[0] == (try fingerprint(base)))
    }

    // MARK: Details

    @Test("paths are normalised, kept relative and percent-encoded; paths outside the repository have no URI")
    func artifactURIs() {
        #expect(SARIFBuilder.artifactURI(forPath: "gantry.yml") == "gantry.yml")
        #expect(SARIFBuilder.artifactURI(forPath: "./gantry.yml") == "gantry.yml")
        #expect(SARIFBuilder.artifactURI(forPath: "././ci//./gantry.yml") == "ci/gantry.yml")
        #expect(SARIFBuilder.artifactURI(forPath: "ci/../gantry.yml") == "gantry.yml")
        #expect(SARIFBuilder.artifactURI(forPath: "c:/x 100%.yml") == "c%3A/x%20100%25.yml")
        #expect(SARIFBuilder.artifactURI(forPath: "a-b_c.d~e/f(1)+g@h.yml") == "a-b_c.d~e/f(1)+g@h.yml")
        #expect(SARIFBuilder.artifactURI(forPath: "/etc/gantry.yml") == nil)
        #expect(SARIFBuilder.artifactURI(forPath: "../gantry.yml") == nil)
        #expect(SARIFBuilder.artifactURI(forPath: "ci/../../gantry.yml") == nil)
        #expect(SARIFBuilder.artifactURI(forPath: "") == nil)
        #expect(SARIFBuilder.artifactURI(forPath: ".") == nil)
    }

    @Test("a path outside the repository goes to the default file, and the message says where it was")
    func locationOutsideRepository() throws {
        let finding = Finding(
            rule: .invalidYAML, message: "invalid YAML: found a tab", location: SourceLocation(file: "/tmp/other.yml", line: 3, column: 4))
        let json = builder.json(for: [finding])
        try expectValid(json)
        let result = try #require(try results(json).first)
        #expect(try uri(result) == "ci/gantry.yml")
        #expect(try region(result) == [1])
        #expect(try message(result) == "invalid YAML: found a tab (reported at /tmp/other.yml:3:4)")
    }

    @Test("messages are non-empty plain text that cannot form embedded links")
    func messages() throws {
        let json = builder.json(for: [
            Finding(rule: .missingFile, message: "  \n"),
            Finding(rule: .unknownKey, message: "unknown key `[x](1)` in the top level\n"),
        ])
        try expectValid(json)
        let results = try results(json)
        #expect(try message(results[0]) == Rule.missingFile.shortDescription)
        #expect(try message(results[1]) == "unknown key `[x] (1)` in the top level")
    }

    @Test("the tool's version is written as semanticVersion only when it is one")
    func toolVersions() throws {
        let cases: [(String, String?, String?)] = [
            ("1.4.0", "1.4.0", "1.4.0"), ("v2.0.0-rc.1+sha.5114f85", "v2.0.0-rc.1+sha.5114f85", "2.0.0-rc.1+sha.5114f85"),
            ("0.1.0-dev", "0.1.0-dev", "0.1.0-dev"), ("1.2", "1.2", nil), ("01.2.3", "01.2.3", nil), ("dev", "dev", nil), ("", nil, nil),
        ]
        for (version, expectedVersion, expectedSemanticVersion) in cases {
            let json = SARIFBuilder(category: "gantry/validate/", toolVersion: version).json(for: [])
            try expectValid(json)
            let driver = (try run(json)["tool"] as? [String: Any])?["driver"] as? [String: Any]
            #expect(driver?["version"] as? String == expectedVersion, "version for \(version)")
            #expect(driver?["semanticVersion"] as? String == expectedSemanticVersion, "semanticVersion for \(version)")
        }
    }

    @Test("the JSON has sorted keys, unescaped slashes, and decodes back to the same log")
    func encoding() throws {
        let log = builder.log(for: Self.findings)
        let json = builder.json(for: Self.findings)
        #expect(json.hasPrefix("{\n  \"$schema\" : \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"runs\""))
        #expect(!json.contains("\\/"))
        #expect(json.contains("\"problem.severity\" : \"error\""))
        #expect(json.contains("\"columnKind\" : \"unicodeCodePoints\""))
        let decoded = try JSONDecoder().decode(SARIFLog.self, from: Data(json.utf8))
        #expect(decoded == log)
        #expect(decoded.runs[0].tool.driver.rules.count == Rule.all.count)
    }

    @Test("a finding with a rule outside the catalogue gets a rule appended after the catalogue's")
    func extraRule() throws {
        let custom = Rule(
            id: "gantry/custom/example", name: "Example", shortDescription: "An example.", fullDescription: "An example rule.",
            help: "Nothing to do.", level: .note, tags: ["gantry", "gantry"], helpAnchor: "readme")
        let json = builder.json(for: [Finding(rule: custom, message: "just an example"), Finding(rule: .invalidName, message: "bad")])
        try expectValid(json)
        let rules = try rules(json)
        #expect(rules.count == Rule.all.count + 1)
        #expect(rules.last?["id"] as? String == custom.id)
        #expect((rules.last?["properties"] as? [String: Any])?["problem.severity"] as? String == "recommendation")
        let results = try results(json)
        #expect(results[0]["ruleIndex"] as? Int == Rule.all.count)
        #expect(results[0]["level"] as? String == "note")
        #expect(results[1]["ruleIndex"] as? Int == Rule.all.firstIndex(of: .invalidName))
    }

    // MARK: - Helpers

    private func object(_ json: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    private func run(_ json: String) throws -> [String: Any] {
        try #require((try object(json)["runs"] as? [[String: Any]])?.first)
    }

    private func rules(_ json: String) throws -> [[String: Any]] {
        let driver = (try run(json)["tool"] as? [String: Any])?["driver"] as? [String: Any]
        return try #require(driver?["rules"] as? [[String: Any]])
    }

    private func results(_ json: String) throws -> [[String: Any]] {
        try #require(try run(json)["results"] as? [[String: Any]])
    }

    private func physicalLocation(_ result: [String: Any]) throws -> [String: Any] {
        let locations = try #require(result["locations"] as? [[String: Any]])
        return try #require(locations.first?["physicalLocation"] as? [String: Any])
    }

    private func uri(_ result: [String: Any]) throws -> String {
        try #require((try physicalLocation(result)["artifactLocation"] as? [String: Any])?["uri"] as? String)
    }

    /// `[startLine]` or `[startLine, startColumn]`.
    private func region(_ result: [String: Any]) throws -> [Int] {
        let region = try #require(try physicalLocation(result)["region"] as? [String: Any])
        return [region["startLine"] as? Int, region["startColumn"] as? Int].compactMap { $0 }
    }

    private func message(_ result: [String: Any]) throws -> String {
        try #require((result["message"] as? [String: Any])?["text"] as? String)
    }

    private func fingerprints(of findings: [Finding]) throws -> [String] {
        try results(builder.json(for: findings)).map {
            try #require(($0["partialFingerprints"] as? [String: String])?["gantry/v1"])
        }
    }

    private func containsKey(_ key: String, in value: Any) -> Bool {
        if let object = value as? [String: Any] {
            return object.keys.contains(key) || object.values.contains { containsKey(key, in: $0) }
        }
        if let array = value as? [Any] { return array.contains { containsKey(key, in: $0) } }
        return false
    }

    private func expectValid(_ json: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let errors = try sarifSchemaErrors(of: json)
        #expect(
            errors.isEmpty, "the log does not match the SARIF 2.1.0 schema:\n\(errors.joined(separator: "\n"))\n\(json)",
            sourceLocation: sourceLocation)
    }
}
