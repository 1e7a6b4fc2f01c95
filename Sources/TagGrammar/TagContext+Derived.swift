import Basics
import Foundation

/// The facts the rules are evaluated against, derived the way metadata-action derives them.
extension TagContext {
    /// The ref the rules see: pull_request_target events are treated as the pull request
    /// (`refs/pull/N/merge`), not as the base branch GitHub reports.
    package var effectiveReference: String {
        if eventName.contains("pull_request_target"), let number = pullRequestNumber { return "refs/pull/\(number)/merge" }
        return ref
    }

    /// The commit the tags describe: the pull request's head with `usesPullRequestHeadSHA`, else `sha`.
    package var effectiveSHA: String {
        if usesPullRequestHeadSHA, eventName.contains("pull_request"), let head = pullRequestHeadSHA { return head }
        return sha
    }

    package var isMergeGroup: Bool { eventName == "merge_group" }

    package var branchName: String? { effectiveReference.droppingPrefix("refs/heads/") }
    package var tagName: String? { effectiveReference.droppingPrefix("refs/tags/") }

    /// `refs/pull/15/merge` → `15`.
    package var pullRequestReferenceName: String? {
        guard let rest = effectiveReference.droppingPrefix("refs/pull/") else { return nil }
        return rest.hasSuffix("/merge") ? String(rest.dropLast("/merge".count)) : rest
    }

    /// The first `shortSHALength` characters of the effective sha.
    package var shortSHA: String { String(effectiveSHA.prefix(max(0, shortSHALength))) }

    /// `{{base_ref}}`.
    package var baseReferenceName: String {
        if isMergeGroup { return mergeGroupBaseRef.map { $0.droppingPrefix("refs/heads/") ?? $0 } ?? "" }
        if tagName != nil, let baseRef { return baseRef.droppingPrefix("refs/heads/") ?? baseRef }
        if pullRequestReferenceName != nil, let pullRequestBaseRef { return pullRequestBaseRef }
        return ""
    }

    /// `{{is_default_branch}}`: the ref (minus `refs/heads/`) equals the payload's default branch, or the event
    /// always runs on the default branch (create, discussion, issues, schedule). Never for a merge queue build.
    package var isDefaultBranch: Bool {
        if isMergeGroup { return false }
        let name = effectiveReference.droppingPrefix("refs/heads/") ?? effectiveReference
        guard !name.isEmpty else { return false }
        if defaultBranch == name { return true }
        return ["create", "discussion", "issues", "schedule"].contains { eventName.contains($0) }
    }

    /// A merge queue branch `gh-readonly-queue/<base>/pr-<N>-<sha>` as `(base, N)`.
    package var mergeQueueEntry: (base: String, number: String)? {
        let reference = mergeGroupHeadRef ?? effectiveReference
        let branch = reference.droppingPrefix("refs/heads/") ?? reference
        guard let rest = branch.droppingPrefix("gh-readonly-queue/"),
            let marker = rest.range(of: "/pr-", options: .backwards)
        else { return nil }
        let base = String(rest[..<marker.lowerBound])
        let tail = rest[marker.upperBound...]
        let number = tail.prefix { $0.isASCIIDigit }
        let sha = tail.dropFirst(number.count)
        guard !base.isEmpty, !number.isEmpty, sha.first == "-", sha.count > 1,
            sha.dropFirst().allSatisfy(\.isHexDigit)
        else { return nil }
        return (base, String(number))
    }

    /// The `github` context of `${{ }}` expressions, as the runner fills it: the event, ref and sha
    /// the rules see, with `runValues`; outside Actions, `event` holds the default branch only.
    package var github: JSONValue {
        var members = runValues
        members["event_name"] = .string(eventName)
        members["ref"] = .string(ref)
        members["sha"] = .string(sha)
        let tag = ref.droppingPrefix("refs/tags/")
        members["ref_name"] = .string(ref.droppingPrefix("refs/heads/") ?? tag ?? ref.droppingPrefix("refs/pull/") ?? ref)
        members["ref_type"] = ref.isEmpty ? .null : .string(tag == nil ? "branch" : "tag")
        if members["base_ref"] == nil { members["base_ref"] = .string(pullRequestBaseRef ?? "") }
        if members["event"] == nil, let defaultBranch {
            members["event"] = .object(["repository": .object(["default_branch": .string(defaultBranch)])])
        }
        return .object(members)
    }

    /// The value of a global template name.
    package func value(of variable: TemplateVariable) -> String {
        switch variable {
        case .branch: branchName ?? ""
        case .tag: tagName ?? ""
        case .sha: shortSHA
        case .baseReference: baseReferenceName
        case .isDefaultBranch: isDefaultBranch ? "true" : "false"
        case .isNotDefaultBranch: isDefaultBranch ? "false" : "true"
        case .raw, .version, .major, .minor, .patch: ""
        }
    }

    /// Renders a global template in this context.
    package func render(_ template: TagTemplate) -> String {
        template.render(variables: value(of:), github: github, now: now, commitDate: commitDate)
    }
}

extension String {
    /// The rest after `prefix`, or nil when the string does not start with it. Compares Unicode scalars,
    /// as JavaScript's regexes do, so a combining mark after the prefix does not hide it.
    package func droppingPrefix(_ prefix: String) -> String? {
        guard unicodeScalars.starts(with: prefix.unicodeScalars) else { return nil }
        return String(String.UnicodeScalarView(unicodeScalars.dropFirst(prefix.unicodeScalars.count)))
    }
}
