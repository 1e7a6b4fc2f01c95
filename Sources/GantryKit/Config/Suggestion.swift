/// The candidate closest to a misspelt word, for "did you mean" hints; nil when none is close.
///
/// - Parameter maximumDistance: The most edits allowed; by default about one per three characters,
///   so "dependson" suggests "depends_on" but "image" does not suggest "ignore".
func closestMatch(to word: String, among candidates: [String], maximumDistance: Int? = nil) -> String? {
    let scored = candidates.map { (candidate: $0, distance: editDistance(word.lowercased(), $0.lowercased())) }
    guard let best = scored.min(by: { $0.distance < $1.distance }) else { return nil }
    return best.distance <= (maximumDistance ?? max(1, best.candidate.count / 3)) ? best.candidate : nil
}

/// `"; did you mean `x`?"` for the closest candidate, or "": the hint every configuration and
/// usage error gives after a name that names nothing.
public func suggestion(for word: String, among candidates: [String]) -> String {
    closestMatch(to: word, among: candidates).map { "; did you mean `\($0)`?" } ?? ""
}

/// `" Did you mean 'x'?"` for a word within two edits of a candidate, else "": the tag rules' hint,
/// whose keys and values are short enough that two edits still point at one candidate.
func didYouMean(_ word: String, among candidates: [String]) -> String {
    closestMatch(to: word, among: candidates, maximumDistance: 2).map { " Did you mean '\($0)'?" } ?? ""
}

/// The Levenshtein distance between two strings, counted in characters.
func editDistance(_ first: String, _ second: String) -> Int {
    let a = Array(first)
    let b = Array(second)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
            current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
