import Basics
import PathPattern

/// An accepted risk: `findings: accept:` in `gantry.yml`. Findings it matches do not fail the
/// gate until the end of its `until` day (UTC); after it, they count again.
package struct Acceptance: Sendable, Equatable {
    /// The rule's id, such as `CVE-2024-3094`; compared without case.
    package var rule: String
    /// The tool whose findings it covers, such as `Trivy`; compared without case. Nil: any tool.
    package var tool: String?
    /// The places it covers: a glob matched against the finding's path. Nil: anywhere, also no place.
    package var location: PathPattern?
    /// Why the risk is accepted, shown beside every finding it covers.
    package var reason: String
    /// The last day it counts.
    package var until: CalendarDay
    /// Where it is written.
    package var source: SourceLocation

    /// Creates an acceptance.
    package init(
        rule: String, tool: String? = nil, location: PathPattern? = nil, reason: String, until: CalendarDay, source: SourceLocation
    ) {
        self.rule = rule
        self.tool = tool
        self.location = location
        self.reason = reason
        self.until = until
        self.source = source
    }

    /// Whether it still counts on `today`.
    package func isCurrent(on today: CalendarDay) -> Bool { today <= until }
}

/// The `findings:` settings of `gantry.yml`.
package struct FindingsSettings: Sendable, Equatable {
    /// The accepted risks, in the order the file lists them.
    package var acceptances: [Acceptance] = []

    /// No accepted risks.
    package init(acceptances: [Acceptance] = []) { self.acceptances = acceptances }
}
