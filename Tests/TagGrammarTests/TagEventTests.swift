import Foundation
import Testing

@testable import TagGrammar

/// One event, some rules and a flavor, and the tags expected.
struct EventCase: Sendable, CustomTestStringConvertible {
    var name: String
    var context: TagContext
    var rules: [String] = []
    var flavor: [String] = []
    var tags: [String]
    /// Defaults to the first tag.
    var version: String?
    /// Defaults to whether the last tag is `latest`.
    var latest: Bool?
    var testDescription: String { name }
}

private let dev = Fixtures.context("push", "refs/heads/dev")
private let master = Fixtures.context("push", "refs/heads/master", sha: Fixtures.masterSHA)
private func push(_ ref: String) -> TagContext { Fixtures.context("push", ref) }
private let pullRequest = Fixtures.named("pull_request")!
private let queueBranch = "refs/heads/gh-readonly-queue/main/pr-123-" + Fixtures.masterSHA
private let mergeGroup = Fixtures.context(
    "merge_group", queueBranch, sha: Fixtures.masterSHA, mergeGroupBase: "refs/heads/main", mergeGroupHead: queueBranch)
private let semverSet = ["type=semver,pattern={{version}}", "type=semver,pattern={{major}}.{{minor}}", "type=semver,pattern={{major}}"]
private let withTree = Fixtures.context("push", "refs/heads/dev", tree: Fixtures.treeHash)

@Suite("Tags for each kind of event")
struct TagEventTests {
    static let branches: [EventCase] = [
        EventCase(name: "slashes in a branch become dashes", context: push("refs/heads/feature/login-page"), tags: ["feature-login-page"]),
        EventCase(name: "case is kept", context: push("refs/heads/Feature/UPPER"), tags: ["Feature-UPPER"]),
        EventCase(name: "'#' becomes a dash", context: push("refs/heads/fix#12"), tags: ["fix-12"]),
        EventCase(name: "non-ASCII letters become dashes", context: push("refs/heads/naïve-café"), tags: ["na-ve-caf-"]),
        // Deviation 6: gantry's sanitiser drops leading '-' and '.'; metadata-action would give "-wip".
        EventCase(name: "leading dashes are dropped (gantry sanitiser)", context: push("refs/heads/-wip"), tags: ["wip"]),
        EventCase(name: "a branch of only invalid characters gives no tag", context: push("refs/heads/###"), tags: []),
        EventCase(
            name: "latest on the default branch through is_default_branch", context: master,
            rules: ["type=ref,event=branch", "type=raw,value=latest,enable={{is_default_branch}}"], tags: ["master", "latest"],
            latest: false),
        EventCase(
            name: "is_default_branch is false elsewhere", context: dev,
            rules: ["type=ref,event=branch", "type=raw,value=latest,enable={{is_default_branch}}"], tags: ["dev"]),
        EventCase(name: "edge follows the default branch", context: master, rules: ["type=edge"], tags: ["edge"]),
        EventCase(name: "edge with another branch", context: dev, rules: ["type=edge,branch=dev"], tags: ["edge"]),
        EventCase(
            name: "{{branch}} keeps slashes until sanitising", context: push("refs/heads/a/b"), rules: ["type=raw,value=x-{{branch}}"],
            tags: ["x-a-b"]),
        // Deviation 4: no HTML escaping; Handlebars would give "fix-amp-co".
        EventCase(
            name: "no HTML escaping in templates", context: push("refs/heads/fix&co"), rules: ["type=raw,value={{branch}}"],
            tags: ["fix-co"]),
        EventCase(
            name: "triple braces are the same as double", context: dev, rules: ["type=raw,value={{{branch}}}-{{sha}}"],
            tags: ["dev-860c190"]),
        EventCase(name: "an escaped mustache is literal text", context: dev, rules: ["type=raw,value=\\{{branch}}"], tags: ["branch-"]),
        // Deviation 7: '#' inside a value is kept (v6), not a comment.
        EventCase(name: "'#' inside a value is not a comment", context: dev, rules: ["type=raw,value=foo#bar"], tags: ["foo-bar"]),
        EventCase(name: "a raw value starting with a dot loses it", context: dev, rules: ["type=raw,value=.hidden"], tags: ["hidden"]),
        EventCase(name: "a bare entry is a raw value", context: dev, rules: ["acustomtag"], tags: ["acustomtag"]),
        EventCase(name: "keys are case-insensitive", context: dev, rules: ["TYPE=raw,VALUE=Mixed"], tags: ["Mixed"]),
        EventCase(name: "a value may contain '='", context: dev, rules: ["type=raw,value=a=b"], tags: ["a-b"]),
        EventCase(name: "a quoted field may contain a comma", context: dev, rules: ["type=raw,\"value=a,b\""], tags: ["a-b"]),
        EventCase(
            name: "a longer short sha", context: Fixtures.context("push", "refs/heads/dev", shortLength: 12), rules: ["type=sha"],
            tags: ["sha-860c1904a1ce"]),
    ]

