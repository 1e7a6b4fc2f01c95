import Foundation
import TestSupport
import Testing

@testable import Reports

/// JUnit XML as test runners write it, and as a hostile test command could: counted, named, bounded.
@Suite("JUnit XML results")
struct JUnitResultsTests {
    let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory(prefix: "gantry-junit") }

    func read(_ xml: String) throws(JUnitResults.ReadError) -> JUnitResults {
        let path = directory.url("junit.xml")
        try? xml.write(toFile: path, atomically: true, encoding: .utf8)
        return try JUnitResults.read(path)
    }

    @Test("a pytest report becomes pass, fail and skip counts and the failed tests' names")
    func counts() throws {
        let results = try read(
            """
            <?xml version="1.0" encoding="utf-8"?>
            <testsuites><testsuite name="pytest" tests="5" failures="1" errors="1" skipped="1">
              <testcase classname="tests.test_api" name="test_health" time="0.01"/>
              <testcase classname="tests.test_api" name="test_list"><failure message="assert 500 == 200">trace</failure></testcase>
              <testcase classname="tests.test_api" name="test_setup"><error message="fixture">trace</error></testcase>
              <testcase classname="tests.test_web" name="test_later"><skipped message="todo"/></testcase>
              <testcase name="test_bare"><system-out>ok</system-out></testcase>
            </testsuite></testsuites>
            """)
        #expect(
            results
                == JUnitResults(tests: 5, failed: 2, skipped: 1, failedNames: ["tests.test_api.test_list", "tests.test_api.test_setup"]))
        #expect(results.passed == 2)
    }

    @Test("a document type, and with it entity expansion, is refused")
    func doctypeRefused() {
        let laughs = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
            <testsuite><testcase name="&lol2;"/></testsuite>
            """
        #expect(throws: JUnitResults.ReadError.self) { try read(laughs) }
        #expect { try read(laughs) } throws: { "\($0)".contains("<!DOCTYPE>") }
    }

    @Test("too many elements, a file too large, broken XML and XML that is not JUnit are errors, not crashes")
    func bounded() throws {
        let many = "<testsuite>" + String(repeating: "<testcase name=\"t\"/>", count: JUnitResults.maximumElementCount) + "</testsuite>"
        #expect { try read(many) } throws: { "\($0)".contains("more than \(JUnitResults.maximumElementCount) elements") }
        let huge = Data(count: JUnitResults.maximumFileSize + 1)
        #expect { try JUnitResults.parse(huge, name: "big.xml") } throws: { "\($0)".contains("at most") }
        #expect { try read("<testsuite>\n<testcase name=\"a\">\n</testsuite>") } throws: {
            "\($0)".contains("junit.xml:3:13: not well-formed XML")
        }
        #expect { try read("<testsuite><testcase name=\"cut off") } throws: { "\($0)".contains("not well-formed XML") }
        #expect { try read("<html><body/></html>") } throws: { "\($0)".contains("not JUnit XML") }
    }

    @Test("at most 50 failed tests are named, each name cut to 300 characters")
    func namesBounded() throws {
        let long = String(repeating: "x", count: 1000)
        let cases = (0..<80).map { "<testcase classname=\"c\" name=\"\(long)\($0)\"><failure/></testcase>" }.joined()
        let results = try read("<testsuite>\(cases)</testsuite>")
        #expect(results.failed == 80)
        #expect(results.failedNames.count == 50)
        #expect(results.failedNames.allSatisfy { $0.count == 302 })
    }
}
