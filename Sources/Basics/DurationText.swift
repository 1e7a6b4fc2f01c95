import Foundation

/// Durations as configuration and options write them: `500ms`, `5s`, `1.5s`, `2m`, `1h30m`.
package enum DurationText {
    /// The duration `text` stands for, or nil when it is not one. A unit is required (a bare `30`
    /// could mean seconds or milliseconds), except for `0`.
    package static func parse(_ text: String) -> Duration? {
        guard !text.isEmpty else { return nil }
        if text == "0" { return .zero }
        var total = Duration.zero
        var rest = Substring(text)
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isASCII && $0.isLetter }
            rest = rest.dropFirst(unit.count)
            guard let value = Double(number), value.isFinite, let scale = scales[String(unit)] else { return nil }
            let milliseconds = value * scale
            guard milliseconds < 1e12 else { return nil }
            total += .microseconds(Int64((milliseconds * 1000).rounded()))
        }
        return total
    }

    /// `1.5s`, `200ms`, `2m 5s`: short, for reports.
    package static func format(_ duration: Duration) -> String {
        let milliseconds = duration.inMilliseconds
        if milliseconds < 1000 { return "\(Int(milliseconds.rounded())) ms" }
        if milliseconds < 60_000 { return String(format: "%.1f s", milliseconds / 1000) }
        let seconds = Int((milliseconds / 1000).rounded())
        return "\(seconds / 60)m \(seconds % 60)s"
    }

    private static let scales: [String: Double] = ["ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000]
}
