import Basics
import Foundation
import GitHubActions
import TestSupport
import Testing

@Suite("Reading other tools' SARIF")
struct SARIFReadingTests {
    private func read(_ text: String, name: String = "scan.sarif") throws -> [ScannedResult] {
        try SARIFReader.read(Data(text.utf8), name: name)
    }

    /// The message of the error reading `text` gives, or nil when it reads.
    private func problem(reading text: String, name: String = "scan.sarif") -> String? {
        do {
            _ = try SARIFReader.read(Data(text.utf8), name: name)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("severity bands as GitHub's: critical from 9.0, high from 7.0, medium from 4.0, low above 0, none at 0")
    func securityScoreBands() {
        #expect(Severity(securityScore: 10) == .critical)
        #expect(Severity(securityScore: 9.0) == .critical)
        #expect(Severity(securityScore: 8.9) == .high)
        #expect(Severity(securityScore: 7.0) == .high)
        #expect(Severity(securityScore: 6.9) == .medium)
        #expect(Severity(securityScore: 4.0) == .medium)
        #expect(Severity(securityScore: 3.9) == .low)
        #expect(Severity(securityScore: 0.1) == .low)
        #expect(Severity(securityScore: 0) == nil)
        #expect(Severity(level: .error) == .high)
        #expect(Severity(level: .warning) == .medium)
        #expect(Severity(level: .note) == .low)
        #expect(Severity.low < .medium && Severity.high < .critical)
    }

    @Test("Trivy: the severity is the rule's security-severity band, with the tool, help link and image location")
    func trivyWithSecuritySeverity() throws {
        let results = try read(
            ScannerSARIF.trivy([
                .init(id: "CVE-2024-3094", package: "xz-utils", severity: "CRITICAL", score: "10.0", title: "xz: malicious code"),
                .init(id: "CVE-2023-44487", package: "nghttp2", severity: "HIGH", score: "7.5", title: "HTTP/2 rapid reset"),
                // Trivy writes the CVSS score: a MEDIUM vendor severity with a 9.8 score is critical to GitHub.
                .init(id: "CVE-2023-0001", package: "zlib", severity: "MEDIUM", score: "9.8", title: "zlib overflow"),
                .init(id: "CVE-2023-0002", package: "tar", severity: "LOW", score: "2.0", title: "tar"),
            ]))
        #expect(results.map(\.severity) == [.critical, .high, .critical, .low])
        #expect(results.map(\.score) == [10.0, 7.5, 9.8, 2.0])
        let first = try #require(results.first)
        #expect(first.tool == "Trivy")
        #expect(first.rule == "CVE-2024-3094")
        #expect(first.ruleDescription == "xz: malicious code")
        #expect(first.helpURI == "https://avd.aquasec.com/nvd/cve-2024-3094")
        #expect(first.location == ScannedResult.Location(path: "ghcr.io/acme/api", line: 1))
        #expect(first.message.hasPrefix("Package: xz-utils\n"))
    }

    @Test("Trivy without security-severity: the result's level decides (error → high, warning → medium, note → low)")
    func trivyWithoutSecuritySeverity() throws {
        let results = try read(
            ScannerSARIF.trivy([
                .init(id: "CVE-1", package: "a", severity: "CRITICAL", score: nil, title: "one"),
                .init(id: "CVE-2", package: "b", severity: "MEDIUM", score: nil, title: "two"),
                .init(id: "CVE-3", package: "c", severity: "LOW", score: nil, title: "three"),
            ]))
        #expect(results.map(\.severity) == [.high, .medium, .low])
        #expect(results.allSatisfy { $0.score == nil })
    }

    @Test("CodeQL: rules found in an extension by rule.index and toolComponent, the level from the rule's defaultConfiguration")
    func codeQLRulesInExtensions() throws {
        let results = try read(
            ScannerSARIF.codeQL([
                .init(rule: "js/xss", score: "6.1", defaultLevel: "error", path: "src/app.js", line: 12, message: "Cross-site scripting"),
                .init(
                    rule: "js/sql-injection", score: "8.8", defaultLevel: "error", path: "src/db.js", line: 3,
                    message: "SQL built from input"),
                .init(
                    rule: "js/unused-local-variable", score: nil, defaultLevel: "note", path: "src/app.js", line: 40, message: "Unused x"),
                .init(rule: "js/todo-comment", score: nil, defaultLevel: "warning", path: "src/app.js", line: 41, message: "TODO"),
            ]))
        #expect(results.map(\.severity) == [.medium, .high, .low, .medium])
        #expect(results.map(\.tool) == Array(repeating: "CodeQL", count: 4))
        #expect(results[1].ruleDescription == "Rule js/sql-injection")
        #expect(results[1].location == ScannedResult.Location(path: "src/db.js", line: 3))
    }

    @Test("hadolint: no rules, so the result's own level decides and there is no help link")
    func hadolintWithoutRules() throws {
        let results = try read(
            ScannerSARIF.hadolint([
                .init(code: "DL3008", level: "warning", line: 4, message: "Pin versions in apt get install."),
                .init(code: "DL3002", level: "error", path: "services/api/Dockerfile", line: 9, message: "Last USER should not be root"),
                .init(code: "DL3059", level: "note", line: 7, message: "Multiple consecutive RUN instructions."),
            ]))
        #expect(results.map(\.severity) == [.medium, .high, .low])
        #expect(results.map(\.rule) == ["DL3008", "DL3002", "DL3059"])
        #expect(results.allSatisfy { $0.helpURI == nil && $0.tool == "Hadolint" })
        #expect(results[1].location == ScannedResult.Location(path: "services/api/Dockerfile", line: 9))
    }

    @Test("a result without a location reads, with no location")
    func resultWithoutLocation() throws {
        let results = try read(
            ScannerSARIF.codeQL([.init(rule: "js/x", score: "9.1", defaultLevel: "error", path: nil, line: 1, message: "somewhere")]))
        #expect(results.count == 1)
        #expect(results[0].location == nil)
        #expect(results[0].severity == .critical)
    }

    @Test("a tool that writes several runs: the results of every run, each under the tool's name")
    func severalRuns() throws {
        let results = try read(
            ScannerSARIF.trivy([.init(id: "CVE-1", package: "a", severity: "HIGH", score: "7.1", title: "one")], runs: 3))
        #expect(results.count == 3)
        #expect(Set(results.map(\.tool)) == ["Trivy"])
    }

    @Test("a result whose kind is not fail, or whose level is none, is no finding; no level at all is a warning")
    func kindsAndLevels() throws {
        let text = """
            {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Checkov"}}, "results": [
              {"ruleId": "CKV_1", "kind": "pass", "message": {"text": "passed"}},
              {"ruleId": "CKV_2", "level": "none", "message": {"text": "informational"}},
              {"ruleId": "CKV_3", "message": {"markdown": "**no level**"}},
              {"ruleId": "CKV_4", "kind": "fail", "level": "error"}
            ]}]}
            """
        let results = try read(text)
        #expect(results.map(\.rule) == ["CKV_3", "CKV_4"])
        #expect(results[0].severity == .medium)
        #expect(results[0].message == "**no level**")
        #expect(results[1].message == "CKV_4")
    }

    @Test("a rule named by id alone is found in the driver's rules, for its score")
    func ruleByID() throws {
        let text = """
            {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Grype", "rules": [
              {"id": "GHSA-1", "properties": {"security-severity": "9.3"}, "helpUri": "https://github.com/advisories/GHSA-1"}]}},
              "results": [{"ruleId": "GHSA-1", "level": "warning", "message": {"text": "m"},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///app/go.mod"}, "region": {"startLine": 0}}}]}]}]}
            """
        let result = try #require(try read(text).first)
        #expect(result.severity == .critical)
        #expect(result.helpURI == "https://github.com/advisories/GHSA-1")
        #expect(result.location == ScannedResult.Location(path: "/app/go.mod", line: nil))
    }

    // MARK: Hostile and broken files

    @Test("a truncated file is not JSON, and the error names the file and where it ends")
    func truncated() {
        let text = ScannerSARIF.trivy([.init(id: "CVE-1", package: "a", severity: "HIGH", score: "7.1", title: "one")])
        let message = problem(reading: String(text.prefix(text.count / 2)), name: "trivy.sarif")
        #expect(
            message?.wholeMatch(of: #/trivy\.sarif:\d+:\d+: not JSON: the file ends .*\(truncated\?\); expected a SARIF 2\.1\.0 file/#)
                != nil, "\(message ?? "read")")
    }

    @Test("a number beyond a double is refused at its line and column, not as a file that is not JSON at large")
    func numberBeyondDouble() {
        let text = ScannerSARIF.trivy([.init(id: "CVE-1", package: "a", severity: "HIGH", score: "7.1", title: "one")])
            .replacing(#/"startLine" ?: ?1/#, with: "\"startLine\":\n1e400")
        let message = problem(reading: text, name: "big.sarif")
        #expect(
            message?.contains(
                #/^big\.sarif:\d+:1: not JSON: the number 1e400 is beyond the range of a double; expected a SARIF 2\.1\.0 file$/#) == true,
            "\(message ?? "read")")
    }

    @Test("JSON that is not SARIF, or SARIF of another version, is refused with what was expected")
    func notSARIF() {
        #expect(problem(reading: "[1, 2]")?.contains("scan.sarif is not SARIF") == true)
        #expect(problem(reading: #"{"name": "package.json"}"#)?.contains("is not SARIF") == true)
        #expect(
            problem(reading: #"{"version": "1.0.0", "runs": []}"#)
                == #"scan.sarif: $.version: SARIF version "1.0.0" is not supported; expected "2.1.0""#)
        #expect(problem(reading: #"{"version": "2.1.0"}"#) == "scan.sarif: $.runs: missing; expected the tool's runs")
    }

    @Test("a value of the wrong type is an error at its JSON path")
    func wrongTypeAtPath() {
        let text = #"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "T"}}, "results": [{"ruleId": "a"}, {"ruleId": 7}]}]}"#
        #expect(problem(reading: text) == "scan.sarif: $.runs[0].results[1].ruleId: expected a string, got a number")
        let noDriver = #"{"version": "2.1.0", "runs": [{"tool": {}}]}"#
        #expect(problem(reading: noDriver) == "scan.sarif: $.runs[0].tool.driver: missing; expected the tool that wrote the run")
        let badScore =
            #"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "T", "rules": [{"id": "a", "properties": {"security-severity": "high"}}]}}, "results": [{"ruleIndex": 0}]}]}"#
        #expect(
            problem(reading: badScore)
                == #"scan.sarif: $.runs[0].tool.driver.rules[0].properties["security-severity"]: expected a score from 0.0 to 10.0 as a string, such as "7.5"; got "high""#
        )
        let badIndex = #"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "T", "rules": []}}, "results": [{"ruleIndex": 3}]}]}"#
        #expect(
            problem(reading: badIndex) == "scan.sarif: $.runs[0].results[0].ruleIndex: rule 3 does not exist; the tool declares 0 rules")
        let badLevel =
            #"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "T"}}, "results": [{"ruleId": "a", "level": "fatal"}]}]}"#
        #expect(
            problem(reading: badLevel)
                == #"scan.sarif: $.runs[0].results[0].level: unknown level "fatal"; expected error, warning, note or none"#)
    }

    @Test("an index past every extension, even Int.max, is an error at its JSON path, not an overflow")
    func hugeToolComponentIndex() {
        let result = { (index: String) in
            #"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "T"}}, "results": [{"ruleId": "R", "rule": {"toolComponent": {"index": "#
                + index + #"}}}]}]}"#
        }
        #expect(
            problem(reading: result("9223372036854775807"))
                == "scan.sarif: $.runs[0].results[0].rule.toolComponent.index: tool extension 9223372036854775807 does not exist; the run has 0 extensions"
        )
        #expect(
            problem(reading: result("-2"))
                == "scan.sarif: $.runs[0].results[0].rule.toolComponent.index: tool extension -2 does not exist; the run has 0 extensions")
        #expect(problem(reading: result("-1")) == nil)
    }

