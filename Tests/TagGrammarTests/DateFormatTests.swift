import Foundation
import Testing

@testable import TagGrammar

/// A `{{date 'format' tz='zone'}}` and what it gives.
struct DateCase: Sendable, CustomTestStringConvertible {
    var format: String
    var zone = "UTC"
    /// Seconds since 1970; the fixtures' 2020-01-10T00:30:00Z (a Friday) by default.
    var at: TimeInterval = 1_578_616_200
    var expected: String
    var testDescription: String { "\(format) in \(zone)" }
}

@Suite("moment.js date formats in {{date}}")
struct DateFormatTests {
    static let cases: [DateCase] = [
        DateCase(format: "YYYY-MM-DD", expected: "2020-01-10"),
        DateCase(format: "YY M D", expected: "20 1 10"),
        DateCase(format: "MMM MMMM Mo", expected: "Jan January 1st"),
        DateCase(format: "Do DDD DDDD DDDo", expected: "10th 10 010 10th"),
        DateCase(format: "d dd ddd dddd do", expected: "5 Fr Fri Friday 5th"),
        DateCase(format: "H HH h hh k kk", expected: "0 00 12 12 24 24"),
        DateCase(format: "m mm s ss", expected: "30 30 0 00"),
        DateCase(format: "S SS SSS SSSS", at: 1_578_616_200.789, expected: "7 78 789 7890"),
        DateCase(format: "A a", expected: "AM am"),
        DateCase(format: "A a h", zone: "Asia/Tokyo", expected: "AM am 9"),
        DateCase(format: "A a h", zone: "America/Los_Angeles", expected: "PM pm 4"),
        DateCase(format: "Z ZZ", expected: "+00:00 +0000"),
        DateCase(format: "Z ZZ", zone: "Asia/Tokyo", expected: "+09:00 +0900"),
        DateCase(format: "Z", zone: "Asia/Kolkata", expected: "+05:30"),
        DateCase(format: "Z", zone: "America/New_York", at: 1_594_000_000, expected: "-04:00"),
        DateCase(format: "X x", expected: "1578616200 1578616200000"),
        DateCase(format: "Q Qo W WW Wo E e", expected: "1 1st 2 02 2nd 5 5"),
        DateCase(format: "[Week] w ww", expected: "Week 2 02"),
        DateCase(format: "GGGG-[W]WW-E", at: 1_609_459_200, expected: "2020-W53-5"),
        DateCase(format: "gggg-ww", at: 1_609_459_200, expected: "2021-01"),
        DateCase(format: "YYYYMMDD-HHmmss", zone: "Asia/Tokyo", expected: "20200110-093000"),
        DateCase(format: "YYYYMMDD", zone: "asia/tokyo", expected: "20200110"),
        DateCase(format: "YYYYMMDD-HHmm", zone: "Etc/GMT+5", expected: "20200109-1930"),
        DateCase(format: "[today is] dddd", expected: "today is Friday"),
        DateCase(format: "\\YYYY-YYYY", expected: "YYYY-2020"),
        DateCase(format: "Hmm hmmss", zone: "Asia/Tokyo", expected: "930 93000"),
        DateCase(format: "LT|L|LL", expected: "12:30 AM|01/10/2020|January 10, 2020"),
        DateCase(format: "Do MMMM YYYY, h:mm:ss a", expected: "10th January 2020, 12:30:00 am"),
        DateCase(format: "N y Y", expected: "AD 2020 2020"),
        DateCase(format: "z", expected: "UTC"),
        DateCase(format: "Do", at: 1_579_564_800, expected: "21st"),
        DateCase(format: "Do", at: 1_578_960_000, expected: "14th"),
        DateCase(format: "DDDD", at: 1_609_372_800, expected: "366"),
        // Without a closing bracket the letters are tokens again, as in moment.
        DateCase(format: "[unclosed", expected: "[unc1/10/2020o055"),
    ]

    @Test("tokens", arguments: cases)
    func format(_ example: DateCase) throws {
        let instant = Date(timeIntervalSince1970: example.at)
        let context = TagContext(eventName: "push", ref: "refs/heads/dev", sha: Fixtures.devSHA, commitDate: instant, now: instant)
        let labels = try ImageLabels.labels(
            title: "", description: "", url: "", source: "", version: "", created: instant, revision: "", licenses: "",
            custom: ["date={{date '\(example.format)' tz='\(example.zone)'}}"], context: context)
        #expect(labels.first { $0.key == "date" }?.value == example.expected)
    }

    @Test("an unquoted format gives moment's default format (metadata-action test pr12)")
    func unquoted() throws {
        let instant = Date(timeIntervalSince1970: 1_578_616_200)
        let context = TagContext(eventName: "push", ref: "refs/heads/dev", sha: "", commitDate: instant, now: instant)
        let labels = try ImageLabels.labels(
            title: "", description: "", url: "", source: "", version: "", created: instant, revision: "", licenses: "",
            custom: ["a={{commit_date YYYY-MM-DD}}", "b={{date YYYY tz='Asia/Tokyo'}}"], context: context)
        #expect(labels.first { $0.key == "a" }?.value == "2020-01-10T00:30:00Z")
        #expect(labels.first { $0.key == "b" }?.value == "2020-01-10T09:30:00+09:00")
    }

    @Test("commit_date uses the commit's time, date uses now")
    func commitDate() throws {
        let context = TagContext(
            eventName: "push", ref: "refs/heads/dev", sha: Fixtures.devSHA,
            commitDate: Date(timeIntervalSince1970: 0), now: Date(timeIntervalSince1970: 1_578_616_200))
        let result = try TagRuleSet(rules: [try TagRule(parsing: "type=raw,value={{commit_date 'YYYY'}}-{{date 'YYYY'}}")]).evaluate(
            in: context)
        #expect(result.tags == ["1970-2020"])
    }
}
