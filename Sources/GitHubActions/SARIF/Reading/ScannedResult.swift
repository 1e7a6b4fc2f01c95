/// One result of another tool's SARIF file, as `gantry findings` judges it.
package struct ScannedResult: Codable, Sendable, Equatable {
    /// The tool's name (`run.tool.driver.name`), such as `Trivy`.
    package var tool: String
    /// The rule's id, such as `CVE-2024-3094` or `DL3008`.
    package var rule: String
    /// The severity: the rule's `security-severity` band, else the result's level.
    package var severity: Severity
    /// The rule's `security-severity` score, when it gives one.
    package var score: Double?
    /// What the tool says about this result.
    package var message: String
    /// The rule's short description, when it has one.
    package var ruleDescription: String?
    /// The rule's documentation, when it links one.
    package var helpURI: String?
    /// The result's first location, when it has one.
    package var location: Location?

    /// A place in a file, as the tool names it.
    package struct Location: Codable, Sendable, Equatable, Hashable {
        /// The artifact's URI as the tool wrote it, a `file://` scheme removed.
        package var path: String
        /// The first line of the region, when the tool gives one.
        package var line: Int?

        /// Creates a location.
        package init(path: String, line: Int?) {
            self.path = path
            self.line = line
        }
    }

    /// Creates a result.
    package init(
        tool: String, rule: String, severity: Severity, score: Double? = nil, message: String, ruleDescription: String? = nil,
        helpURI: String? = nil, location: Location? = nil
    ) {
        self.tool = tool
        self.rule = rule
        self.severity = severity
        self.score = score
        self.message = message
        self.ruleDescription = ruleDescription
        self.helpURI = helpURI
        self.location = location
    }

    enum CodingKeys: String, CodingKey {
        case tool, rule, severity, score, message, ruleDescription = "rule_description", helpURI = "help_uri", location
    }
}
