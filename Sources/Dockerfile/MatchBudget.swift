import Basics

/// The matching work left for one command's selections: every pattern and every file come from a
/// pull request, and so may the number of services that share a hostile Dockerfile, so their
/// product is bounded, not just each factor.
package struct MatchBudget: Sendable {
    /// Thrown when a match would pass the budget.
    struct Exhausted: Error {}

    /// The steps allowed in all.
    package let limit: Int
    /// The steps left: one live position of a pattern at one byte of a path, and one per instruction and file.
    private(set) var remaining: Int

    /// A budget of `limit` steps (`ConfigurationLimits.Dockerfile.matchSteps` for a command; tests pass fewer).
    package init(limit: Int = ConfigurationLimits.Dockerfile.matchSteps) {
        self.limit = limit
        remaining = limit
    }

    mutating func spend(_ steps: Int) throws(Exhausted) {
        remaining -= steps
        guard remaining >= 0 else { throw Exhausted() }
    }

    /// The error at the pattern whose match passed the budget.
    func error(at pattern: String, file: String, line: Int) -> DockerfileError {
        DockerfileError(
            "matching `\(pattern.count > 80 ? pattern.prefix(79) + "…" : pattern)` against the build context passes the "
                + "\(limit) matching steps gantry allows for one command's Dockerfiles "
                + "(one pattern position at one byte of a path, and one per instruction and file); expected fewer or "
                + "simpler wildcard patterns, or a narrower context",
            file: file, line: line)
    }
}
