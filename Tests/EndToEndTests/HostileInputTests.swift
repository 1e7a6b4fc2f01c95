import Foundation
import TestSupport
import Testing

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
    func expectRefused(
        _ result: CommandResult, at location: String, saying message: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(result.abnormalEnd == nil, "\(result.abnormalEnd ?? "")", sourceLocation: sourceLocation)
        #expect(result.status == 2, "\(result.standardError)", sourceLocation: sourceLocation)
        #expect(
            result.standardError.contains("gantry.yml:\(location): "), "\(result.standardError.prefix(2000))",
            sourceLocation: sourceLocation)
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

    /// `count` services, `s0` depending on `s1` and so on; the last depends on `last` when given.
    func chain(_ count: Int, lastDependsOn last: String? = nil) -> String {
        let services = (0..<count).map { index in
            let next = index + 1 < count ? "s\(index + 1)" : last
            return "  s\(index): {paths: [\"s\(index)/**\"]\(next.map { ", depends_on: [\($0)]" } ?? "")}\n"
        }
        return "version: 1\nservices:\n" + services.joined()
    }

    @Test("a depends_on chain of 7,000 services is refused at the 1,001st instead of overflowing the stack")
    func longChain() throws {
        expectRefused(try validate(chain(7000)), at: "1003:3", saying: "more than 1000 services; expected at most 1000")
    }

    @Test("a chain of 1,000 services, the most allowed, is checked for cycles and changes along its whole length")
    func longestChain() throws {
        let cyclic = try validate(chain(1000, lastDependsOn: "s0"))
        expectRefused(cyclic, at: "1002:43", saying: "dependency cycle: s0 → s1 → s2")
        #expect(cyclic.standardError.contains("s998 → s999 → s0;"))

        let fixture = try GitFixture()
        let base = try fixture.commit(files: ["gantry.yml": chain(1000), "s999/f": "1"])
        try fixture.commit(files: ["s999/f": "2"])
        let result = try runGantryBounded(["changes", "--base", base, "--format", "json"], in: fixture.path)
        #expect(result.abnormalEnd == nil && result.status == 0, "\(result.abnormalEnd ?? result.standardError)")
        let json = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        #expect((json?["changed"] as? [String])?.count == 1000)
    }

    @Test("1,000 services each depending on an unknown name get their hints in seconds, not minutes")
    func manyUnknownDependencies() throws {
        let services = (0..<1000).map { String(format: "  svc-%04d: {paths: [p%d/**], depends_on: [dep-%04d]}\n", $0, $0, $0) }
        let started = ContinuousClock.now
        let result = try validate("version: 1\nservices:\n" + services.joined(), seconds: 30)
        let elapsed = ContinuousClock.now - started
        expectRefused(result, at: "3:43", saying: "`svc-0000` depends on `dep-0000`, which is neither a group nor a service")
        #expect(result.standardError.contains("1000 problems"))
        // 17 s before the search was bounded, on the 2-core machine this suite runs on; under 1 s since.
        #expect(elapsed < .seconds(12), "took \(elapsed)")
    }

    @Test("3,125 services are refused at the 1,001st, before any search among them")
    func tooManyServices() throws {
        let services = (0..<3125).map { "  svc\($0): {paths: [p\($0)/**], depends_on: [unknown\($0)]}\n" }
        expectRefused(try validate("version: 1\nservices:\n" + services.joined()), at: "1003:3", saying: "more than 1000 services")
    }

    @Test("type=match,pattern=(a*)*b against a pushed tag of 32 a's gives no tag at once instead of backtracking for minutes")
    func catastrophicPattern() throws {
        let fixture = try GitFixture()
        try fixture.commit(files: [
            "gantry.yml": "version: 1\nservices:\n  api: {paths: [x]}\ntags: [\"type=match,pattern=(a*)*b\"]\n", "x/f": "1",
        ])
        let tag = String(repeating: "a", count: 32)
        let result = try runGantryBounded(["tags", "--all", "--ref", "refs/tags/\(tag)"], in: fixture.path)
        expectRefused(result, at: "4:1", saying: "'\(tag)' does not match (a*)*b")
    }

    @Test("a match that would take too long is cut off, and the rule says so")
    func cutOffMatch() throws {
        let fixture = try GitFixture()
        try fixture.commit(files: [
            "gantry.yml": "version: 1\nservices:\n  api: {paths: [x]}\ntags: ['type=match,\"pattern=/a{0,900}b/g\"']\n", "x/f": "1",
        ])
        let result = try runGantryBounded(["tags", "--all", "--ref", "refs/tags/" + String(repeating: "a", count: 2000)], in: fixture.path)
        expectRefused(result, at: "4:1", saying: "against a{0,900}b was cut off after 250000 steps")
    }
}