    static let tagPushes: [EventCase] = [
        EventCase(
            name: "semver release", context: push("refs/tags/v1.2.3"), rules: semverSet + ["type=sha"],
            tags: ["1.2.3", "1.2", "1", "sha-860c190", "latest"]),
        EventCase(
            name: "semver pre-release ignores the pattern and is not latest", context: push("refs/tags/v2.0.0-rc.1"),
            rules: semverSet + ["type=sha"], tags: ["2.0.0-rc.1", "sha-860c190"]),
        EventCase(
            name: "pre-release with {{raw}} keeps the raw text", context: push("refs/tags/v2.0.0-rc.1"),
            rules: ["type=semver,pattern={{ raw }}"], tags: ["v2.0.0-rc.1"]),
        EventCase(
            name: "build metadata is dropped by {{version}}", context: push("refs/tags/v1.2.3+build.7"),
            rules: ["type=semver,pattern={{version}}"], tags: ["1.2.3", "latest"]),
        EventCase(
            name: "build metadata is kept (sanitised) by {{raw}}", context: push("refs/tags/v1.2.3+build.7"),
            rules: ["type=semver,pattern={{raw}}"], tags: ["v1.2.3-build.7", "latest"]),
        EventCase(
            name: "a non-semver tag falls back to ref,event=tag", context: push("refs/tags/release-2020"),
            rules: ["type=ref,event=tag"] + semverSet, tags: ["release-2020", "latest"]),
        EventCase(
            name: "v0.x gets major 0 like any other", context: push("refs/tags/v0.4.1"), rules: Array(semverSet.dropFirst()),
            tags: ["0.4", "0", "latest"]),
        EventCase(name: "v1.2 is not strict semver", context: push("refs/tags/v1.2"), rules: semverSet, tags: []),
        EventCase(name: "a leading '=' is not strict semver either", context: push("refs/tags/=1.2.3"), rules: semverSet, tags: []),
        EventCase(
            name: "semver match= takes capture group 1", context: push("refs/tags/app/v1.2.3"),
            rules: ["type=semver,pattern={{version}},match=v(\\d+\\.\\d+\\.\\d+)$"], tags: ["1.2.3", "latest"]),
        EventCase(
            name: "semver match= without a match keeps the text", context: push("refs/tags/app/v1.2.3"),
            rules: ["type=semver,pattern={{version}},match=^x(\\d)"], tags: []),
        EventCase(
            name: "pep440 post-release", context: push("refs/tags/1.0.post2"), rules: ["type=pep440,pattern={{major}}"], tags: ["1.0.post2"]
        ),
        EventCase(
            name: "pep440 epoch", context: push("refs/tags/2!1.0"), rules: ["type=pep440,pattern={{version}}"], tags: ["2-1.0", "latest"]),
        EventCase(
            name: "pep440 local version is a release", context: push("refs/tags/1.0+Local.07"), rules: ["type=pep440,pattern={{version}}"],
            tags: ["1.0-local.7", "latest"]),
        EventCase(
            name: "pep440 '-N' is a post-release", context: push("refs/tags/1.0-1"), rules: ["type=pep440,pattern={{version}}"],
            tags: ["1.0.post1"]),
        EventCase(
            name: "pep440 is case-insensitive and normalised", context: push("refs/tags/V1.0RC1"),
            rules: ["type=pep440,pattern={{version}}"], tags: ["1.0rc1"]),
        EventCase(
            name: "pep440 alpha spelled out", context: push("refs/tags/1.0-alpha.3"), rules: ["type=pep440,pattern={{version}}"],
            tags: ["1.0a3"]),
        EventCase(
            name: "pep440 patch defaults to 0", context: push("refs/tags/v3.1"),
            rules: ["type=pep440,pattern={{major}}.{{minor}}.{{patch}}"], tags: ["3.1.0", "latest"]),
        EventCase(
            name: "match keeps slashes of the tag", context: push("refs/tags/p1/v1.0.0"), rules: ["type=match,pattern=p1/v(.*),group=1"],
            tags: ["1.0.0", "latest"]),
        EventCase(
            name: "match with the g flag indexes whole matches", context: push("refs/tags/v1.2-v3.4"),
            rules: ["type=match,pattern=/\\d\\.\\d/g,group=1"], tags: ["3.4", "latest"]),
        EventCase(
            name: "match with the i flag", context: push("refs/tags/RELEASE-7"), rules: ["type=match,pattern=/release-(\\d+)/i,group=1"],
            tags: ["7", "latest"]),
        EventCase(
            name: "a release event reads the tag", context: Fixtures.context("release", "refs/tags/v3.0.0"),
            rules: ["type=semver,pattern={{version}}"], tags: ["3.0.0", "latest"]),
        EventCase(
            name: "workflow_dispatch on a tag", context: Fixtures.context("workflow_dispatch", "refs/tags/v1.2.3"), rules: semverSet,
            tags: ["1.2.3", "1.2", "1", "latest"]),
        EventCase(name: "workflow_dispatch on a branch", context: Fixtures.context("workflow_dispatch", "refs/heads/dev"), tags: ["dev"]),
        EventCase(
            name: "create of a tag counts as the default branch", context: Fixtures.context("create", "refs/tags/v1"),
            rules: ["type=raw,value=x,enable={{is_default_branch}}"], tags: ["x"]),
    ]

