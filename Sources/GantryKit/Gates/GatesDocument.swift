/// Everything `gantry gate` found, as recorded and as `--format json` prints it.
package struct GatesDocument: Codable, Sendable, Equatable {
    /// Health and smoke checks, and ad hoc checks, in the order the configuration lists them.
    package var checks: [CheckResult]
    /// Latency gates.
    package var latency: [LatencyResult]

    /// Whether every gate passed (skipped ones count as not passed).
    package var passed: Bool {
        checks.allSatisfy { $0.verdict == .passed } && latency.allSatisfy { $0.verdict == .passed }
    }

    /// Creates a document.
    package init(checks: [CheckResult], latency: [LatencyResult]) {
        self.checks = checks
        self.latency = latency
    }
}
