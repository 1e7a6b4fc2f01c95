import Foundation

/// A SARIF 2.1.0 log: the subset of the format that GitHub code scanning reads, typed.
///
/// Optional properties are left out of the JSON when nil; `results` is always written, so a run with
/// no findings says so explicitly (an empty array) and GitHub closes the alerts it had open.
public struct SARIFLog: Codable, Hashable, Sendable {
    /// The JSON schema the log declares in `$schema`.
    public static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
    /// The only SARIF version this model writes.
    public static let sarifVersion = "2.1.0"

    /// The schema's URI (`$schema`).
    public var schema: String
    /// The SARIF version, "2.1.0".
    public var version: String
    /// The runs; gantry writes one per file, as GitHub expects for one category.
    public var runs: [Run]

    /// Creates a SARIF 2.1.0 log.
    public init(runs: [Run]) {
        self.schema = Self.schemaURI
        self.version = Self.sarifVersion
        self.runs = runs
    }

    private enum CodingKeys: String, CodingKey {
        case schema = "$schema"
        case version, runs
    }

    /// The log as UTF-8 JSON: sorted keys, pretty-printed, slashes unescaped.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// A result's or rule's severity (`result.level`, `reportingConfiguration.level`).
    public enum Level: String, Codable, Hashable, Sendable, CaseIterable {
        /// A problem that fails the job.
        case error
        /// A problem that does not fail the job but should be fixed.
        case warning
        /// A remark or recommendation.
        case note
    }

    /// How columns are counted in regions (`run.columnKind`).
    public enum ColumnKind: String, Codable, Hashable, Sendable {
        /// UTF-16 code units, SARIF's default.
        case utf16CodeUnits
        /// Unicode scalars, as libyaml and `SourceLocation` count them.
        case unicodeCodePoints
    }

    /// One invocation of one tool (`run`).
    public struct Run: Codable, Hashable, Sendable {
        /// The tool that produced the results.
        public var tool: Tool
        /// Identifies the run; its `id` is GitHub's analysis category.
        public var automationDetails: AutomationDetails?
        /// How the regions' columns are counted.
        public var columnKind: ColumnKind?
        /// The results, in the order reported; empty when nothing was found.
        public var results: [Result]

        /// Creates a run.
        public init(tool: Tool, automationDetails: AutomationDetails? = nil, columnKind: ColumnKind? = nil, results: [Result]) {
            self.tool = tool
            self.automationDetails = automationDetails
            self.columnKind = columnKind
            self.results = results
        }
    }

    /// Identifies a run (`runAutomationDetails`).
    public struct AutomationDetails: Codable, Hashable, Sendable {
        /// "category/run-id"; with a trailing slash, the whole string is the category.
        public var id: String

        /// Creates automation details.
        public init(id: String) { self.id = id }
    }

    /// The tool of a run (`tool`).
    public struct Tool: Codable, Hashable, Sendable {
        /// The tool's main component.
        public var driver: ToolComponent

        /// Creates a tool.
        public init(driver: ToolComponent) { self.driver = driver }
    }

    /// A tool's component, here its driver (`toolComponent`).
    public struct ToolComponent: Codable, Hashable, Sendable {
        /// The tool's name.
        public var name: String
        /// The tool's version, in any form.
        public var version: String?
        /// The tool's version as a semantic version.
        public var semanticVersion: String?
        /// Where to learn about the tool.
        public var informationUri: String?
        /// Every rule the tool can report; results refer to them by index.
        public var rules: [ReportingDescriptor]