    static let pullRequests: [EventCase] = [
        EventCase(name: "pull_request defaults", context: pullRequest, tags: ["pr-15"]),
        EventCase(
            name: "pull_request {{base_ref}} and empty {{branch}}", context: pullRequest,
            rules: ["type=raw,value=into-{{base_ref}}{{branch}}"], tags: ["into-master"]),
        EventCase(name: "pull_request sha is the merge commit", context: pullRequest, rules: ["type=sha"], tags: ["sha-a9c8c58"]),
        EventCase(
            name: "pull_request head sha option", context: Fixtures.named("pull_request", headSHAOption: true)!,
            rules: ["type=sha", "type=raw,value={{sha}}"], tags: ["3370e22", "sha-3370e22"]),
        EventCase(
            name: "pull_request_target is a pull request", context: Fixtures.named("pull_request_target")!,
            rules: ["type=ref,event=pr", "type=ref,event=branch", "type=sha"], tags: ["pr-15", "sha-2665741"]),
        EventCase(
            name: "pull_request_target head sha option", context: Fixtures.named("pull_request_target", headSHAOption: true)!,
            rules: ["type=sha"], tags: ["sha-3370e22"]),
        EventCase(
            name: "the pr prefix can be replaced", context: pullRequest, rules: ["type=ref,event=pr,prefix=pull-"], tags: ["pull-15"]),
    ]

    static let mergeQueues: [EventCase] = [
        EventCase(name: "merge_group default rules", context: mergeGroup, tags: ["mq-main-pr-123"]),
        EventCase(
            name: "merge_group explicit rules", context: mergeGroup,
            rules: [
                "type=edge", "type=edge,branch=main", "type=ref,event=branch", "type=raw,value=into-{{base_ref}}",
                "type=raw,value=default,enable={{is_default_branch}}", "type=sha",
            ],
            tags: ["mq-main-pr-123", "into-main", "sha-2665741"]),
        EventCase(
            name: "merge_group base branch with a slash",
            context: Fixtures.context(
                "merge_group", "refs/heads/gh-readonly-queue/release/1.x/pr-7-abc123", mergeGroupBase: "refs/heads/release/1.x"),
            tags: ["mq-release-1.x-pr-7"]),
        EventCase(
            name: "merge_group queue branch that does not parse",
            context: Fixtures.context("merge_group", "refs/heads/gh-readonly-queue/weird"), tags: ["gh-readonly-queue-weird"]),
        EventCase(
            name: "merge_group {{branch}} is the queue branch", context: mergeGroup, rules: ["type=raw,value={{branch}}"],
            tags: ["gh-readonly-queue-main-pr-123-" + Fixtures.masterSHA]),
    ]

