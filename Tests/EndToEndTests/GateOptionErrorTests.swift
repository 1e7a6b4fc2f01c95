import Foundation
import TestSupport
import Testing

/// An ad hoc check's options that are out of range or malformed: exit 2, before any request, with
/// the option, what it must be, and what was given.
@Suite("gantry gate: option errors")
struct GateOptionErrorTests {
    static let cases: [(arguments: [String], message: String)] = [
        (["--expect-status", "700"], "--expect-status must be from 100 to 599; got 700"),
        (["--attempts", "0"], "--attempts must be from 1 to 100000; got 0"),
        (["--deadline", "soon"], "--deadline must be a duration such as 500ms, 5s or 2m; got \"soon\""),
        (["--expect-header", "no colon"], "--expect-header must be 'Name: value'; got \"no colon\""),
        (["--expect-json", "$.status"], "--expect-json must be PATH=VALUE, such as '$.status=\"ok\"'; got \"$.status\""),
    ]

    @Test("a wrong option is a usage error that names it, what it must be, and what was given", arguments: cases)
    func optionError(arguments: [String], message: String) throws {
        let directory = try TemporaryDirectory(prefix: "gantry-gate-options")
        // Port 9 (discard) on loopback: nothing is sent, since the options fail first.
        let result = try runGantry(["gate", "--http", "http://127.0.0.1:9/health"] + arguments, in: directory.path)
        #expect(result.status == 2)
        #expect(result.standardError.contains(message), "\(result.standardError)")
    }
}
