/// The parts of a SARIF 2.1.0 log that `gantry findings` reads, every one optional: the decoder
/// reads only these and skips the rest of the file (help texts, fingerprints, code flows), and
/// what is missing is judged by the reader, which names the place.
struct SARIFFile: Decodable {
    var version: String?
    var runs: [Run]?

    struct Run: Decodable {
        var tool: Tool?
        var results: [Result]?
    }

    struct Tool: Decodable {
        var driver: Component?
        var extensions: [Component]?
    }

    /// The driver or an extension (CodeQL's query packs), and the rules it declares.
    struct Component: Decodable {
        var name: String?
        var rules: [Rule]?
    }

    /// A `reportingDescriptor`.
    struct Rule: Decodable {
        var id: String?
        var shortDescription: Message?
        var helpUri: String?
        var defaultConfiguration: Configuration?
        var properties: Properties?
    }

    struct Configuration: Decodable {
        var level: String?
    }

    struct Properties: Decodable {
        var securitySeverity: Score?

        enum CodingKeys: String, CodingKey {
            case securitySeverity = "security-severity"
        }
    }

    /// `security-severity`: a string per GitHub's documentation, though some tools write a number.
    enum Score: Decodable {
        case text(String)
        case number(Double)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else {
                self = .text(try container.decode(String.self))
            }
        }
    }

    struct Message: Decodable {
        var text: String?
        var markdown: String?
    }

    struct Result: Decodable {
        var ruleId: String?
        var ruleIndex: SARIFInteger?
        var rule: RuleReference?
        var kind: String?
        var level: String?
        var message: Message?
        var locations: [Location]?
    }

    struct RuleReference: Decodable {
        var id: String?
        var index: SARIFInteger?
        var toolComponent: ComponentReference?
    }

    struct ComponentReference: Decodable {
        var index: SARIFInteger?
    }

    struct Location: Decodable {
        var physicalLocation: PhysicalLocation?
    }

    struct PhysicalLocation: Decodable {
        var artifactLocation: ArtifactLocation?
        var region: Region?
    }

    struct ArtifactLocation: Decodable {
        var uri: String?
    }

    struct Region: Decodable {
        var startLine: SARIFInteger?
    }
}
