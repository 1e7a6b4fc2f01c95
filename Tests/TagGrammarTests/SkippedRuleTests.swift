import Testing

@testable import Basics
@testable import TagGrammar

/// A rule that adds no tag, and the reason `gantry tags` shows for it.
struct SkipCase: Sendable, CustomTestStringConvertible {
    var context: TagContext
    var rule: String
    var reason: String
    var testDescription: String { "\(rule) → \(reason)" }
}

private let dev = Fixtures.context("push", "refs/heads/dev")
private let tag = Fixtures.context("push", "refs/tags/sometag")
private let queue = Fixtures.context("merge_group", "refs/heads/gh-readonly-queue/main/pr-1-abc")

@Suite("Why a rule added no tag")
struct SkippedRuleTests {
    static let cases: [SkipCase] = [
        SkipCase(context: dev, rule: "type=semver,pattern={{version}}", reason: "refs/heads/dev is not a tag"),
        SkipCase(context: dev, rule: "type=raw,value=x,enable={{is_default_branch}}", reason: "disabled (enable rendered 'false')"),
        SkipCase(context: tag, rule: "type=semver,pattern={{version}}", reason: "'sometag' is not a semantic version"),
        SkipCase(context: tag, rule: "type=pep440,pattern={{version}}", reason: "'sometag' is not a PEP 440 version"),
        SkipCase(context: tag, rule: "type=match,pattern=\\d", reason: "'sometag' does not match \\d"),
        SkipCase(context: tag, rule: "type=match,pattern=some(tag),group=2", reason: "'sometag' matches some(tag) but has no group 2"),
        SkipCase(context: dev, rule: "type=schedule", reason: "'push' is not a schedule event"),
        SkipCase(context: tag, rule: "type=edge", reason: "refs/tags/sometag is not a branch"),
        SkipCase(context: dev, rule: "type=edge", reason: "branch 'dev' is not 'master'"),
        SkipCase(context: queue, rule: "type=edge", reason: "edge does not apply to merge queue builds"),
        SkipCase(context: tag, rule: "type=ref,event=branch", reason: "refs/tags/sometag is not a branch"),
        SkipCase(context: dev, rule: "type=ref,event=tag", reason: "refs/heads/dev is not a tag"),
        SkipCase(context: dev, rule: "type=ref,event=pr", reason: "refs/heads/dev is not a pull request ref"),
        SkipCase(context: dev, rule: "type=raw,value={{tag}}", reason: "the tag rendered empty"),
        SkipCase(context: dev, rule: "type=raw,value=###", reason: "'###' has no character allowed in a tag"),
        SkipCase(context: Fixtures.context("push", "", sha: ""), rule: "type=sha", reason: "there is no commit sha"),
        SkipCase(context: Fixtures.context("push", ""), rule: "type=ref,event=tag", reason: "there is no ref; it is not a tag"),
        SkipCase(context: dev, rule: "type=tree", reason: "no tree hash is known"),
        SkipCase(
            context: tag, rule: "type=semver,pattern={{version}},match=(x)|some",
            reason: "'sometag' matches (x)|some but its group 1 took no part"),
    ]

    @Test("each kind of skip has its reason", arguments: cases)
    func reason(_ example: SkipCase) throws {
        let result = try evaluate([example.rule], in: example.context)
        #expect(result.tags.isEmpty)
        #expect(result.skipped == [SkippedRule(rule: example.rule, reason: example.reason)])
    }

    @Test("a duplicate is reported with the tag it repeats")
    func duplicate() throws {
        let result = try evaluate(
            ["type=semver,pattern={{version}}", "type=semver,pattern={{major}}.{{minor}}.{{patch}}"],
            in: Fixtures.context("push", "refs/tags/v1.1.1"))
        #expect(result.tags == ["1.1.1", "latest"])
        #expect(
            result.skipped.map(\.description) == [
                "type=semver,pattern={{major}}.{{minor}}.{{patch}}: gives '1.1.1', which an earlier rule already produced"
            ])
    }

    @Test("when nothing is produced, every rule is explained, in priority order")
    func everyRuleExplained() throws {
        let rules = ["type=raw,value={{tag}}", "type=semver,pattern={{version}}", "type=sha,enable=false", "type=edge,branch=main"]
        let result = try evaluate(rules, in: dev)
        #expect(result.tags.isEmpty && result.version.isEmpty && !result.isLatest)
        #expect(
            result.skipped.map(\.rule) == [
                "type=semver,pattern={{version}}", "type=edge,branch=main", "type=raw,value={{tag}}", "type=sha,enable=false",
            ])
        #expect(
            result.skipped.map(\.reason) == [
                "refs/heads/dev is not a tag", "branch 'dev' is not 'main'", "the tag rendered empty", "disabled (enable rendered 'false')",
            ])
    }

    @Test("an enable that renders neither true nor false is an error at evaluation")
    func badEnable() throws {
        let rules = [try TagRule(parsing: "type=sha"), try TagRule(parsing: "type=raw,value=x,enable={{branch}}")]
        #expect(
            throws: TagRuleError("enable of 'type=raw,value=x,enable={{branch}}' rendered 'dev'; expected true or false", entryIndex: 1)
        ) {
            try TagRuleSet(rules: rules).evaluate(in: dev)
        }
    }
}
