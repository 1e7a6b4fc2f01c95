import Foundation

/// SARIF files written the way scanners write them, from the shapes of their public formatters:
/// Trivy's SARIF writer (`pkg/report/sarif.go`), CodeQL's `database analyze --format=sarif-latest`
/// and hadolint's `--format sarif`.
public enum ScannerSARIF {
    /// A vulnerability as Trivy reports one in an image.
    public struct Vulnerability: Sendable {
        public var id: String
        public var package: String
        /// Trivy's severity: `CRITICAL`, `HIGH`, `MEDIUM`, `LOW` or `UNKNOWN`.
        public var severity: String
        /// The CVSS score Trivy writes as `security-severity`; nil for a template without it.
        public var score: String?
        public var title: String

        public init(id: String, package: String, severity: String, score: String?, title: String) {
            self.id = id
            self.package = package
            self.severity = severity
            self.score = score
            self.title = title
        }
    }

    /// Trivy's image scan: one rule per vulnerability, one result per package it was found in, all at
    /// the image's name, line 1.
    public static func trivy(_ vulnerabilities: [Vulnerability], target: String = "ghcr.io/acme/api", runs: Int = 1) -> String {
        var rules: [[String: Any]] = []
        var results: [[String: Any]] = []
        for vulnerability in vulnerabilities {
            let level =
                switch vulnerability.severity {
                case "CRITICAL", "HIGH": "error"
                case "MEDIUM": "warning"
                default: "note"
                }
            var properties: [String: Any] = ["precision": "very-high", "tags": ["vulnerability", "security", vulnerability.severity]]
            if let score = vulnerability.score { properties["security-severity"] = score }
            if !rules.contains(where: { $0["id"] as? String == vulnerability.id }) {
                rules.append([
                    "id": vulnerability.id, "name": "OsPackageVulnerability",
                    "shortDescription": ["text": vulnerability.title], "fullDescription": ["text": vulnerability.title],
                    "defaultConfiguration": ["level": level],
                    "helpUri": "https://avd.aquasec.com/nvd/\(vulnerability.id.lowercased())",
                    "help": [
                        "text": "Vulnerability \(vulnerability.id)\nSeverity: \(vulnerability.severity)\nPackage: \(vulnerability.package)",
                        "markdown": "**Vulnerability \(vulnerability.id)**",
                    ],
                    "properties": properties,
                ])
            }
            let index = rules.firstIndex { $0["id"] as? String == vulnerability.id }!
            results.append([
                "ruleId": vulnerability.id, "ruleIndex": index, "level": level,
                "message": [
                    "text":
                        "Package: \(vulnerability.package)\nInstalled Version: 1.0\nVulnerability \(vulnerability.id)\nSeverity: \(vulnerability.severity)\nFixed Version: 1.1\nLink: [\(vulnerability.id)](https://avd.aquasec.com/nvd/\(vulnerability.id.lowercased()))"
                ],
                "locations": [
                    [
                        "physicalLocation": [
                            "artifactLocation": ["uri": target, "uriBaseId": "ROOTPATH"],
                            "region": ["startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1],
                        ],
                        "message": ["text": "\(target): \(vulnerability.package)@1.0"],
                    ]
                ],
            ])
        }
        let run: [String: Any] = [
            "tool": [
                "driver": [
                    "fullName": "Trivy Vulnerability Scanner", "informationUri": "https://github.com/aquasecurity/trivy", "name": "Trivy",
                    "rules": rules, "version": "0.58.1",
                ]
            ],
            "results": results, "columnKind": "utf16CodeUnits", "originalUriBaseIds": ["ROOTPATH": ["uri": "file:///"]],
            "properties": ["imageName": "\(target):pr-7", "repoTags": ["\(target):pr-7"]],
        ]
        return log(Array(repeating: run, count: runs))
    }

    /// A CodeQL alert.
    public struct Alert: Sendable {
        public var rule: String
        /// The rule's `security-severity`; nil for a quality rule.
        public var score: String?
        /// The rule's `defaultConfiguration.level`; results carry none of their own.
        public var defaultLevel: String
        public var path: String?
        public var line: Int
        public var message: String

        public init(rule: String, score: String?, defaultLevel: String, path: String?, line: Int, message: String) {
            self.rule = rule
            self.score = score
            self.defaultLevel = defaultLevel
            self.path = path
            self.line = line
            self.message = message
        }
    }

    /// CodeQL: the rules in a query pack (an extension), each result naming its rule by id and by
    /// index into that component, with no level of its own.
    public static func codeQL(_ alerts: [Alert]) -> String {
        var rules: [[String: Any]] = []
        var results: [[String: Any]] = []
        for alert in alerts {
            if !rules.contains(where: { $0["id"] as? String == alert.rule }) {
                var properties: [String: Any] = ["kind": "path-problem", "precision": "high", "tags": ["security"]]
                if let score = alert.score { properties["security-severity"] = score }
                rules.append([
                    "id": alert.rule, "name": alert.rule, "shortDescription": ["text": "Rule \(alert.rule)"],
                    "fullDescription": ["text": "The full description of \(alert.rule)."],
                    "defaultConfiguration": ["enabled": true, "level": alert.defaultLevel], "properties": properties,
                ])
            }
            let index = rules.firstIndex { $0["id"] as? String == alert.rule }!
            var result: [String: Any] = [
                "ruleId": alert.rule, "rule": ["id": alert.rule, "index": index, "toolComponent": ["index": 0]],
                "message": ["text": alert.message],
                "partialFingerprints": ["primaryLocationLineHash": "8e1b2f4a5c6d7e8f:1"],
            ]
            if let path = alert.path {
                result["locations"] = [
                    [
                        "physicalLocation": [
                            "artifactLocation": ["uri": path, "uriBaseId": "%SRCROOT%", "index": 0],
                            "region": ["startLine": alert.line, "startColumn": 5, "endColumn": 20],
                        ]
                    ]
                ]
            }
            results.append(result)
        }
        let run: [String: Any] = [
            "tool": [
                "driver": [
                    "name": "CodeQL", "organization": "GitHub", "semanticVersion": "2.20.1",
                    "notifications": [["id": "js/baseline/expected-extracted-files", "name": "js/baseline/expected-extracted-files"]],
                    "rules": [],
                ],
                "extensions": [["name": "codeql/javascript-queries", "semanticVersion": "1.3.0", "rules": rules]],
            ],
            "invocations": [["toolExecutionNotifications": [], "executionSuccessful": true]],
            "artifacts": [["location": ["uri": "src/app.js", "uriBaseId": "%SRCROOT%", "index": 0]]],
            "results": results, "columnKind": "utf16CodeUnits",
            "properties": ["semmle.formatSpecifier": "sarif-latest"],
        ]
        return log([run])
    }

    /// A hadolint finding: `DL3008`-style codes, levels error, warning, note (its info and style).
    public struct Lint: Sendable {
        public var code: String
        public var level: String
        public var path: String
        public var line: Int
        public var message: String

        public init(code: String, level: String, path: String = "Dockerfile", line: Int, message: String) {
            self.code = code
            self.level = level
            self.path = path
            self.line = line
            self.message = message
        }
    }

    /// hadolint: no rules at all, each result with its code, level and place.
    public static func hadolint(_ lints: [Lint]) -> String {
        let results: [[String: Any]] = lints.map { lint in
            [
                "ruleId": lint.code, "level": lint.level, "message": ["text": lint.message],
                "locations": [
                    [
                        "physicalLocation": [
                            "artifactLocation": ["uri": lint.path],
                            "region": [
                                "startLine": lint.line, "startColumn": 1, "endLine": lint.line, "endColumn": 1,
                                "sourceLanguage": "dockerfile",
                            ],
                        ]
                    ]
                ],
            ]
        }
        let run: [String: Any] = [
            "tool": [
                "driver": [
                    "name": "Hadolint", "fullName": "Haskell Dockerfile Linter", "downloadUri": "https://github.com/hadolint/hadolint",
                    "informationUri": "https://github.com/hadolint/hadolint", "shortDescription": ["text": "Dockerfile linter"],
                    "version": "2.12.0",
                ]
            ],
            "results": results, "defaultSourceLanguage": "dockerfile",
        ]
        return log([run])
    }

    private static func log(_ runs: [[String: Any]]) -> String {
        let log: [String: Any] = ["version": "2.1.0", "$schema": "https://json.schemastore.org/sarif-2.1.0.json", "runs": runs]
        let data = try! JSONSerialization.data(withJSONObject: log, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
