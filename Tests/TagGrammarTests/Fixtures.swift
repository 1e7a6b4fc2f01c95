import Foundation

@testable import TagGrammar

/// The event fixtures of metadata-action's tests (§10): now = commit date = 2020-01-10T00:30:00Z, default
/// branch master.
enum Fixtures {
    static let instant = Date(timeIntervalSince1970: 1_578_616_200)
    static let devSHA = "860c1904a1ce19322e91ac35af1ab07466440c37"
    static let masterSHA = "266574110acf203503badf966df2ea24b5d732d7"
    static let invalidCharactersSHA = "983315b5e8d46e46fc4c49869e85e7ee5fb289ba"
    static let pullRequestMergeSHA = "a9c8c5828b91be19d9728548b24759e352367ef1"
    static let pullRequestHeadSHA = "3370e228f2209994d57af4427fe64e71bb79ac96"
    static let treeHash = "0123456789abcdef0123456789abcdef01234567"

    /// A context like the fixtures': default branch master, fixed times.
    static func context(
        _ event: String, _ ref: String, sha: String = devSHA, pullRequestNumber: Int? = nil,
        headSHA: String? = nil, pullRequestBase: String? = nil, baseRef: String? = nil,
        mergeGroupBase: String? = nil, mergeGroupHead: String? = nil, headSHAOption: Bool = false,
        shortLength: Int = 7, tree: String? = nil
    ) -> TagContext {
        TagContext(
            eventName: event, ref: ref, sha: sha, pullRequestNumber: pullRequestNumber, pullRequestHeadSHA: headSHA,
            pullRequestBaseRef: pullRequestBase, baseRef: baseRef, defaultBranch: "master",
            mergeGroupBaseRef: mergeGroupBase, mergeGroupHeadRef: mergeGroupHead, commitDate: instant, now: instant,
            usesPullRequestHeadSHA: headSHAOption, shortSHALength: shortLength, treeHash: tree)
    }

    /// The named fixture of metadata-action's test suite.
    static func named(_ name: String, headSHAOption: Bool = false) -> TagContext? {
        switch name {
        case "empty": return context("", "", sha: "")
        case "push_dev": return context("push", "refs/heads/dev")
        case "push_master": return context("push", "refs/heads/master", sha: masterSHA)
        case "push_invalidchars": return context("push", "refs/heads/my/feature#1245", sha: invalidCharactersSHA)
        case "workflow_dispatch": return context("workflow_dispatch", "refs/heads/master")
        case "schedule": return context("schedule", "refs/heads/master")
        case "pull_request":
            return context(
                "pull_request", "refs/pull/15/merge", sha: pullRequestMergeSHA, pullRequestNumber: 15,
                headSHA: pullRequestHeadSHA, pullRequestBase: "master", headSHAOption: headSHAOption)
        case "pull_request_target":
            return context(
                "pull_request_target", "refs/heads/master", sha: masterSHA, pullRequestNumber: 15,
                headSHA: pullRequestHeadSHA, pullRequestBase: "master", headSHAOption: headSHAOption)
        case "release_created": return context("release", "refs/tags/v1.1.1")
        case "tag_v1.1.1": return context("push", "refs/tags/v1.1.1", baseRef: "refs/heads/master")
        default:
            guard let tag = name.droppingPrefix("tag_") else { return nil }
            return context("push", "refs/tags/" + tag)
        }
    }
}

extension String {
    func droppingPrefix(_ prefix: String) -> String? { hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil }
}

/// Evaluates rule texts with a flavor, failing the test on a parse error.
func evaluate(_ rules: [String], flavor: [String] = [], in context: TagContext) throws -> TagEvaluation {
    let parsed = try rules.map { text in try TagRule(parsing: text) }
    return try TagRuleSet(rules: parsed, flavor: try Flavor(parsing: flavor)).evaluate(in: context)
}