    static let schedules: [EventCase] = [
        EventCase(name: "schedule defaults", context: Fixtures.named("schedule")!, tags: ["nightly", "master"]),
        EventCase(
            name: "schedule date format", context: Fixtures.named("schedule")!, rules: ["type=schedule,pattern={{date 'YYYY.MM.DD'}}"],
            tags: ["2020.01.10"]),
        EventCase(
            name: "schedule date in a time zone", context: Fixtures.named("schedule")!,
            rules: ["type=schedule,pattern={{date 'YYYYMMDD-HHmm' tz='America/New_York'}}"], tags: ["20200109-1930"]),
        EventCase(
            name: "schedule text around a date", context: Fixtures.named("schedule")!,
            rules: ["type=schedule,\"pattern=nightly-{{commit_date \"\"YYYYMMDD\"\"}}\""], tags: ["nightly-20200110"]),
        EventCase(name: "schedule rules do nothing on push", context: dev, rules: ["type=schedule"], tags: []),
    ]

    static let flavors: [EventCase] = [
        EventCase(name: "latest=true on a branch", context: dev, flavor: ["latest=true"], tags: ["dev", "latest"]),
        EventCase(name: "latest=false on a tag", context: push("refs/tags/v1.1.1"), flavor: ["latest=false"], tags: ["v1.1.1"]),
        EventCase(
            name: "prefix and suffix", context: push("refs/tags/v1.1.1"), flavor: ["prefix=app-,suffix=-alpine"],
            tags: ["app-v1.1.1-alpine", "latest"]),
        EventCase(
            name: "onlatest for the prefix", context: push("refs/tags/v1.1.1"), flavor: ["prefix=app-,onlatest=true"],
            tags: ["app-v1.1.1", "app-latest"], latest: true),
        EventCase(
            name: "onlatest refers to the field before it", context: push("refs/tags/v1.1.1"),
            flavor: ["prefix=p-,suffix=-s,onlatest=true"], tags: ["p-v1.1.1-s", "latest-s"], latest: true),
        EventCase(
            name: "the flavor prefix is a template", context: dev, rules: ["type=raw,value=x"], flavor: ["prefix={{branch}}-"],
            tags: ["dev-x"]),
        EventCase(
            name: "sha keeps its own prefix over the flavor's", context: dev, rules: ["type=sha"], flavor: ["prefix=glo-"],
            tags: ["sha-860c190"]),
        EventCase(
            name: "an empty rule suffix suppresses the flavor suffix", context: dev, rules: ["type=raw,value=x,suffix="],
            flavor: ["suffix=-s"], tags: ["x"]),
        EventCase(name: "later flavor entries win", context: dev, flavor: ["latest=true", "latest=false"], tags: ["dev"]),
        EventCase(
            name: "raw latest and auto latest both appear (as metadata-action)", context: push("refs/tags/v1.1.1"),
            rules: ["type=raw,value=latest", "type=semver,pattern={{version}}"], tags: ["1.1.1", "latest", "latest"]),
    ]

    static let priorities: [EventCase] = [
        EventCase(
            name: "equal priorities keep input order", context: dev, rules: ["type=raw,value=b", "type=raw,value=a"], tags: ["b", "a"]),
        EventCase(
            name: "higher priority first", context: dev, rules: ["type=raw,value=low,priority=1", "type=raw,value=high,priority=300"],
            tags: ["high", "low"]),
        EventCase(
            name: "negative priority sorts last", context: dev, rules: ["type=raw,value=last,priority=-5", "type=sha"],
            tags: ["sha-860c190", "last"]),
        EventCase(
            name: "the first value decides latest", context: push("refs/tags/v1.1.1"),
            rules: ["type=raw,value=first,priority=2000", "type=semver,pattern={{version}}"], tags: ["first", "1.1.1"]),
        EventCase(
            name: "duplicates keep the first", context: push("refs/tags/v1.0.0"), rules: semverSet + ["type=raw,value=1"],
            tags: ["1.0.0", "1.0", "1", "latest"]),
    ]

