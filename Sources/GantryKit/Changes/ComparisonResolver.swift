import Basics
import Git
import GitHubActions

/// Chooses the base and head commits for an event, as DESIGN.md's "Changes" section lays out.
struct ComparisonResolver {
    let history: History
    let context: ActionsContext?
    let options: ChangeOptions

    func resolve() async throws(GantryError) -> Comparison {
        var comparison = try await chooseCommits()
        if options.includesWorkingTree {
            let checkedOut = try? history.repository.resolveCommit("HEAD")
            guard comparison.head == checkedOut else {
                throw .usage(
                    "--working-tree adds uncommitted changes to HEAD, but the head compared is \(comparison.head.abbreviated), not HEAD; drop --head or --working-tree"
                )
            }
            comparison.includesWorkingTree = true
        }
        return comparison
    }

    private func chooseCommits() async throws(GantryError) -> Comparison {
        // Without the event, only an explicit choice of commits can go on.
        if let problem = context?.payloadProblem, !options.all, options.base == nil || options.head == nil {
            throw problem
        }
        let head = try await headCommit()
        if options.all {
            return Comparison(base: nil, head: head, reason: "--all", allServicesReason: "--all was given")
        }
        if let base = options.base {
            let id = try await history.commit(base, role: "--base")
            return Comparison(base: id, head: head, reason: "--base \(base)")
        }
        guard let context else { return try await localComparison(head: head, why: nil) }
        let payload = context.payload
        switch context.eventName {
        case "pull_request", "pull_request_target":
            return try await pullRequestComparison(context: context, fallbackHead: head)
        case "merge_group":
            guard let baseSHA = payload.mergeGroup?.baseSHA, let base = ObjectID(hex: baseSHA) else {
                throw missingField("merge_group.base_sha", in: context)
            }
            return Comparison(
                base: try await require(base, role: "the merge group's base commit"), head: head,
                reason: "the merge group's base \(base.abbreviated)\(payload.mergeGroup?.baseRef.map { " on \($0)" } ?? "")")
        case "push":
            return try await pushComparison(context: context, head: head)
        default:
            return Comparison(
                base: nil, head: head, reason: "\(context.eventName) event",
                allServicesReason: "a \(context.eventName) event builds every service; pass --base to compare with a commit")
        }
    }

    /// `--head`, else the event's head commit, else HEAD.
    private func headCommit() async throws(GantryError) -> ObjectID {
        if let head = options.head { return try await history.commit(head, role: "--head") }
        if let context {
            let eventHead: String? =
                switch context.eventName {
                case "pull_request", "pull_request_target": nil  // decided with the merge commit below
                case "merge_group": context.payload.mergeGroup?.headSHA
                case "push": context.payload.deleted == true ? nil : (context.payload.after ?? context.sha)
                default: nil
                }
            if let eventHead, let id = ObjectID(hex: eventHead), !id.isZero {
                return try await require(id, role: "the \(context.eventName) event's head commit")
            }
        }
        do {
            return try history.repository.resolveCommit("HEAD")
        } catch {
            throw .repository("the repository has no commit checked out (HEAD: \(error.message)); commit something or pass --head")
        }
    }

    private func pullRequestComparison(context: ActionsContext, fallbackHead: ObjectID) async throws(GantryError) -> Comparison {
        let pullRequest = context.payload.pullRequest
        guard let baseSHA = pullRequest?.base?.sha, let base = ObjectID(hex: baseSHA) else {
            throw missingField("pull_request.base.sha", in: context)
        }
        guard let headSHA = pullRequest?.head?.sha, let prHead = ObjectID(hex: headSHA) else {
            throw missingField("pull_request.head.sha", in: context)
        }
        let baseBranch = pullRequest?.base?.ref ?? "the base branch"
        if options.head == nil, let checkedOut = try? history.repository.commit(fallbackHead) {
            let parents = checkedOut.parentIDs
            // actions/checkout checks out the merge commit GitHub made: its first parent is the base
            // branch as merged, so merge^1..merge is exactly what the pull request changes.
            if parents.count == 2, parents[1] == prHead {
                return Comparison(
                    base: try await require(parents[0], role: "the first parent of the pull request's merge commit"),
                    head: fallbackHead,
                    reason: "first parent of the pull request's merge commit \(fallbackHead.abbreviated) (\(baseBranch) as merged)")
            }
        }
        let head = options.head == nil ? try await require(prHead, role: "the pull request's head commit") : fallbackHead
        let baseCommit = try await require(base, role: "the pull request's base commit")
        let what = "the merge base of \(baseBranch) (\(base.abbreviated)) and the pull request head (\(head.abbreviated))"
        guard let mergeBase = try await history.mergeBase(of: baseCommit, and: head, describing: what) else {
            throw .repository("\(what) does not exist: the histories are unrelated")
        }
        return Comparison(base: mergeBase, head: head, reason: what)
    }

