import Foundation
import TestSupport
import Testing

@testable import Basics

@Suite("Where text stops being JSON")
struct JSONSyntaxTests {
    func error(_ text: String) -> JSONSyntax.Failure? { JSONSyntax.firstError(in: Data(text.utf8)) }

    @Test(
        "JSON finds no error, whatever its shape",
        arguments: [
            #"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Trivy"}}, "results": []}]}"#,
            "[1, -0.5, 2e10, 3E-2, 0, -0, true, false, null, \"\\u00e9\\n\\\"\", {}, []]",
            "  \n\t{\"a\":\r\n{\"b\": [[], {}]}}\n", "42", "\"text\"", "{\"é\": \"ünïcødé\"}",
        ])
    func valid(text: String) {
        #expect(error(text) == nil)
    }

    @Test("a file cut off names the string it ends in, or says it ends early")
    func truncated() {
        #expect(
            error("{\"runs\": [{\"message\": \"a long te")
                == .init(line: 1, column: 23, problem: "the file ends inside this string (truncated?)"))
        #expect(error("{\"runs\": [1,\n") == .init(line: 2, column: 1, problem: "the file ends early (truncated?)"))
        #expect(error("{\"a\": tr")?.problem == "the file ends early (truncated?)")
        #expect(error("{\"a\": \"\\u00")?.problem == "the file ends inside this string (truncated?)")
        #expect(error("") == .init(line: 1, column: 1, problem: "the file is empty"))
    }

    @Test("a number no double holds is named at its place, not called \"not JSON\" at large")
    func numberBeyondDouble() {
        #expect(
            error("{\"startLine\":\n  1e400}")
                == .init(line: 2, column: 3, problem: "the number 1e400 is beyond the range of a double"))
        #expect(error("[-1e309]")?.problem == "the number -1e309 is beyond the range of a double")
    }

    @Test("a number out of range is the error only when nothing else is wrong, as the decoder refuses it only when it decodes it")
    func numberOutOfRangeComesLast() {
        #expect(error("{\"a\": 1e400, \"b\": \"cut")?.problem == "the file ends inside this string (truncated?)")
        #expect(error("[1e-400]")?.problem == "the number 1e-400 is beyond the range of a double")
        #expect(error("[0.0e-400, -0, 0.000]") == nil)
    }

    @Test("a UTF-8 byte order mark is skipped as the decoder skips it; UTF-16 is left to the decoder")
    func encodings() {
        #expect(
            JSONSyntax.firstError(in: Data([0xEF, 0xBB, 0xBF] + Array("{\"a\": [1,".utf8)))?.problem == "the file ends early (truncated?)")
        #expect(JSONSyntax.firstError(in: Data([0xEF, 0xBB, 0xBF] + Array("{}".utf8))) == nil)
        #expect(JSONSyntax.firstError(in: "{\"a\": [1,".data(using: .utf16)!) == nil)
    }

    @Test("stray commas, missing colons and text after the value are each named; a comma before a bracket is taken, as Foundation takes it")
    func misplaced() {
        #expect(error("[1, 2,]") == nil && error("{\"a\": 1,}") == nil)
        #expect(error("[1,,2]") == .init(line: 1, column: 4, problem: "expected a value, found ','"))
        #expect(error("{\"a\": 1, 2}") == .init(line: 1, column: 10, problem: "expected a name in quotes, found '2'"))
        #expect(error("{\"a\" 1}") == .init(line: 1, column: 6, problem: "expected ':' after a name, found '1'"))
        #expect(error("[1 2]") == .init(line: 1, column: 4, problem: "expected ',' or ']', found '2'"))
        #expect(error("{\"a\": 1]") == .init(line: 1, column: 8, problem: "expected ',' or '}', found ']'"))
        #expect(error("{} {}") == .init(line: 1, column: 4, problem: "expected the end of the file after the JSON value, found '{'"))
        #expect(error("[01]")?.problem == "a number cannot start with 0")
        #expect(error("[\"a\\q\"]")?.problem == "\\'q' is no escape JSON knows")
        #expect(error("[\"a\u{1}\"]")?.problem == "a control character inside a string (byte 1): it must be escaped")
        #expect(error("[nul]")?.problem == "expected null")
        #expect(error("[1.]")?.problem == "a number needs digits after '.'")
    }

    /// Random edits of a SARIF-shaped document, judged by Foundation's parser: what it accepts, this
    /// finds no error in, and what this finds no error in, it accepts. The seed replays a failure.
    @Test("agrees with Foundation's parser on 3,000 random edits of a document, and never traps")
    func agreesWithFoundation() {
        let document = Array(
            #"{"version": "2.1.0", "runs": [{"results": [{"ruleId": "CVE-1", "level": "error", "rank": -1.5e2, "ok": true, "x": null, "m": "a\"b\\c\u0041"}]}]}"#
                .utf8)
        let alphabet = Array("{}[]\",:.-+eE0123456789 tfnul\\ax\n".utf8)
        var random = SplitMix(state: 0x5EED)
        for round in 0..<3_000 {
            var bytes = document
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let place = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes.remove(at: place)
                case 1: bytes.insert(alphabet.randomElement(using: &random)!, at: place)
                default: bytes[place] = alphabet.randomElement(using: &random)!
                }
            }
            let data = Data(bytes)
            let foundationAccepts = (try? JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed)) != nil
            let found = JSONSyntax.firstError(in: data)
            #expect(
                foundationAccepts == (found == nil),
                "round \(round): \(String(decoding: bytes, as: UTF8.self)) → \(String(describing: found))")
        }
    }
}
