import Basics
import Foundation
import Git
import GitHubActions
import TagGrammar

/// The event as the tag rules see it, and the commit the images are built from.
package struct TagEvent {
    /// What the rules read.
    package var context: TagContext
    /// The commit whose files the images contain, and whose contents `type=tree` hashes.
    package var commit: ObjectID
    /// The event in a few words, for messages: "push of refs/heads/main".
    package var summary: String

    /// Reads the event from the Actions context, or outside Actions makes it the push of the
    /// checked-out branch (detached: of no branch), which is what a preview wants to see.
    package static func resolve(
        actions: ActionsContext?, repository: Repository, options: TagOptions, now: Date
    ) throws(GantryError) -> TagEvent {
        let commit: ObjectID
        var context: TagContext
        if let actions {
            if let problem = actions.payloadProblem { throw problem }
            guard let sha = actions.sha, let id = ObjectID(hex: sha) else {
                throw .invalidContext("GITHUB_SHA is not set to a commit id: gantry tags needs the commit the workflow runs on")
            }
            commit = id
            let payload = actions.payload
            context = TagContext(
                eventName: actions.eventName, ref: options.ref ?? actions.ref ?? payload.ref ?? "", sha: sha,
                commitDate: try commitDate(of: id, in: repository), now: now)
            context.pullRequestNumber = payload.number ?? payload.pullRequest?.number
            context.pullRequestHeadSHA = payload.pullRequest?.head?.sha
            context.pullRequestBaseRef = payload.pullRequest?.base?.ref
            context.baseRef = payload.baseRef
            context.defaultBranch = payload.repository?.defaultBranch
            context.mergeGroupBaseRef = payload.mergeGroup?.baseRef
            context.mergeGroupHeadRef = payload.mergeGroup?.headRef
            context.runValues = runValues(of: actions)
            if options.usesPullRequestHeadSHA, let head = context.pullRequestHeadSHA, let headID = ObjectID(hex: head),
                repository.contains(headID)
            {
                // The head commit is in the clone only with fetch-depth 2 or more; else the merge
                // commit's time stands in, as metadata-action's "now" does when it finds no date.
                context.commitDate = try commitDate(of: headID, in: repository)
            }
        } else {
            do {
                commit = try repository.resolveCommit("HEAD")
            } catch {
                throw .repository("cannot read HEAD: \(error.message); gantry tags needs a commit to tag")
            }
            context = TagContext(
                eventName: "push", ref: options.ref ?? repository.currentBranch.map { "refs/heads/\($0)" } ?? "",
                sha: commit.hex, commitDate: try commitDate(of: commit, in: repository), now: now)
            context.defaultBranch = repository.defaultBranch.map { branchName(of: $0.reference) }
        }
        context.usesPullRequestHeadSHA = options.usesPullRequestHeadSHA
        context.shortSHALength = options.shortSHALength
        let on = context.ref.isEmpty ? "no ref (detached HEAD)" : context.ref
        return TagEvent(context: context, commit: commit, summary: "\(context.eventName) of \(on)")
    }

    /// The `github` context values a run adds for `${{ }}` expressions: the runner's variables and
    /// the whole event payload, as in a workflow.
    private static func runValues(of actions: ActionsContext) -> [String: JSONValue] {
        var values: [String: JSONValue] = [:]
        let event = FileManager.default.contents(atPath: actions.payloadPath).flatMap(JSONValue.init(parsing:)) ?? .object([:])
        values["event"] = event
        let pullRequest = event.member(.name("pull_request"))
        values["head_ref"] = .string(pullRequest.member(.name("head")).member(.name("ref")).text)
        values["base_ref"] = .string(pullRequest.member(.name("base")).member(.name("ref")).text)
        for (name, value) in [
            ("repository", actions.repository), ("repository_owner", actions.repository?.split(separator: "/").first.map(String.init)),
            ("run_id", actions.runID), ("run_number", actions.runNumber), ("run_attempt", actions.runAttempt), ("job", actions.job),
        ] {
            values[name] = value.map(JSONValue.string) ?? .null
        }
        return values
    }

    /// `main` of `refs/heads/main` or `refs/remotes/origin/main`.
    private static func branchName(of reference: String) -> String {
        if reference.hasPrefix("refs/heads/") { return String(reference.dropFirst("refs/heads/".count)) }
        return reference.split(separator: "/", maxSplits: 3).dropFirst(3).first.map(String.init) ?? reference
    }

    private static func commitDate(of id: ObjectID, in repository: Repository) throws(GantryError) -> Date {
        do {
            return Date(timeIntervalSince1970: TimeInterval(try repository.commit(id).committedAt))
        } catch {
            throw .repository("cannot read commit \(id.abbreviated): \(error.message); check out the commit the workflow runs on")
        }
    }
}
