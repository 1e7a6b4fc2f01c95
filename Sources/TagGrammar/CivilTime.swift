import Foundation

/// A moment broken into calendar fields in one time zone, and the text of each moment.js token.
package struct CivilTime {
    package let year: Int, month: Int, day: Int
    package let hour: Int, minute: Int, second: Int, millisecond: Int
    /// 0 = Sunday.
    package let weekday: Int
    package let dayOfYear: Int
    package let offsetMinutes: Int
    package let epochMilliseconds: Int64
    package let zoneAbbreviation: String

    package init(_ date: Date, in timeZone: TimeZone) {
        // JavaScript dates have millisecond precision and a ±8.64e15 ms range.
        let limit = 8.64e15
        let raw = (date.timeIntervalSince1970 * 1000).rounded(.down)
        let milliseconds = Int64(raw.isFinite ? min(max(raw, -limit), limit) : 0)
        epochMilliseconds = milliseconds
        let offsetSeconds = timeZone.secondsFromGMT(for: date)
        offsetMinutes = offsetSeconds / 60
        // Foundation on Linux only knows "GMT+9"-style abbreviations; moment-timezone says "UTC" for UTC.
        zoneAbbreviation =
            offsetSeconds == 0 && ["UTC", "Etc/UTC", "GMT", "Etc/GMT"].contains(timeZone.identifier)
            ? "UTC" : timeZone.abbreviation(for: date) ?? timeZone.identifier
        let local = milliseconds + Int64(offsetSeconds) * 1000
        let days = Int(Self.floorDivide(local, 86_400_000))
        let inDay = Int(local - Int64(days) * 86_400_000)
        (year, month, day) = Self.civil(fromDays: days)
        hour = inDay / 3_600_000
        minute = inDay / 60_000 % 60
        second = inDay / 1000 % 60
        millisecond = inDay % 1000
        weekday = Self.weekday(ofDays: days)
        dayOfYear = days - Self.days(year: year, month: 1, day: 1) + 1
    }

    /// The text of `token`, or nil when it is not a token (then it is printed as it is).
    package func text(for token: String) -> String? {
        let hour12 = hour % 12 == 0 ? 12 : hour % 12
        switch token {
        case "M": return "\(month)"
        case "Mo": return Self.ordinal(month)
        case "MM": return Self.pad(month, 2)
        case "MMM": return String(Self.months[month - 1].prefix(3))
        case "MMMM": return Self.months[month - 1]
        case "Q": return "\((month + 2) / 3)"
        case "Qo": return Self.ordinal((month + 2) / 3)
        case "D": return "\(day)"
        case "Do": return Self.ordinal(day)
        case "DD": return Self.pad(day, 2)
        case "DDD": return "\(dayOfYear)"
        case "DDDo": return Self.ordinal(dayOfYear)
        case "DDDD": return Self.pad(dayOfYear, 3)
        case "d", "e": return "\(weekday)"
        case "do": return Self.ordinal(weekday)
        case "dd": return String(Self.weekdays[weekday].prefix(2))
        case "ddd": return String(Self.weekdays[weekday].prefix(3))
        case "dddd": return Self.weekdays[weekday]
        case "E": return "\(weekday == 0 ? 7 : weekday)"
        case "w", "wo", "ww", "W", "Wo", "WW":
            let week = weekOfYear(iso: token.hasPrefix("W")).week
            return token.count == 1 ? "\(week)" : (token.hasSuffix("o") ? Self.ordinal(week) : Self.pad(week, 2))
        case "gg", "gggg", "ggggg", "GG", "GGGG", "GGGGG":
            let weekYear = weekOfYear(iso: token.hasPrefix("G")).year
            return token.count == 2 ? Self.pad(weekYear % 100, 2) : Self.pad(weekYear, token.count)
        case "Y": return year <= 9999 ? Self.pad(year, 4) : "+\(year)"
        case "YY": return Self.pad(year % 100, 2)
        case "YYYY", "YYYYY": return Self.pad(year, token.count)
        case "YYYYYY": return (year < 0 ? "-" : "+") + Self.pad(abs(year), 6)
        case "y", "yy", "yyy", "yyyy": return Self.pad(year > 0 ? year : 1 - year, token.count)
        case "yo": return Self.ordinal(year > 0 ? year : 1 - year)
        case "N", "NN", "NNN", "NNNNN": return year > 0 ? "AD" : "BC"
        case "NNNN": return year > 0 ? "Anno Domini" : "Before Christ"
        case "H": return "\(hour)"
        case "HH": return Self.pad(hour, 2)
        case "h": return "\(hour12)"
        case "hh": return Self.pad(hour12, 2)
        case "k": return "\(hour == 0 ? 24 : hour)"
        case "kk": return Self.pad(hour == 0 ? 24 : hour, 2)
        case "Hmm": return "\(hour)" + Self.pad(minute, 2)
        case "Hmmss": return "\(hour)" + Self.pad(minute, 2) + Self.pad(second, 2)
        case "hmm": return "\(hour12)" + Self.pad(minute, 2)
        case "hmmss": return "\(hour12)" + Self.pad(minute, 2) + Self.pad(second, 2)
        case "m": return "\(minute)"
        case "mm": return Self.pad(minute, 2)
        case "s": return "\(second)"
        case "ss": return Self.pad(second, 2)
        case "S": return "\(millisecond / 100)"
        case "SS": return Self.pad(millisecond / 10, 2)
        case "a": return hour < 12 ? "am" : "pm"
        case "A": return hour < 12 ? "AM" : "PM"
        case "Z", "ZZ": return offsetText(separator: token == "Z" ? ":" : "")
        case "z", "zz": return zoneAbbreviation
        case "X": return "\(Self.floorDivide(epochMilliseconds, 1000))"
        case "x": return "\(epochMilliseconds)"
        default:
            // SSS… : milliseconds scaled to the token's length.
            guard token.count >= 3, token.allSatisfy({ $0 == "S" }) else { return nil }
            return Self.pad(millisecond, 3) + String(repeating: "0", count: token.count - 3)
        }
    }

    private func offsetText(separator: String) -> String {
        let sign = offsetMinutes < 0 ? "-" : "+"
        let minutes = abs(offsetMinutes)
        return sign + Self.pad(minutes / 60, 2) + separator + Self.pad(minutes % 60, 2)
    }

    /// moment's week numbering: weeks start on `firstWeekday` and week 1 holds January `7 + dow - doy`.
    /// ISO: Monday, 4 January; English: Sunday, 1 January.
    private func weekOfYear(iso: Bool) -> (week: Int, year: Int) {
        let (firstWeekday, anchor) = iso ? (1, 4) : (0, 6)
        func firstWeekOffset(_ year: Int) -> Int {
            let anchorDay = 7 + firstWeekday - anchor
            let shift = (7 + Self.weekday(ofDays: Self.days(year: year, month: 1, day: anchorDay)) - firstWeekday) % 7
            return -shift + anchorDay - 1
        }
        func weeks(in year: Int) -> Int {
            let length = Self.days(year: year + 1, month: 1, day: 1) - Self.days(year: year, month: 1, day: 1)
            return (length - firstWeekOffset(year) + firstWeekOffset(year + 1)) / 7
        }
        let week = Int((Double(dayOfYear - firstWeekOffset(year) - 1) / 7).rounded(.down)) + 1
        if week < 1 { return (week + weeks(in: year - 1), year - 1) }
        if week > weeks(in: year) { return (week - weeks(in: year), year + 1) }
        return (week, year)
    }

    package static let months = [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ]
    package static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// moment's zeroFill: pads the absolute value, keeps a minus sign, never truncates.
    package static func pad(_ number: Int, _ width: Int) -> String {
        let digits = String(number.magnitude)
        return (number < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// English ordinals: 1st 2nd 3rd 4th 11th 12th 13th 21st.
    package static func ordinal(_ number: Int) -> String {
        let lastDigit = number % 10
        let suffix = number % 100 / 10 == 1 ? "th" : lastDigit == 1 ? "st" : lastDigit == 2 ? "nd" : lastDigit == 3 ? "rd" : "th"
        return "\(number)\(suffix)"
    }

    package static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }

    package static func weekday(ofDays days: Int) -> Int { ((days % 7) + 7 + 4) % 7 }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar.
    package static func days(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfShiftedYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfShiftedYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of `days(year:month:day:)`.
    package static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
