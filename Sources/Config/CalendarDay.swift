import Foundation

/// A date without a time, such as an acceptance's `until: 2025-06-30`, in UTC.
package struct CalendarDay: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    package var year: Int
    package var month: Int
    package var day: Int

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// The day `date` falls on in UTC.
    package init(_ date: Date) {
        let parts = Self.calendar.dateComponents([.year, .month, .day], from: date)
        year = parts.year!
        month = parts.month!
        day = parts.day!
    }

    /// Parses `YYYY-MM-DD`, a day that exists (no 2025-02-30); nil for anything else.
    package init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            let date = Self.calendar.date(from: DateComponents(year: year, month: month, day: day)),
            Self.calendar.dateComponents([.year, .month, .day], from: date) == DateComponents(year: year, month: month, day: day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Whole days from this day to `other`: positive when `other` is later.
    package func days(until other: CalendarDay) -> Int {
        let start = Self.calendar.date(from: DateComponents(year: year, month: month, day: day))!
        let end = Self.calendar.date(from: DateComponents(year: other.year, month: other.month, day: other.day))!
        return Self.calendar.dateComponents([.day], from: start, to: end).day!
    }

    package var description: String { String(format: "%04d-%02d-%02d", year, month, day) }

    package static func < (left: CalendarDay, right: CalendarDay) -> Bool {
        (left.year, left.month, left.day) < (right.year, right.month, right.day)
    }

    package init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = CalendarDay(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected YYYY-MM-DD, got \(text)"))
        }
        self = day
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