    private func pushComparison(context: ActionsContext, head: ObjectID) async throws(GantryError) -> Comparison {
        let payload = context.payload
        let ref = payload.ref ?? context.ref ?? ""
        if payload.deleted == true {
            return Comparison(base: head, head: head, reason: "the push deleted \(ref): there is nothing to build")
        }
        if ref.hasPrefix("refs/tags/") {
            return Comparison(
                base: nil, head: head, reason: "tag push \(ref)",
                allServicesReason: "a tag push (\(ref)) builds every service; pass --base to compare with a commit")
        }
        guard let before = payload.before else {
            if context.isAct {
                return try await localComparison(head: head, why: "act's push payload has no `before` (pass an event file with -e)")
            }
            throw missingField("before", in: context)
        }
        guard let beforeID = ObjectID(hex: before) else {
            throw .invalidContext(
                "the push event payload at \(context.payloadPath) has `before` \"\(before)\", which is not a 40-digit commit sha")
        }
        if beforeID.isZero {
            return try await fallbackComparison(head: head, context: context, why: "the push created \(ref)")
        }
        if await history.present(beforeID, role: "the push's `before` commit") {
            return Comparison(base: beforeID, head: head, reason: "the commit before the push (\(beforeID.abbreviated))")
        }
        if payload.forced == true {
            return try await fallbackComparison(
                head: head, context: context,
                why: "the push was forced and its previous head \(beforeID.abbreviated) is gone")
        }
        throw history.missing(beforeID, role: "the push's `before` commit")
    }

    /// For a new branch or a force push: the merge base with the default branch when the clone has
    /// it, else every service. The default branch's own first push has nothing to compare with.
    private func fallbackComparison(head: ObjectID, context: ActionsContext, why: String) async throws(GantryError) -> Comparison {
        let repository = history.repository
        let ref = context.payload.ref ?? context.ref ?? ""
        guard let branch = context.defaultBranch else {
            return Comparison(
                base: nil, head: head, reason: why,
                allServicesReason: "\(why) and the payload names no default branch, so there is nothing to compare with")
        }
        guard ref != "refs/heads/\(branch)" else {
            return Comparison(
                base: nil, head: head, reason: why,
                allServicesReason: "\(why), the default branch itself, so there is nothing to compare with")
        }
        let candidates = ["refs/remotes/origin/\(branch)", "refs/heads/\(branch)"]
        guard let (name, tip) = candidates.lazy.compactMap({ name in repository.referenceTarget(name).map { (name, $0) } }).first else {
            return Comparison(
                base: nil, head: head, reason: why,
                allServicesReason: "\(why) and the default branch \(branch) is not in the clone, so there is nothing to compare with")
        }
        let what = "the merge base with the default branch \(branch)"
        guard let base = try await history.mergeBase(of: tip, and: head, describing: what) else {
            return Comparison(
                base: nil, head: head, reason: why,
                allServicesReason: "\(why) and it shares no history with the default branch \(branch)")
        }
        return Comparison(base: base, head: head, reason: "\(why): \(what) (\(shortName(name)), \(base.abbreviated))")
    }

    /// Outside Actions: the merge base of HEAD with the default branch.
    private func localComparison(head: ObjectID, why: String?) async throws(GantryError) -> Comparison {
        let prefix = why.map { "\($0): " } ?? ""
        guard let (name, tip) = history.repository.defaultBranch else {
            return Comparison(
                base: nil, head: head, reason: "\(prefix)no default branch",
                allServicesReason: "\(prefix)no default branch to compare with (tried origin/HEAD, main, master); pass --base")
        }
        let what = "the merge base with \(shortName(name))"
        guard let base = try await history.mergeBase(of: tip, and: head, describing: what) else {
            throw .repository("HEAD and \(shortName(name)) share no history; pass --base")
        }
        return Comparison(base: base, head: head, reason: "\(prefix)\(what) (\(base.abbreviated))")
    }

    private func require(_ id: ObjectID, role: String) async throws(GantryError) -> ObjectID {
        guard await history.present(id, role: role) else { throw history.missing(id, role: role) }
        return id
    }

    private func missingField(_ field: String, in context: ActionsContext) -> GantryError {
        .invalidContext(
            "the \(context.eventName) event payload at \(context.payloadPath) has no `\(field)`; gantry needs it to choose the commits to compare"
        )
    }

    private func shortName(_ reference: String) -> String {
        for prefix in ["refs/remotes/", "refs/heads/"] where reference.hasPrefix(prefix) {
            return String(reference.dropFirst(prefix.count))
        }
        return reference
    }
}