    static let trees: [EventCase] = [
        EventCase(name: "tree short", context: withTree, rules: ["type=tree"], tags: ["tree-0123456789ab"]),
        EventCase(name: "tree long", context: withTree, rules: ["type=tree,format=long"], tags: ["tree-" + Fixtures.treeHash]),
        EventCase(name: "tree own prefix", context: withTree, rules: ["type=tree,prefix=src-"], tags: ["src-0123456789ab"]),
        EventCase(
            name: "tree ignores the flavor prefix but takes its suffix", context: withTree, rules: ["type=tree"],
            flavor: ["prefix=x-,suffix=-s"], tags: ["tree-0123456789ab-s"]),
        EventCase(name: "tree disabled", context: withTree, rules: ["type=tree,enable=false"], tags: []),
        EventCase(name: "tree without a hash", context: dev, rules: ["type=tree"], tags: []),
        EventCase(
            name: "tree does not vote for latest", context: withTree, rules: ["type=tree"], flavor: ["latest=auto"],
            tags: ["tree-0123456789ab"]),
        EventCase(
            name: "tree after semver on a tag",
            context: Fixtures.context("push", "refs/tags/v1.1.1", tree: Fixtures.treeHash),
            rules: ["type=semver,pattern={{version}}", "type=tree"], tags: ["1.1.1", "tree-0123456789ab", "latest"]),
        EventCase(
            name: "tree on a pull request",
            context: Fixtures.context("pull_request", "refs/pull/3/merge", pullRequestNumber: 3, tree: Fixtures.treeHash),
            rules: ["type=ref,event=pr", "type=tree,priority=700"], tags: ["tree-0123456789ab", "pr-3"]),
    ]

    static let nothing: [EventCase] = [
        EventCase(
            name: "nothing applies", context: dev,
            rules: ["type=semver,pattern={{version}}", "type=edge,branch=main", "type=raw,value={{tag}}"], tags: [], version: ""),
        EventCase(
            name: "no ref and no sha", context: Fixtures.named("empty")!, rules: ["type=sha", "type=ref,event=branch"], tags: [],
            version: ""),
    ]

    @Test("branch pushes", arguments: branches)
    func branch(_ example: EventCase) throws { try check(example) }

    @Test("tag pushes, releases and dispatches", arguments: tagPushes)
    func tag(_ example: EventCase) throws { try check(example) }

    @Test("pull requests", arguments: pullRequests)
    func pull(_ example: EventCase) throws { try check(example) }

    @Test("merge queues (gantry deviation 5)", arguments: mergeQueues)
    func queue(_ example: EventCase) throws { try check(example) }

    @Test("schedules", arguments: schedules)
    func schedule(_ example: EventCase) throws { try check(example) }

    @Test("flavors", arguments: flavors)
    func flavor(_ example: EventCase) throws { try check(example) }

    @Test("priorities", arguments: priorities)
    func priority(_ example: EventCase) throws { try check(example) }

    @Test("type=tree (gantry only)", arguments: trees)
    func tree(_ example: EventCase) throws { try check(example) }

    @Test("when nothing is produced", arguments: nothing)
    func empty(_ example: EventCase) throws { try check(example) }

    private func check(_ example: EventCase) throws {
        let result = try evaluate(example.rules, flavor: example.flavor, in: example.context)
        #expect(result.tags == example.tags)
        #expect(result.version == (example.version ?? example.tags.first ?? ""))
        #expect(result.isLatest == (example.latest ?? (example.tags.last == "latest")))
    }

    @Test("a 200-character branch is cut to 128 characters with a hash suffix")
    func longBranch() throws {
        let long = String(repeating: "feature-", count: 25)
        let result = try evaluate([], in: push("refs/heads/" + long))
        let tag = try #require(result.tags.first)
        #expect(tag.count == 128)
        #expect(tag.hasPrefix("feature-feature-"))
        #expect(tag.suffix(9).first == "-" && tag.suffix(8).allSatisfy(\.isHexDigit))
        let other = try evaluate([], in: push("refs/heads/" + long + "x")).tags.first
        #expect(other != tag)
    }

    @Test("default rules are used when none are given")
    func defaults() throws {
        #expect(TagRuleSet(rules: []).rules == TagRuleSet.defaultRules)
        #expect(
            TagRuleSet.defaultRules.map(\.description) == [
                "type=schedule", "type=ref,event=branch", "type=ref,event=tag", "type=ref,event=pr",
            ])
    }
}
