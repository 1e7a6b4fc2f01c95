/// Names to suggest after a misspelt one, for "did you mean" hints. Each name is lowercased once,
/// and a candidate is measured only as far as it could still be the closest, so that a thousand
/// lookups among a thousand names (one per unknown dependency of each service) stay cheap.
package struct Suggestions {
    private struct Candidate {
        package var name: String
        package var folded: [Unicode.Scalar]
        package var letters: UInt64
    }

    private let candidates: [Candidate]

    package init(_ names: [String]) {
        candidates = names.map { name in
            let folded = Array(name.lowercased().unicodeScalars)
            return Candidate(name: name, folded: folded, letters: Self.letters(of: folded))
        }
    }

    /// Which of 64 buckets the scalars fall in. Each edit removes at most one bucket one text has and
    /// the other lacks, so the larger count of such buckets is a lower bound of the edit distance,
    /// computed in two instructions.
    private static func letters(of scalars: [Unicode.Scalar]) -> UInt64 {
        scalars.reduce(0) { $0 | 1 << UInt64($1.value % 64) }
    }

    /// The candidate closest to `word`; nil when none is close.
    ///
    /// - Parameter maximumDistance: The most edits allowed; by default about one per three characters
    ///   of the candidate, so "dependson" suggests "depends_on" but "image" does not suggest "ignore".
    package func closest(to word: String, maximumDistance: Int? = nil) -> String? {
        let word = Array(word.lowercased().unicodeScalars)
        let letters = Self.letters(of: word)
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            // A later candidate must be strictly closer, so ties go to the first.
            let limit = min(maximumDistance ?? max(1, candidate.folded.count / 3), (best?.distance ?? .max) - 1)
            let unmatched = max((letters & ~candidate.letters).nonzeroBitCount, (candidate.letters & ~letters).nonzeroBitCount)
            guard unmatched <= limit, let distance = editDistance(word, candidate.folded, atMost: limit) else { continue }
            best = (candidate.name, distance)
        }
        return best?.name
    }

    /// `"; did you mean `x`?"` for the closest candidate, or "": the hint every configuration and
    /// usage error gives after a name that names nothing.
    package func hint(for word: String) -> String {
        closest(to: word).map { "; did you mean `\($0)`?" } ?? ""
    }
}

/// The candidate closest to a misspelt word (see ``Suggestions/closest(to:maximumDistance:)``).
package func closestMatch(to word: String, among candidates: [String], maximumDistance: Int? = nil) -> String? {
    Suggestions(candidates).closest(to: word, maximumDistance: maximumDistance)
}

/// `"; did you mean `x`?"` for the closest candidate, or "" (see ``Suggestions/hint(for:)``).
package func suggestion(for word: String, among candidates: [String]) -> String {
    Suggestions(candidates).hint(for: word)
}

/// `" Did you mean 'x'?"` for a word within two edits of a candidate, else "": the tag rules' hint,
/// whose keys and values are short enough that two edits still point at one candidate.
package func didYouMean(_ word: String, among candidates: [String]) -> String {
    closestMatch(to: word, among: candidates, maximumDistance: 2).map { " Did you mean '\($0)'?" } ?? ""
}

/// The Levenshtein distance between two texts, counted in Unicode scalars, when it is at most
/// `limit`; nil when it is more. Only the diagonal band the limit allows is computed, and the
/// computation stops at the first row where every entry is past the limit.
package func editDistance(_ first: [Unicode.Scalar], _ second: [Unicode.Scalar], atMost limit: Int) -> Int? {
    guard limit >= 0, abs(first.count - second.count) <= limit else { return nil }
    guard !first.isEmpty, !second.isEmpty else { return max(first.count, second.count) }
    let limit = min(limit, max(first.count, second.count))
    let beyond = limit + 1
    var previous = (0...second.count).map { min($0, beyond) }
    var current = [Int](repeating: beyond, count: second.count + 1)
    for row in 1...first.count {
        let low = max(1, row - limit)
        let high = min(second.count, row + limit)
        current[low - 1] = low == 1 ? min(row, beyond) : beyond
        var rowMinimum = current[low - 1]
        for column in low...high {
            // Two-argument `min`s: the variadic one allocates an array per call.
            let substitution = previous[column - 1] + (first[row - 1] == second[column - 1] ? 0 : 1)
            let distance = min(min(previous[column], current[column - 1]) + 1, min(substitution, beyond))
            current[column] = distance
            rowMinimum = min(rowMinimum, distance)
        }
        if high < second.count { current[high + 1] = beyond }
        guard rowMinimum <= limit else { return nil }
        swap(&previous, &current)
    }
    return previous[second.count] <= limit ? previous[second.count] : nil
}
