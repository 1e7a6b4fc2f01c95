/// How severe another tool's finding is, as GitHub code scanning ranks it.
package enum Severity: String, Codable, Sendable, Comparable, CaseIterable {
    case low, medium, high, critical

    /// Most severe first, the order reports list them in.
    package static let descending: [Severity] = allCases.reversed()

    /// The band of a rule's `security-severity` score: critical from 9.0, high from 7.0, medium
    /// from 4.0, low above 0. A score of 0 or less names no severity, so the level decides.
    package init?(securityScore score: Double) {
        switch score {
        case 9.0...: self = .critical
        case 7.0..<9.0: self = .high
        case 4.0..<7.0: self = .medium
        case _ where score > 0: self = .low
        default: return nil
        }
    }

    /// The severity of a result's level when its rule gives no score: `error` is high, `warning`
    /// medium, `note` low.
    package init(level: SARIFLog.Level) {
        switch level {
        case .error: self = .high
        case .warning: self = .medium
        case .note: self = .low
        }
    }

    private var rank: Int { Self.allCases.firstIndex(of: self)! }

    package static func < (left: Severity, right: Severity) -> Bool { left.rank < right.rank }
}
