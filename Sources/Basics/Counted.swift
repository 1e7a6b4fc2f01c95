/// "1 file", "3 files": a count with its noun, for messages.
package func counted(_ number: Int, _ noun: String) -> String {
    number == 1 ? "1 \(noun)" : "\(number) \(noun)s"
}

/// "the one service", "both services", "all 3 services": every one of a count, as people say it.
package func every(_ number: Int, _ noun: String) -> String {
    switch number {
    case 1: "the one \(noun)"
    case 2: "both \(noun)s"
    default: "all \(number) \(noun)s"
    }
}