        /// Creates a tool component.
        public init(
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
    public struct ReportingDescriptor: Codable, Hashable, Sendable {
        /// The stable identifier results refer to.
        public var id: String
        /// A readable identifier, such as `InvalidYAML`.
        public var name: String?
        /// A one-sentence description.
        public var shortDescription: MultiformatMessageString?
        /// A description of the problem in full.
        public var fullDescription: MultiformatMessageString?
        /// How to fix the problem.
        public var help: MultiformatMessageString?
        /// Where the documentation of the rule is.
        public var helpUri: String?
        /// The level of the rule's results.
        public var defaultConfiguration: ReportingConfiguration?
        /// Tags and GitHub's `problem.severity`.
        public var properties: PropertyBag?

        /// Creates a rule description.
        public init(
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
    public struct MultiformatMessageString: Codable, Hashable, Sendable {
        /// The plain text.
        public var text: String
        /// The same text as Markdown.
        public var markdown: String?

        /// Creates a text.
        public init(text: String, markdown: String? = nil) {
            self.text = text
            self.markdown = markdown
        }
    }

    /// A rule's default configuration (`reportingConfiguration`).
    public struct ReportingConfiguration: Codable, Hashable, Sendable {
        /// The level of the rule's results.
        public var level: Level?

        /// Creates a configuration.
        public init(level: Level?) { self.level = level }
    }

    /// Additional properties (`propertyBag`), the ones GitHub reads.
    public struct PropertyBag: Codable, Hashable, Sendable {
        /// Distinct tags, shown and filterable on GitHub.
        public var tags: [String]?
        /// GitHub's severity of a non-security rule: "error", "warning" or "recommendation".
        public var problemSeverity: String?

        /// Creates a property bag.
        public init(tags: [String]? = nil, problemSeverity: String? = nil) {
            self.tags = tags
            self.problemSeverity = problemSeverity
        }

        private enum CodingKeys: String, CodingKey {
            case tags
            case problemSeverity = "problem.severity"
        }
    }

    /// One finding (`result`).
    public struct Result: Codable, Hashable, Sendable {
        /// The rule's `id`.
        public var ruleId: String
        /// The rule's index in the driver's `rules`.
        public var ruleIndex: Int
        /// The severity.
        public var level: Level
        /// What is wrong.
        public var message: Message
        /// Where; GitHub displays only the first.
        public var locations: [Location]
        /// What identifies the result across runs, so that GitHub does not open a second alert.
        public var partialFingerprints: [String: String]?

        /// Creates a result.
        public init(
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
    public struct Message: Codable, Hashable, Sendable {
        /// The text.
        public var text: String

        /// Creates a message.
        public init(text: String) { self.text = text }
    }

    /// A location (`location`).
    public struct Location: Codable, Hashable, Sendable {
        /// A place in a file.
        public var physicalLocation: PhysicalLocation

        /// Creates a location.
        public init(physicalLocation: PhysicalLocation) { self.physicalLocation = physicalLocation }
    }

    /// A place in a file (`physicalLocation`).
    public struct PhysicalLocation: Codable, Hashable, Sendable {
        /// The file.
        public var artifactLocation: ArtifactLocation
        /// Where in the file.
        public var region: Region?

        /// Creates a physical location.
        public init(artifactLocation: ArtifactLocation, region: Region? = nil) {
            self.artifactLocation = artifactLocation
            self.region = region
        }
    }

    /// A file (`artifactLocation`).
    public struct ArtifactLocation: Codable, Hashable, Sendable {
        /// A URI reference; for GitHub, a path relative to the repository root, percent-encoded.
        public var uri: String
        /// What `uri` is relative to, such as `%SRCROOT%`.
        public var uriBaseId: String?

        /// Creates an artifact location.
        public init(uri: String, uriBaseId: String? = nil) {
            self.uri = uri
            self.uriBaseId = uriBaseId
        }
    }

    /// A part of a file (`region`): 1-based line and column.
    public struct Region: Codable, Hashable, Sendable {
        /// The first line, 1 or more.
        public var startLine: Int
        /// The first column, 1 or more, when known.
        public var startColumn: Int?

        /// Creates a region.
        public init(startLine: Int, startColumn: Int? = nil) {
            self.startLine = startLine
            self.startColumn = startColumn
        }
    }
}