    @Test("a whole-number field holding a fraction or a number past Int is an error naming its JSON path and the value, not \"not JSON\"")
    func wholeNumbersOutOfRange() throws {
        let ruleIndex =
            #"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "T"}}, "results": [{"ruleId": "R", "ruleIndex": 1e30}]}]}"#
        #expect(
            problem(reading: ruleIndex)
                == "scan.sarif: $.runs[0].results[0].ruleIndex: 1e+30 is out of range; expected a whole number from -9223372036854775808 to 9223372036854775807"
        )
        let line = { (value: String) in
            #"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "T"}}, "results": [{"ruleId": "R", "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a"}, "region": {"startLine": "#
                + value + "}}}]}]}]}"
        }
        let linePath = "scan.sarif: $.runs[0].results[0].locations[0].physicalLocation.region.startLine"
        #expect(
            problem(reading: line("99999999999999999999"))
                == "\(linePath): 1e+20 is out of range; expected a whole number from -9223372036854775808 to 9223372036854775807")
        #expect(problem(reading: line("1.5")) == "\(linePath): expected a whole number, got 1.5")
        #expect(
            problem(reading: line("-1e30"))
                == "\(linePath): -1e+30 is out of range; expected a whole number from -9223372036854775808 to 9223372036854775807")
        #expect(try read(line("12")).first?.location == ScannedResult.Location(path: "a", line: 12))
    }

    @Test("deep nesting is refused at its line and column before parsing, in time")
    func deepNesting() {
        let text = #"{"version": "2.1.0", "runs": "# + String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000) + "}"
        let clock = ContinuousClock()
        let start = clock.now
        #expect(problem(reading: text) == "scan.sarif:1:93: nested deeper than 64 levels; SARIF needs about ten")
        #expect(clock.now - start < .seconds(2))
        // Brackets inside strings do not count.
        let inString = #"{"version": "2.1.0", "runs": [], "x": ""# + String(repeating: "[", count: 100) + #""}"#
        #expect(problem(reading: inString) == nil)
    }

    @Test("a file over the size limit is refused without being read whole")
    func hugeFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url("huge.sarif")
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64(SARIFLimits.fileSize + 1))
        try handle.close()
        #expect(throws: GantryError.invalidSARIF("huge.sarif is larger than 64 MiB, the most gantry reads of a SARIF file")) {
            try SARIFReader.read(contentsOf: path, as: "huge.sarif")
        }
        #expect(throws: GantryError.io(action: "read the SARIF file missing.sarif", reason: "no readable file there")) {
            try SARIFReader.read(contentsOf: directory.url("missing.sarif"), as: "missing.sarif")
        }
    }

    @Test("absurd counts of runs and results are refused with the limit")
    func absurdCounts() {
        let run = #"{"tool": {"driver": {"name": "T"}}}"#
        let runs = #"{"version": "2.1.0", "runs": ["# + Array(repeating: run, count: SARIFLimits.runs + 1).joined(separator: ",") + "]}"
        #expect(problem(reading: runs) == "scan.sarif: $.runs: 1001 runs; expected at most 1000")
        let result = #"{"ruleId": "a"}"#
        let results =
            #"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "T"}}, "results": ["#
            + Array(repeating: result, count: SARIFLimits.results + 1).joined(separator: ",") + "]}]}"
        #expect(problem(reading: results) == "scan.sarif: $.runs: 100001 results; expected at most 100000 in one file")
    }

    @Test("long messages are cut to the limit")
    func longTextIsCut() throws {
        let text =
            #"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "T"}}, "results": [{"ruleId": "a", "message": {"text": ""#
            + String(repeating: "x", count: 50_000) + #""}}]}]}"#
        let message = try #require(try read(text).first?.message)
        #expect(message.count == SARIFLimits.textLength + 1)
        #expect(message.hasSuffix("…"))
    }
}
