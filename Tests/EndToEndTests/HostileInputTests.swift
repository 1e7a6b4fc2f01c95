import Foundation
import Testing
import TestSupport

/// The fuzzing run of issue 12, finding by finding: each input once hung gantry, crashed it or
/// made it allocate out of proportion; now each ends at once with an error at its place. Every run
/// is bounded (`timeout`, `prlimit --as`), so a regression fails its test instead of the suite.
@Suite("Hostile input")
struct HostileInputTests {
    /// `gantry validate` of `text` as `gantry.yml`, bounded.
    func validate(_ text: String, seconds: Int = 10, memory: Int = 1 << 30) throws -> CommandResult {
        let directory = try TemporaryDirectory()
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory.url("gantry.yml")))
        return try runGantryBounded(["validate", "--repository", directory.path], in: directory.path, seconds: seconds, memory: memory)
    }

    /// Expects a refusal (exit 2) located at `location` whose message contains `message`.
    func expectRefused(_ result: CommandResult, at location: String, saying message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.abnormalEnd == nil, "\(result.abnormalEnd ?? "")", sourceLocation: sourceLocation)
        #expect(result.status == 2, "\(result.standardError)", sourceLocation: sourceLocation)
        #expect(result.standardError.contains("gantry.yml:\(location): "), "\(result.standardError.prefix(2000))", sourceLocation: sourceLocation)
        #expect(result.standardError.contains(message), "\(result.standardError.prefix(2000))", sourceLocation: sourceLocation)
    }

    @Test("an alias nested eight levels deep, used as a mapping key, is refused at its line instead of hanging validate")
    func aliasBomb() throws {
        var lines = ["version: 1", "a0: &a0 [x, x, x, x, x, x, x, x, x]"]
        for level in 1...8 {
            lines.append("a\(level): &a\(level) [\(Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", "))]")
        }
        lines += ["services:", "  api: {paths: [x]}", "  ? *a8", "  : x"]
        expectRefused(try validate(lines.joined(separator: "\n") + "\n"), at: "7:10", saying: "this alias repeats")
    }

    @Test("lists nested 100,000 deep are refused at their place (libyaml's limit), not composed recursively")
    func deepNesting() throws {
        let depth = 100_000
        let text = "version: 1\nservices: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
        expectRefused(try validate(text), at: "2:12", saying: "Maximum nesting level reached")
    }

    @Test("a 6 MB list of globs is refused by its size, without reading it whole")
    func hugeFile() throws {
        let globs = (0..<500_000).map { "    - a/b\($0)/**\n" }.joined()
        let result = try validate("version: 1\nservices:\n  api:\n    paths:\n" + globs, memory: 512 << 20)
        expectRefused(result, at: "1:1", saying: "larger than 1024 KiB")
    }

    @Test("an 11 MB tag rule is refused by the file's size instead of taking 600 MB")
    func hugeRule() throws {
        let rule = "type=raw,value=" + String(repeating: "a", count: 11 << 20)
        let result = try validate("version: 1\nservices:\n  api: {paths: [x]}\ntags: [\"\(rule)\"]\n", memory: 512 << 20)
        expectRefused(result, at: "1:1", saying: "larger than 1024 KiB")
    }

    @Test("a glob of 150,000 '**/' is refused by validate and changes at its place instead of overflowing the stack")
    func globstarChain() throws {
        let fixture = try GitFixture()
        let glob = String(repeating: "**/", count: 150_000) + "f"
        let base = try fixture.commit(files: ["gantry.yml": "version: 1\nservices:\n  api:\n    paths: [\"\(glob)\"]\n", "a/f": "1"])
        try fixture.commit(files: ["a/f": "2"])
        expectRefused(try runGantryBounded(["validate"], in: fixture.path), at: "4:13", saying: "the pattern is 450001 bytes long")
        expectRefused(try runGantryBounded(["changes", "--base", base], in: fixture.path), at: "4:13", saying: "at most 4096")
    }
}
