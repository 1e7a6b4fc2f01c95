/// Where an environment stands, as its ledger records it and as reports show it.
package enum EnvironmentState: String, Codable, Sendable {
    /// `up` is creating it.
    case starting
    /// It is up.
    case up
    /// `up` failed; parts of it may exist until `down`.
    case failed
    /// It is gone.
    case down
    /// There was no environment to act on: reports only, a ledger never says so.
    case none
}
