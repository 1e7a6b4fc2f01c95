import Foundation
import TestSupport
import Testing

@testable import Basics
@testable import TagGrammar

@Suite("Random input never crashes")
struct FuzzTests {
    static let pieces = [
        "type=", "semver", "pep440", "match", "edge", "ref", "raw", "sha", "tree", "schedule", ",", "=", "\"", "\"\"",
        "pattern=", "value=", "group=", "event=", "format=", "prefix=", "suffix=", "enable=", "priority=", "branch=",
        "match=", "{{", "}}", "{{{", "}}}", "{{version}}", "{{raw}}", "{{branch}}", "{{date 'YYYY'", "tz='UTC'", "'",
        "\\", "/", "(", ")", "[", "]", "*", "+", "?", "^", "$", ".", "|", "v1.2.3", "-rc.1", "#", " ", "\n", "é", "🙂",
        "0", "1", "-1", "99999999999999999999", "true", "false", "{{is_default_branch}}", "/i", "/g", "\\d", "x",
    ]

    static func randomText(_ generator: inout SplitMix, pieces count: Int) -> String {
        (0..<count).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
    }

    static let contexts = [
        Fixtures.context("push", "refs/tags/v1.2.3-rc.1+b", tree: Fixtures.treeHash),
        Fixtures.context("push", "refs/heads/a/b#c"),
        Fixtures.named("pull_request_target", headSHAOption: true),
        Fixtures.context("merge_group", "refs/heads/gh-readonly-queue/main/pr-1-ab"),
        Fixtures.context("schedule", "", sha: "", shortLength: -3),
    ].compactMap { $0 }

    @Test("rules, flavors, labels and date formats", arguments: 0..<8)
    func fuzz(seed: Int) {
        var generator = SplitMix(state: UInt64(seed) &* 7919)
        for _ in 0..<400 {
            let text = Self.randomText(&generator, pieces: Int(generator.next() % 12))
            let flavorText = Self.randomText(&generator, pieces: Int(generator.next() % 4))
            let flavor = (try? Flavor(parsing: [flavorText])) ?? .automatic
            if let rule = try? TagRule(parsing: text) {
                for context in Self.contexts {
                    _ = try? TagRuleSet(rules: [rule], flavor: flavor).evaluate(in: context)
                }
            }
            _ = try? ImageLabels.labels(
                title: "", description: "", url: "", source: "", version: "", created: .distantFuture, revision: "",
                licenses: "", custom: [text, "k={{date '\(text.replacingOccurrences(of: "'", with: ""))'}}"],
                context: Self.contexts[0])
        }
    }

    @Test("every successfully evaluated tag is registry-valid")
    func validTags() throws {
        var generator = SplitMix(state: 42)
        for _ in 0..<500 {
            let value = Self.randomText(&generator, pieces: Int(generator.next() % 40))
                .replacingOccurrences(of: "\"", with: "").replacingOccurrences(of: ",", with: "")
                .replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "\n", with: "")
            guard let rule = try? TagRule(parsing: "type=raw,\"value=\(value)\"") else { continue }
            let result = try TagRuleSet(rules: [rule]).evaluate(in: Self.contexts[1])
            #expect(result.tags.allSatisfy(isRegistryValid), "\(value)")
        }
    }
}
