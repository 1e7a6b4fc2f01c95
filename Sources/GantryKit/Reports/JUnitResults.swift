import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// What a JUnit XML file says: how many tests passed, failed and were skipped, and which failed.
/// The file comes from the test command, so it is read as hostile: bounded in size and elements, no
/// document type (and so no entities to expand), names cut short and escaped wherever they are shown.
public struct JUnitResults: Codable, Sendable, Equatable {
    /// The largest file read.
    static let maximumFileSize = 16 * 1024 * 1024
    /// The most elements read.
    static let maximumElementCount = 200_000
    /// The most failed tests named.
    static let maximumFailedNames = 50

    /// The test cases.
    public var tests: Int
    /// Those that failed or ended in an error.
    public var failed: Int
    /// Those skipped.
    public var skipped: Int
    /// The names of the first failed tests (`classname.name`), at most `maximumFailedNames`.
    public var failedNames: [String]

    /// Those that passed.
    public var passed: Int { tests - failed - skipped }

    enum CodingKeys: String, CodingKey {
        case tests, failed, skipped, failedNames = "failed_names"
    }

    /// Why a file could not be read as JUnit XML.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Reads the JUnit XML file at `path`: `<testsuites>`, `<testsuite>` and `<testcase>` with
    /// `<failure>`, `<error>` or `<skipped>`, as pytest, JUnit, Jest, Go's gotestsum and most
    /// others write it.
    public static func read(_ path: String) throws(Problem) -> JUnitResults {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= maximumFileSize else {
            throw Problem(description: "\(path) is \(size) bytes; at most \(maximumFileSize) are read")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw Problem(description: "cannot read \(path)") }
        return try parse(data, name: path)
    }

    /// Parses JUnit XML; `name` names it in errors.
    static func parse(_ data: Data, name: String) throws(Problem) -> JUnitResults {
        guard data.count <= maximumFileSize else { throw Problem(description: "\(name) is \(data.count) bytes; at most \(maximumFileSize) are read") }
        // A document type is the only way to entities that expand without bound (a "billion laughs"),
        // and JUnit XML never needs one.
        if data.range(of: Data("<!DOCTYPE".utf8)) != nil || data.range(of: Data("<!doctype".utf8)) != nil {
            throw Problem(description: "\(name) has a <!DOCTYPE>, which JUnit XML does not use; it was not read")
        }
        let collector = Collector()
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = collector
        // On Linux, parse() reports success for a document libxml2 recovered from: the error tells.
        let parsed = parser.parse()
        if let problem = collector.problem { throw Problem(description: "\(name): \(problem)") }
        guard parsed, parser.parserError == nil else {
            let code = parser.parserError.map { " (XML error \(($0 as NSError).code))" } ?? ""
            throw Problem(description: "\(name):\(parser.lineNumber):\(parser.columnNumber): not well-formed XML\(code)")
        }
        guard collector.sawRoot else { throw Problem(description: "\(name) has no <testsuites> or <testsuite>: it is not JUnit XML") }
        return collector.results
    }

    /// Counts test cases as the parser meets them.
    private final class Collector: NSObject, XMLParserDelegate {
        var results = JUnitResults(tests: 0, failed: 0, skipped: 0, failedNames: [])
        var sawRoot = false
        var problem: String?
        private var elements = 0
        /// The name of the test case being read, and how it ended so far.
        private var current: (name: String, failed: Bool, skipped: Bool)?

        func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            elements += 1
            guard elements <= JUnitResults.maximumElementCount else {
                problem = "more than \(JUnitResults.maximumElementCount) elements; it was not read"
                parser.abortParsing()
                return
            }
            switch element {
            case "testsuites", "testsuite":
                sawRoot = true
            case "testcase":
                let name = String((attributes["name"] ?? "?").prefix(300))
                let qualified = attributes["classname"].map { "\($0.prefix(300)).\(name)" } ?? name
                current = (qualified, false, false)
            case "failure", "error":
                current?.failed = true
            case "skipped":
                current?.skipped = true
            default:
                break
            }
        }

        func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
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
