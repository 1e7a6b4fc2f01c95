import Foundation

/// A SARIF 2.1.0 log: the subset of the format that GitHub code scanning reads, typed.
///
/// Optional properties are left out of the JSON when nil; `results` is always written, so a run with
/// no findings says so explicitly (an empty array) and GitHub closes the alerts it had open.
package struct SARIFLog: Codable, Hashable, Sendable {
    /// The JSON schema the log declares in `$schema`.
    package static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
    /// The only SARIF version this model writes.
    package static let sarifVersion = "2.1.0"

    /// The schema's URI (`$schema`).
    package var schema: String
    /// The SARIF version, "2.1.0".
    package var version: String
    /// The runs; gantry writes one per file, as GitHub expects for one category.
    package var runs: [Run]

    /// Creates a SARIF 2.1.0 log.
    package init(runs: [Run]) {
        self.schema = Self.schemaURI
        self.version = Self.sarifVersion
        self.runs = runs
    }

    private enum CodingKeys: String, CodingKey {
        case schema = "$schema"
        case version, runs
    }

    /// The log as UTF-8 JSON: sorted keys, pretty-printed, slashes unescaped.
    package func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// A result's or rule's severity (`result.level`, `reportingConfiguration.level`).
    package enum Level: String, Codable, Hashable, Sendable, CaseIterable {
        /// A problem that fails the job.
        case error
        /// A problem that does not fail the job but should be fixed.
        case warning
        /// A remark or recommendation.
        case note
    }

    /// How columns are counted in regions (`run.columnKind`).
    package enum ColumnKind: String, Codable, Hashable, Sendable {
        /// UTF-16 code units, SARIF's default.
        case utf16CodeUnits
        /// Unicode scalars, as libyaml and `SourceLocation` count them.
        case unicodeCodePoints
    }

    /// One invocation of one tool (`run`).
    package struct Run: Codable, Hashable, Sendable {
        /// The tool that produced the results.
        package var tool: Tool
        /// Identifies the run; its `id` is GitHub's analysis category.
        package var automationDetails: AutomationDetails?
        /// How the regions' columns are counted.
        package var columnKind: ColumnKind?
        /// The results, in the order reported; empty when nothing was found.
        package var results: [Result]

        /// Creates a run.
        package init(tool: Tool, automationDetails: AutomationDetails? = nil, columnKind: ColumnKind? = nil, results: [Result]) {
            self.tool = tool
            self.automationDetails = automationDetails
            self.columnKind = columnKind
            self.results = results
        }
    }

    /// Identifies a run (`runAutomationDetails`).
    package struct AutomationDetails: Codable, Hashable, Sendable {
        /// "category/run-id"; with a trailing slash, the whole string is the category.
        package var id: String

        /// Creates automation details.
        package init(id: String) { self.id = id }
    }

    /// The tool of a run (`tool`).
    package struct Tool: Codable, Hashable, Sendable {
        /// The tool's main component.
        package var driver: ToolComponent

        /// Creates a tool.
        package init(driver: ToolComponent) { self.driver = driver }
    }

    /// A tool's component, here its driver (`toolComponent`).
    package struct ToolComponent: Codable, Hashable, Sendable {
        /// The tool's name.
        package var name: String
        /// The tool's version, in any form.
        package var version: String?
        /// The tool's version as a semantic version.
        package var semanticVersion: String?
        /// Where to learn about the tool.
        package var informationUri: String?
        /// Every rule the tool can report; results refer to them by index.
        package var rules: [ReportingDescriptor]

        /// Creates a tool component.
        package init(
            name: String, version: String? = nil, semanticVersion: String? = nil, informationUri: String? = nil,
            rules: [ReportingDescriptor]
        ) {
            self.name = name
            self.version = version
            self.semanticVersion = semanticVersion
            self.informationUri = informationUri
            self.rules = rules
        }
    }

    /// A rule (`reportingDescriptor`).
    package struct ReportingDescriptor: Codable, Hashable, Sendable {
        /// The stable identifier results refer to.
        package var id: String
        /// A readable identifier, such as `InvalidYAML`.
        package var name: String?
        /// A one-sentence description.
        package var shortDescription: MultiformatMessageString?
        /// A description of the problem in full.
        package var fullDescription: MultiformatMessageString?
        /// How to fix the problem.
        package var help: MultiformatMessageString?
        /// Where the documentation of the rule is.
        package var helpUri: String?
        /// The level of the rule's results.
        package var defaultConfiguration: ReportingConfiguration?
        /// Tags and GitHub's `problem.severity`.
        package var properties: PropertyBag?

        /// Creates a rule description.
        package init(
            id: String, name: String? = nil, shortDescription: MultiformatMessageString? = nil,
            fullDescription: MultiformatMessageString? = nil, help: MultiformatMessageString? = nil, helpUri: String? = nil,
            defaultConfiguration: ReportingConfiguration? = nil, properties: PropertyBag? = nil
        ) {
            self.id = id
            self.name = name
            self.shortDescription = shortDescription
            self.fullDescription = fullDescription
            self.help = help
            self.helpUri = helpUri
            self.defaultConfiguration = defaultConfiguration
            self.properties = properties
        }
    }

    /// A text in plain text and, optionally, GitHub Flavored Markdown (`multiformatMessageString`).
    package struct MultiformatMessageString: Codable, Hashable, Sendable {
        /// The plain text.
        package var text: String
        /// The same text as Markdown.
        package var markdown: String?

        /// Creates a text.
        package init(text: String, markdown: String? = nil) {
            self.text = text
            self.markdown = markdown
        }
    }

    /// A rule's default configuration (`reportingConfiguration`).
    package struct ReportingConfiguration: Codable, Hashable, Sendable {
        /// The level of the rule's results.
        package var level: Level?

        /// Creates a configuration.
        package init(level: Level?) { self.level = level }
    }

    /// Additional properties (`propertyBag`), the ones GitHub reads.
    package struct PropertyBag: Codable, Hashable, Sendable {
        /// Distinct tags, shown and filterable on GitHub.
        package var tags: [String]?
        /// GitHub's severity of a non-security rule: "error", "warning" or "recommendation".
        package var problemSeverity: String?

        /// Creates a property bag.
        package init(tags: [String]? = nil, problemSeverity: String? = nil) {
            self.tags = tags
            self.problemSeverity = problemSeverity
        }

        private enum CodingKeys: String, CodingKey {
            case tags
            case problemSeverity = "problem.severity"
        }
    }

    /// One finding (`result`).
    package struct Result: Codable, Hashable, Sendable {
        /// The rule's `id`.
        package var ruleId: String
        /// The rule's index in the driver's `rules`.
        package var ruleIndex: Int
        /// The severity.
        package var level: Level
        /// What is wrong.
        package var message: Message
        /// Where; GitHub displays only the first.
        package var locations: [Location]
        /// What identifies the result across runs, so that GitHub does not open a second alert.
        package var partialFingerprints: [String: String]?

        /// Creates a result.
        package init(
            ruleId: String, ruleIndex: Int, level: Level, message: Message, locations: [Location],
            partialFingerprints: [String: String]? = nil
        ) {
            self.ruleId = ruleId
            self.ruleIndex = ruleIndex
            self.level = level
            self.message = message
            self.locations = locations
            self.partialFingerprints = partialFingerprints
        }
    }

    /// A plain-text message (`message`).
    package struct Message: Codable, Hashable, Sendable {
        /// The text.
        package var text: String

        /// Creates a message.
        package init(text: String) { self.text = text }
    }

    /// A location (`location`).
    package struct Location: Codable, Hashable, Sendable {
        /// A place in a file.
        package var physicalLocation: PhysicalLocation

        /// Creates a location.
        package init(physicalLocation: PhysicalLocation) { self.physicalLocation = physicalLocation }
    }

    /// A place in a file (`physicalLocation`).
    package struct PhysicalLocation: Codable, Hashable, Sendable {
        /// The file.
        package var artifactLocation: ArtifactLocation
        /// Where in the file.
        package var region: Region?

        /// Creates a physical location.
        package init(artifactLocation: ArtifactLocation, region: Region? = nil) {
            self.artifactLocation = artifactLocation
            self.region = region
        }
    }

    /// A file (`artifactLocation`).
    package struct ArtifactLocation: Codable, Hashable, Sendable {
        /// A URI reference; for GitHub, a path relative to the repository root, percent-encoded.
        package var uri: String
        /// What `uri` is relative to, such as `%SRCROOT%`.
        package var uriBaseId: String?

        /// Creates an artifact location.
        package init(uri: String, uriBaseId: String? = nil) {
            self.uri = uri
            self.uriBaseId = uriBaseId
        }
    }

    /// A part of a file (`region`): 1-based line and column.
    package struct Region: Codable, Hashable, Sendable {
        /// The first line, 1 or more.
        package var startLine: Int
        /// The first column, 1 or more, when known.
        package var startColumn: Int?

        /// Creates a region.
        package init(startLine: Int, startColumn: Int? = nil) {
            self.startLine = startLine
            self.startColumn = startColumn
        }
    }
}
