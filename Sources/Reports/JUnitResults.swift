import Basics
import Foundation

/// What a JUnit XML file says: how many tests passed, failed and were skipped, and which failed.
/// The file comes from the test command, so it is read as hostile: bounded in size and elements, no
/// document type (and so no entities to expand), names cut short and escaped wherever they are shown.
package struct JUnitResults: Codable, Sendable, Equatable {
    /// The largest file read.
    static let maximumFileSize = 16 * 1024 * 1024
    /// The most elements read.
    static let maximumElementCount = 200_000
    /// The most failed tests named.
    static let maximumFailedNames = 50

    /// The test cases.
    package var tests: Int
    /// Those that failed or ended in an error.
    package var failed: Int
    /// Those skipped.
    package var skipped: Int
    /// The names of the first failed tests (`classname.name`), at most `maximumFailedNames`.
    package var failedNames: [String]

    /// Those that passed.
    package var passed: Int { tests - failed - skipped }

    enum CodingKeys: String, CodingKey {
        case tests, failed, skipped, failedNames = "failed_names"
    }

    /// Why a file could not be read as JUnit XML; each names the file.
    package enum ReadError: Error, Sendable, Equatable, CustomStringConvertible {
        /// Larger than `maximumFileSize`.
        case tooLarge(file: String, bytes: Int)
        /// Missing or unreadable.
        case unreadable(file: String)
        /// It has a document type, the way to entities that expand without bound.
        case documentType(file: String)
        /// More than `maximumElementCount` elements.
        case tooManyElements(file: String)
        /// Not well-formed: the line and column after what was read.
        case malformed(file: String, line: Int, column: Int)
        /// Well-formed, but with neither `<testsuites>` nor `<testsuite>`.
        case notJUnit(file: String)

        package var description: String {
            switch self {
            case .tooLarge(let file, let bytes): "\(file) is \(bytes) bytes; at most \(maximumFileSize) are read"
            case .unreadable(let file): "cannot read \(file)"
            case .documentType(let file): "\(file) has a <!DOCTYPE>, which JUnit XML does not use; it was not read"
            case .tooManyElements(let file): "\(file): more than \(maximumElementCount) elements; it was not read"
            case .malformed(let file, let line, let column): "\(file):\(line):\(column): not well-formed XML"
            case .notJUnit(let file): "\(file) has no <testsuites> or <testsuite>: it is not JUnit XML"
            }
        }
    }

    /// Reads the JUnit XML file at `path`: `<testsuites>`, `<testsuite>` and `<testcase>` with
    /// `<failure>`, `<error>` or `<skipped>`, as pytest, JUnit, Jest, Go's gotestsum and most
    /// others write it.
    package static func read(_ path: String) throws(ReadError) -> JUnitResults {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= maximumFileSize else { throw .tooLarge(file: path, bytes: size) }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(file: path) }
        return try parse(data, name: path)
    }

    /// Parses JUnit XML; `name` names it in errors.
    static func parse(_ data: Data, name: String) throws(ReadError) -> JUnitResults {
        guard data.count <= maximumFileSize else { throw .tooLarge(file: name, bytes: data.count) }
        // A document type is the only way to entities that expand without bound (a "billion laughs"),
        // and JUnit XML never needs one.
        if data.range(of: Data("<!DOCTYPE".utf8)) != nil || data.range(of: Data("<!doctype".utf8)) != nil {
            throw .documentType(file: name)
        }
        var scanner = XMLScanner(bytes: Array(data), name: name)
        var collector = Collector()
        var open: [String] = []
        while let tag = try scanner.nextTag() {
            switch tag.kind {
            case .start, .empty:
                collector.elements += 1
                guard collector.elements <= maximumElementCount else { throw .tooManyElements(file: name) }
                collector.start(tag)
                if tag.kind == .start { open.append(tag.name) } else { collector.end(tag.name) }
            case .end:
                guard open.last == tag.name else { throw scanner.malformed }
                open.removeLast()
                collector.end(tag.name)
            }
        }
        guard open.isEmpty else { throw scanner.malformed }
        guard collector.sawRoot else { throw .notJUnit(file: name) }
        return collector.results
    }

    /// Counts test cases as the scanner meets them.
    private struct Collector {
        var results = JUnitResults(tests: 0, failed: 0, skipped: 0, failedNames: [])
        var sawRoot = false
        var elements = 0
        /// The name of the test case being read, and how it ended so far.
        private var current: (name: String, failed: Bool, skipped: Bool)?

        mutating func start(_ tag: XMLScanner.Tag) {
            switch tag.name {
            case "testsuites", "testsuite":
                sawRoot = true
            case "testcase":
                let name = String((tag.attributes["name"] ?? "?").prefix(300))
                let qualified = tag.attributes["classname"].map { "\($0.prefix(300)).\(name)" } ?? name
                current = (qualified, false, false)
            case "failure", "error":
                current?.failed = true
            case "skipped":
                current?.skipped = true
            default:
                break
            }
        }

        mutating func end(_ element: String) {
            guard element == "testcase", let test = current else { return }
            current = nil
            results.tests += 1
            if test.failed {
                results.failed += 1
                if results.failedNames.count < JUnitResults.maximumFailedNames { results.failedNames.append(test.name) }
            } else if test.skipped {
                results.skipped += 1
            }
        }
    }
}
