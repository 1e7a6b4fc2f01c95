import Basics

/// The matching work left for one build context's selection: every pattern and every file come from
/// a pull request, so their product is bounded, not just each factor.
struct MatchBudget {
    /// Thrown when a match would pass the budget.
    struct Exhausted: Error {}

    /// The steps allowed in all.
    let limit: Int
    /// The steps left: one live position of a pattern at one byte of a path, and one per instruction and file.
    private(set) var remaining: Int

    init(limit: Int) {
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
                + "\(limit) matching steps gantry allows for one Dockerfile "
                + "(one pattern position at one byte of a path, and one per instruction and file); expected fewer or "
                + "simpler wildcard patterns, or a narrower context",
            file: file, line: line)
    }
}
