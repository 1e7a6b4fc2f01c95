import Basics
import Config
import GitHubActions

/// What `gantry findings` found, as recorded and as `--format json` prints it.
package struct FindingsDocument: Codable, Sendable, Equatable {
    /// The SARIF files read, as given.
    package var files: [String]
    /// `--fail-on`: the least severity that fails the gate; nil reports only.
    package var failOn: Severity?
    /// The day acceptances were judged on (UTC).
    package var today: CalendarDay
    /// Whether no finding at or above `failOn` is left unaccepted.
    package var passed: Bool
    /// Each tool's findings counted by severity, accepted ones apart.
    package var tools: [ToolCounts]
    /// The findings, one per tool, rule and acceptance, most severe first.
    package var findings: [FindingGroup]
    /// Every acceptance of the configuration, with what it matched.
    package var acceptances: [AcceptanceUse]

    /// The results of one tool, by severity.
    package struct ToolCounts: Codable, Sendable, Equatable {
        package var tool: String
        package var critical = 0
        package var high = 0
        package var medium = 0
        package var low = 0
        /// Results an acceptance covers, not counted above.
        package var accepted = 0

        package subscript(severity: Severity) -> Int {
            get {
                switch severity {
                case .critical: critical
                case .high: high
                case .medium: medium
                case .low: low
                }
            }
            set {
                switch severity {
                case .critical: critical = newValue
                case .high: high = newValue
                case .medium: medium = newValue
                case .low: low = newValue
                }
            }
        }
    }

    /// The results of one rule of one tool, with the same acceptance: one line however many places.
    package struct FindingGroup: Codable, Sendable, Equatable {
        package var tool: String
        package var rule: String
        /// The most severe of its results.
        package var severity: Severity
        /// The rule's `security-severity`, when it gives one.
        package var score: Double?
        /// The rule's description, else the first result's message.
        package var summary: String
        /// The first result's message.
        package var message: String
        package var helpURI: String?
        /// How many results: one per place.
        package var count: Int
        /// The first places, at most `FindingGroup.placesKept`.
        package var locations: [ScannedResult.Location]
        /// Whether it fails the gate: not accepted, and at or above `--fail-on`.
        package var blocking: Bool
        /// The acceptance that covers it, when a current one does.
        package var accepted: AcceptanceNote?
        /// The acceptance that covered it until it expired, when one did.
        package var expired: AcceptanceNote?

        /// The places kept of a finding, for the report.
        package static let placesKept = 20

        enum CodingKeys: String, CodingKey {
            case tool, rule, severity, score, summary, message, helpURI = "help_uri", count, locations, blocking, accepted, expired
        }
    }

    /// An acceptance as a finding shows it.
    package struct AcceptanceNote: Codable, Sendable, Equatable {
        package var reason: String
        package var until: CalendarDay
        /// Where it is written.
        package var source: SourceLocation
    }

    /// An acceptance and what it matched.
    package struct AcceptanceUse: Codable, Sendable, Equatable {
        package enum Status: String, Codable, Sendable {
            /// It covers findings and counts.
            case current
            /// Its day has passed: the findings it names count again.
            case expired
            /// It counts but matches nothing: the risk is gone, or the entry is mistyped.
            case stale
        }

        package var rule: String
        package var tool: String?
        package var location: String?
        package var reason: String
        package var until: CalendarDay
        package var source: SourceLocation
        /// The results it names, whether or not it still counts.
        package var matched: Int
        package var status: Status
    }

    enum CodingKeys: String, CodingKey {
        case files, failOn = "fail_on", today, passed, tools, findings, acceptances
    }
}
