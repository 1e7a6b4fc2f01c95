import Basics

/// What one rule gives for an event, before prefix, suffix and sanitising.
package enum RuleOutcome: Equatable {
    /// A value, and whether it would make the build `latest` under `latest=auto`.
    case value(String, automaticLatest: Bool)
    /// Nothing, and why.
    case nothing(String)
}

extension TagRule {
    /// The rule's value for `context` (§3.2 of the parity notes, plus gantry's merge queue and tree rules).
    package func outcome(in context: TagContext) -> RuleOutcome {
        let reference = context.effectiveReference
        let refText = reference.isEmpty ? "there is no ref; it" : reference
        switch kind {
        case .schedule(let pattern):
            guard context.eventName.contains("schedule") else { return .nothing("'\(context.eventName)' is not a schedule event") }
            return .value(
                pattern.render(variables: { _ in "" }, github: context.github, now: context.now, commitDate: context.commitDate),
                automaticLatest: false)
        case .semver(let settings), .pep440(let settings):
            guard context.tagName != nil || settings.value != nil else { return .nothing("\(refText) is not a tag") }
            return versionOutcome(settings, in: context)
        case .match(let pattern, let group, let value):
            guard let text = value.map(context.render) ?? context.tagName else { return .nothing("\(refText) is not a tag") }
            let groups: [String?]?
            do {
                groups = try pattern.match(in: text)
            } catch {
                return .nothing(Self.cutOff(matching: text, against: pattern))
            }
            guard let match = groups else { return .nothing("'\(text)' does not match \(pattern.source)") }
            guard group < match.count, let found = match[group] else {
                return .nothing("'\(text)' matches \(pattern.source) but has no group \(group)")
            }
            // A match always votes for latest, even on a pre-release tag.
            return .value(found, automaticLatest: true)
        case .edge(let branch):
            if context.isMergeGroup { return .nothing("edge does not apply to merge queue builds") }
            guard let name = context.branchName else { return .nothing("\(refText) is not a branch") }
            guard let wanted = branch.isEmpty ? context.defaultBranch : branch else {
                return .nothing("the default branch is not known")
            }
            guard name == wanted else { return .nothing("branch '\(name)' is not '\(wanted)'") }
            return .value("edge", automaticLatest: false)
        case .ref(.branch):
            guard let name = context.branchName else { return .nothing("\(refText) is not a branch") }
            if context.isMergeGroup, let entry = context.mergeQueueEntry {
                return .value("mq-\(entry.base)-pr-\(entry.number)", automaticLatest: false)
            }
            return .value(name, automaticLatest: false)
        case .ref(.tag):
            guard let name = context.tagName else { return .nothing("\(refText) is not a tag") }
            return .value(name, automaticLatest: true)
        case .ref(.pullRequest):
            guard let number = context.pullRequestReferenceName else { return .nothing("\(refText) is not a pull request ref") }
            return .value(number, automaticLatest: false)
        case .raw(let value):
            return .value(context.render(value), automaticLatest: false)
        case .sha(let format):
            guard !context.effectiveSHA.isEmpty else { return .nothing("there is no commit sha") }
            return .value(format == .long ? context.effectiveSHA : context.shortSHA, automaticLatest: false)
        case .tree(let format):
            guard let tree = context.treeHash, !tree.isEmpty else { return .nothing("no tree hash is known") }
            return .value(format == .long ? tree : String(tree.prefix(12)), automaticLatest: false)
        }
    }

    /// Why a rule gives nothing when its regular expression took too long on `text`.
    private static func cutOff(matching text: String, against pattern: JavaScriptRegex) -> String {
        "matching '\(text.prefix(200))' against \(pattern.source) was cut off after "
            + "\(ConfigurationLimits.matchSteps) steps; expected a shorter text or a simpler pattern"
    }

    private func versionOutcome(_ settings: VersionSettings, in context: TagContext) -> RuleOutcome {
        var text = settings.value.map(context.render) ?? context.tagName ?? ""
        if let match = settings.match {
            // No match keeps the text, as metadata-action does (with a warning).
            let matched: [String?]?
            do {
                matched = try match.match(in: text)
            } catch {
                return .nothing(Self.cutOff(matching: text, against: match))
            }
            if let groups = matched {
                guard groups.count > 1, let group = groups[1] else {
                    return .nothing("'\(text)' matches \(match.source) but its group 1 took no part")
                }
                text = group
            }
        }
        text = text.replacingOccurrences(of: "/", with: "-")
        let pattern = settings.pattern
        if type == .semver {
            guard let version = SemanticVersion(text) else { return .nothing("'\(text)' is not a semantic version") }
            let values: (TemplateVariable) -> String = { variable in
                switch variable {
                case .raw: version.raw
                case .version: version.version
                case .major: "\(version.major)"
                case .minor: "\(version.minor)"
                case .patch: "\(version.patch)"
                default: ""
                }
            }
            // A pre-release ignores the pattern (so 1, 1.2 and 1.2.3 do not move) unless it is exactly {{raw}}.
            let rendered =
                version.isPrerelease && !pattern.isSingleRaw
                ? version.version
                : pattern.render(variables: values, github: context.github, now: context.now, commitDate: context.commitDate)
            return .value(rendered, automaticLatest: !version.isPrerelease)
        }
        guard let version = PEP440Version(text) else { return .nothing("'\(text)' is not a PEP 440 version") }
        if version.isPreOrPostOrDevelopmentRelease {
            return .value(pattern.isSingleRaw ? text : version.normalized, automaticLatest: false)
        }
        let values: (TemplateVariable) -> String = { variable in
            switch variable {
            case .raw: text
            case .version: version.normalized
            case .major: version.major
            case .minor: version.minor
            case .patch: version.patch
            default: ""
            }
        }
        return .value(
            pattern.render(variables: values, github: context.github, now: context.now, commitDate: context.commitDate),
            automaticLatest: true)
    }
}
