import Basics
import Foundation

/// What a Dockerfile's build reads, instruction by instruction, worked out as BuildKit's standard
/// frontend would build its target stage (the last one, unless a target is named): which context
/// paths each `COPY`, `ADD` and bind mount brings in, what comes from outside the repository, and
/// where that cannot be known before the build (the instruction then reads the whole context).
package struct BuildPlan: Sendable {
    /// One instruction that reads something, or says why it cannot be known.
    package struct Step: Sendable {
        /// The line it starts on.
        package var line: Int
        /// The instruction as written (continuations joined), shortened when long.
        package var instruction: String
        /// The context paths it reads.
        package var sources: [Source] = []
        /// Why it reads the whole context instead, when what it reads cannot be known.
        package var fallback: String?
        /// What it brings in from outside the repository: base images, URLs, other images.
        package var outside: [String] = []
        /// The stage it is in, when the target does not need that stage: it reads nothing.
        package var unbuiltStage: String?

        /// Whether the build reads context files through it.
        package var readsContext: Bool { unbuiltStage == nil && (fallback != nil || !sources.isEmpty) }
    }

    /// A `COPY`/`ADD` source or bind-mount source, relative to the context.
    package struct Source: Sendable {
        /// The path as the builder resolves it: cleaned, no leading `/`; "" is the whole context.
        package var path: String
        /// The pattern below `literalDirectory`, when the path has wildcards.
        let glob: Glob?
        /// The components before the first with a wildcard, taken as written; the whole path without one.
        let literalDirectory: String
        /// `--exclude` patterns, relative to what the source matched.
        let excludes: IgnoreFile?
        /// The Dockerfile and line it is on, for errors.
        let location: SourceLocation
    }

    /// The stage a build targets by name (`docker buildx bake`'s `target`), and the setting that
    /// names it, for errors.
    package struct Target: Sendable, Equatable {
        /// The stage's name, matched without case as BuildKit matches it.
        package var stage: String
        /// Where it is set, such as `services.api.target`.
        package var setting: String
        /// The commit to name when no stage has the target's name and the whole context is read
        /// instead of refusing: the base of a change, which the change may give the stage.
        package var missingAt: String?

        /// Creates a target; with `missingAt`, a Dockerfile without that stage reads the whole context.
        package init(stage: String, setting: String, missingAt: String? = nil) {
            self.stage = stage
            self.setting = setting
            self.missingAt = missingAt
        }
    }

    /// The Dockerfile's path, for messages.
    package var file: String
    /// The stage built: its name, or its index when it has none; nil when the Dockerfile has no
    /// stage, or its frontend is not BuildKit's standard one.
    package var builtStage: String?
    /// The instructions that read or bring in something, in file order.
    package var steps: [Step]
    /// Lines the builder reads differently from how they look: a `../` it drops.
    package var warnings: [(line: Int, message: String)]

    /// Works out the reads of a parsed Dockerfile.
    ///
    /// - Parameters:
    ///   - buildArguments: `build_args`, overriding `ARG` defaults as `--build-arg` does.
    ///   - target: the stage built, as `--target` names it; nil builds the last stage.
    /// - Throws: `DockerfileError` at an instruction the builder would refuse, or past a limit; at
    ///   the Dockerfile's first line when no stage has the target's name, as the builder refuses it,
    ///   unless the target has `missingAt`: the plan is then one step reading the whole context.
    package init(_ syntax: DockerfileSyntax, buildArguments: [String: String], target: Target? = nil) throws(DockerfileError) {
        var planner = Planner(syntax: syntax, buildArguments: buildArguments, target: target)
        if let syntaxDirective = syntax.syntax, !Self.isStandardFrontend(syntaxDirective.value) {
            steps = [
                Step(
                    line: syntaxDirective.line, instruction: "# syntax=\(syntaxDirective.value)",
                    fallback:
                        "the frontend \(syntaxDirective.value) is not BuildKit's standard Dockerfile frontend, so what it reads cannot be known"
                )
            ]
            warnings = []
        } else {
            try planner.plan()
            steps = planner.steps
            warnings = planner.warnings
            builtStage = planner.builtStage
        }
        file = syntax.file
    }

    /// Whether `# syntax=` names docker/dockerfile, whatever its tag (`1`, `1.7-labs`) or digest.
    static func isStandardFrontend(_ reference: String) -> Bool {
        var name = reference.lowercased()
        if let at = name.firstIndex(of: "@") { name = String(name[..<at]) }
        if let colon = name.lastIndex(of: ":"), !name[colon...].contains("/") { name = String(name[..<colon]) }
        for prefix in ["docker.io/", "index.docker.io/"] where name.hasPrefix(prefix) { name.removeFirst(prefix.count) }
        return name == "docker/dockerfile" || name == "docker/dockerfile-upstream"
    }
}

/// The walk over the instructions: stages, their variables, and each instruction's reads.
private struct Planner {
    struct Stage {
        var name: String?
        /// The line of its `FROM`.
        var line: Int
        var variables: [String: String?]
        var baseImageMayDefine: Bool
        /// The names `ARG` declared in this stage, which a stage built FROM it does not inherit.
        var arguments: Set<String> = []
        /// The stage it is built FROM, when that is a stage of the file.
        var base: Int?
        /// The stages its `COPY --from` and mounts name.
        var copiedStages: Set<Int> = []
        /// Its `ONBUILD` instructions, which a stage built FROM it runs first.
        var triggers: [DockerfileSyntax.Instruction] = []
        var stepIndices: [Int] = []
    }

    /// A `COPY --from` or `RUN --mount from=`, resolved once every stage is known, as BuildKit
    /// resolves it: to the last stage of that name in the whole file (an index too for `COPY`),
    /// else an image or build context.
    struct Reference {
        var name: String
        var isMount: Bool
        /// The stage it is in, and its step.
        var stage: Int
        var step: Int
        var line: Int
        /// The stage it names, once resolved.
        var resolved: Int?
    }

    /// An instruction's leading `--flag` words, the text after them, and that text's blank-separated words.
    struct Arguments {
        var flags: [String]
        var rest: String
        var words: [String]
    }

    let syntax: DockerfileSyntax
    let buildArguments: [String: String]
    let target: BuildPlan.Target?
    var builtStage: String?
    var globalArguments: [String: String?] = [:]
    var stages: [Stage] = []
    var steps: [BuildPlan.Step] = []
    var references: [Reference] = []
    var warnings: [(line: Int, message: String)] = []
    var sourceCount = 0

    init(syntax: DockerfileSyntax, buildArguments: [String: String], target: BuildPlan.Target?) {
        self.syntax = syntax
        self.buildArguments = buildArguments
        self.target = target
    }

    mutating func plan() throws(DockerfileError) {
        // BuildKit predefines TARGETSTAGE (platform.go's defaultArgs): the target as given, else the
        // last stage's name, else "default"; a build argument overrides it.
        let lastStage = syntax.instructions.last { $0.keyword == "FROM" }.map { split($0.arguments).words }
        let lastName = lastStage.flatMap { $0.count >= 3 && $0[1].lowercased() == "as" ? $0[2].lowercased() : nil }
        globalArguments["TARGETSTAGE"] = .some(buildArguments["TARGETSTAGE"] ?? target?.stage ?? lastName ?? "default")
        for instruction in syntax.instructions { try dispatch(instruction) }
        if let target, let commit = target.missingAt, !stages.contains(where: { $0.name == target.stage.lowercased() }) {
            steps = [
                BuildPlan.Step(
                    line: 1, instruction: "target: \(target.stage)",
                    fallback:
                        "the target stage `\(target.stage)` is not in the Dockerfile at \(commit), so what it read there cannot be known")
            ]
            warnings = []
            return
        }
        try resolveReferences()
        try markUnbuiltStages()
    }

    private mutating func dispatch(_ instruction: DockerfileSyntax.Instruction) throws(DockerfileError) {
        switch instruction.keyword {
        case "FROM": try from(instruction)
        case "ARG": try argument(instruction)
        case "ENV": environment(instruction)
        case "COPY", "ADD": try copy(instruction)
        case "RUN": try run(instruction)
        case "ONBUILD": try onBuild(instruction)
        default: break
        }
    }

    // MARK: Instructions

    private mutating func from(_ instruction: DockerfileSyntax.Instruction) throws(DockerfileError) {
        guard stages.count < ConfigurationLimits.Dockerfile.stages else {
            throw error("the Dockerfile has more than \(ConfigurationLimits.Dockerfile.stages) stages; expected fewer", instruction)
        }
        let expansion = WordExpansion(variables: globalArguments, escape: syntax.escape, baseImageMayDefine: false)
        let words = split(instruction.arguments).words
        guard let imageText = words.first else { throw error("FROM needs an image; expected `FROM IMAGE [AS NAME]`", instruction) }
        var name: String?
        if words.count >= 3, words[1].lowercased() == "as" { name = words[2].lowercased() }
        var stage = Stage(name: name, line: instruction.line, variables: [:], baseImageMayDefine: true)
        var step = BuildPlan.Step(line: instruction.line, instruction: summary(instruction))
        do {
            let image = try expansion.word(imageText)
            // BuildKit's `FROM` takes the latest earlier stage of that name, as written (names are
            // lowercase), and no index: `FROM 0` is an image.
            if let base = stages.lastIndex(where: { $0.name == image }) {
                stage.variables = stages[base].variables.filter { !stages[base].arguments.contains($0.key) }
                stage.baseImageMayDefine = stages[base].baseImageMayDefine
                stage.base = base
            } else if image.lowercased() == "scratch" {
                stage.baseImageMayDefine = false
            } else {
                step.outside.append("the base image \(image)")
            }
        } catch {
            step.outside.append("a base image that cannot be known before the build: it \(error.reason)")
        }
        stages.append(stage)
        append(step)
        // BuildKit runs the triggers of a stage of this file first in a stage built FROM it (not in
        // that stage's children), at this FROM; they are planned at their ONBUILD lines.
        guard let base = stage.base else { return }
        for trigger in stages[base].triggers {
            let first = steps.count
            try dispatch(trigger)
            for index in steps.indices.dropFirst(first) { steps[index].instruction = "ONBUILD " + steps[index].instruction }
        }
    }

    private mutating func onBuild(_ instruction: DockerfileSyntax.Instruction) throws(DockerfileError) {
        let text = instruction.arguments.trimmingWhitespace()
        let keyword = text.prefix { $0 != " " && $0 != "\t" }.uppercased()
        guard !["ONBUILD", "FROM", "MAINTAINER"].contains(keyword) else {
            throw error("\(keyword) isn't allowed as an ONBUILD trigger; expected an instruction such as COPY or RUN", instruction)
        }
        let trigger = DockerfileSyntax.Instruction(
            keyword: keyword, arguments: String(text.dropFirst(keyword.count).trimmingWhitespace()), line: instruction.line,
            heredocs: instruction.heredocs)
        if let stage = stages.indices.last { stages[stage].triggers.append(trigger) }
        append(
            step(
                instruction,
                outside: "an ONBUILD trigger: it runs in a stage of this file built FROM this one (planned there), or in an image "
                    + "built FROM this one outside this build"))
    }

    private mutating func argument(_ instruction: DockerfileSyntax.Instruction) throws(DockerfileError) {
        let scope = stages.isEmpty ? globalArguments : stages[stages.count - 1].variables
        let expansion = WordExpansion(variables: scope, escape: syntax.escape, baseImageMayDefine: false)
        for word in WordExpansion.unexpandedWords(instruction.arguments, escape: syntax.escape) {
            let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            var value: String?? = buildArguments[name].map { .some($0) }
            if value == nil, parts.count == 2 { value = .some(try? expansion.word(String(parts[1]))) }
            if value == nil, !stages.isEmpty { value = globalArguments[name] ?? .some(nil) }
            if stages.isEmpty {
                // A global ARG without a value keeps a predefined one, as BuildKit's buildMetaArgs does.
                globalArguments[name] = value ?? globalArguments[name] ?? .some(nil)
            } else {
                stages[stages.count - 1].variables[name] = value ?? .some(nil)
                stages[stages.count - 1].arguments.insert(name)
            }
        }
    }

    private mutating func environment(_ instruction: DockerfileSyntax.Instruction) {
        guard !stages.isEmpty else { return }
        let current = stages[stages.count - 1]
        let expansion = WordExpansion(
            variables: current.variables, escape: syntax.escape, baseImageMayDefine: current.baseImageMayDefine)
        let words = WordExpansion.unexpandedWords(instruction.arguments, escape: syntax.escape)
        // `ENV NAME value with spaces` is the legacy form, its value the rest of the line as written;
        // `ENV A=1 B=2` the current one.
        if let first = words.first, !first.contains("=") {
            let rest = instruction.arguments.trimmingWhitespace().drop { $0 != " " && $0 != "\t" }.trimmingWhitespace()
            stages[stages.count - 1].variables[first] = .some(try? expansion.word(String(rest)))
            stages[stages.count - 1].arguments.remove(first)
            return
        }
        for word in words {
            let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            stages[stages.count - 1].variables[String(parts[0])] = .some(try? expansion.word(String(parts[1])))
            stages[stages.count - 1].arguments.remove(String(parts[0]))
        }
    }

    private mutating func copy(_ instruction: DockerfileSyntax.Instruction) throws(DockerfileError) {
        var step = step(instruction)
        guard let stage = stages.indices.last else {
            throw error("\(instruction.keyword) comes before any FROM; expected FROM first", instruction)
        }
        let isAdd = instruction.keyword == "ADD"
        let expansion = WordExpansion(
            variables: stages[stage].variables, escape: syntax.escape, baseImageMayDefine: stages[stage].baseImageMayDefine)
        let known: Set<String> =
            isAdd
            ? ["chown", "chmod", "link", "exclude", "checksum", "keep-git-dir", "unpack"]
            : ["from", "chown", "chmod", "link", "parents", "exclude"]
        let parts = split(instruction.arguments)
        // BuildKit's parser refuses it in every stage, built or not: ADD has no --from in any version.
        if isAdd, parts.flags.contains(where: { Self.cut($0.utf8.dropFirst(2), at: UInt8(ascii: "=")).before == "from" }) {
            throw error(
                "ADD has no --from flag (docker: unknown flag: --from); expected `COPY --from=STAGE SOURCE… DEST` to copy from a "
                    + "stage or an image",
                instruction)
        }
        // Only these flags change what is read; `--chown=${UID}` with no UID must not cost the whole context.
        let reading: Set<String> = ["exclude", "parents"]
        var flags: [(name: String, value: String)] = []
        do {
            for word in parts.flags {
                let (name, written) = Self.cut(word.utf8.dropFirst(2), at: UInt8(ascii: "="))
                guard let written else {
                    flags.append((name, "true"))
                    continue
                }
                flags.append((name, reading.contains(name) ? try expansion.word(written) : written))
            }
        } catch {
            step.fallback = "its flags \(error.reason)"
            return append(step, in: stage)
        }
        if let unknown = flags.first(where: { !known.contains($0.name) }) {
            step.fallback =
                "has the flag --\(unknown.name), which gantry does not read (a labs-only or newer flag), so what it copies cannot be known"
            return append(step, in: stage)
        }
        if let from = flags.last(where: { $0.name == "from" })?.value {
            // BuildKit resolves `--from` before any variable is known, and refuses one that expands.
            let literal = WordExpansion(variables: [:], escape: syntax.escape, baseImageMayDefine: false)
            guard (try? literal.word(from)) == from else {
                throw error(
                    "`--from=\(from)` uses variable expansion or quotes, which the builder does not support for --from; expected a "
                        + "stage name, a stage index or an image as written (define a stage `FROM ${NAME} AS name` with a global ARG "
                        + "and copy --from that name)",
                    instruction)
            }
            references.append(Reference(name: from, isMount: false, stage: stage, step: steps.count, line: instruction.line))
            return append(step, in: stage)
        }
        let words: [String]
        do {
            words = try arguments(parts.rest, expansion: expansion)
        } catch {
            step.fallback = "it \(error.reason)"
            return append(step, in: stage)
        }
        guard words.count >= 2 else {
            throw error(
                "\(instruction.keyword) needs a source and a destination; expected `\(instruction.keyword) SOURCE… DEST`", instruction)
        }
        let isParents = flags.contains { $0.name == "parents" && $0.value != "false" }
        let excludes = flags.filter { $0.name == "exclude" }.map(\.value)
        let excludeFile = excludes.isEmpty ? nil : try IgnoreFile(excluding: excludes, file: syntax.file, line: instruction.line)
        for word in words.dropLast() {
            if word.hasPrefix("<<") { continue }  // a here-document: inline text, not a context file
            if isAdd, let remote = remoteKind(word) {
                step.outside.append("\(remote) \(word)")
                continue
            }
            try addSource(word, parents: isParents, excludes: excludeFile, to: &step, instruction)
        }
        append(step, in: stage)
    }

    private mutating func run(_ instruction: DockerfileSyntax.Instruction) throws(DockerfileError) {
        guard let stage = stages.indices.last else { return }
        var step = step(instruction)
        var hasReference = false
        let expansion = WordExpansion(
            variables: stages[stage].variables, escape: syntax.escape, baseImageMayDefine: stages[stage].baseImageMayDefine)
        for word in split(instruction.arguments).flags where word.hasPrefix("--mount=") {
            if let from = try mountSource(word, instruction) {
                references.append(Reference(name: from, isMount: true, stage: stage, step: steps.count, line: instruction.line))
                hasReference = true
                continue
            }
            var options: [String: String] = [:]
            do {
                for field in try expansion.word(String(word.dropFirst("--mount=".count))).utf8.split(separator: UInt8(ascii: ",")) {
                    let (key, value) = Self.cut(field, at: UInt8(ascii: "="))
                    options[key.lowercased()] = value ?? "true"
                }
            } catch {
                step.fallback = "its mount \(error.reason)"
                continue
            }
            // The builder refuses a field with no key (`--mount==`); the build fails, but what the
            // pull request meant to read is unknown, so it counts the whole context.
            guard options[""] == nil else {
                step.fallback = "its mount `\(word)` has a field with no key; expected `key=value` fields such as `source=DIR`"
                continue
            }
            guard (options["type"] ?? "bind") == "bind" else { continue }
            let source = options["source"] ?? options["src"] ?? ""
            guard !ContextPath.clean(source).path.isEmpty else {
                step.fallback = "it mounts the whole build context, and what its command reads there cannot be known"
                continue
            }
            try addSource(source, parents: false, excludes: nil, to: &step, instruction)
        }
        if hasReference || step.fallback != nil || !step.sources.isEmpty || !step.outside.isEmpty { append(step, in: stage) }
    }

    /// A mount's `from=`, read before expansion as BuildKit reads it: whatever its type, it makes
    /// the stage it names a dependency.
    private func mountSource(_ word: String, _ instruction: DockerfileSyntax.Instruction) throws(DockerfileError) -> String? {
        let fields = word.dropFirst("--mount=".count).split(separator: ",")
        guard let field = fields.last(where: { $0.lowercased().hasPrefix("from=") }) else { return nil }
        let from = String(field.dropFirst("from=".count))
        if let dollar = from.firstIndex(of: "$"), dollar != from.index(before: from.endIndex) {
            throw error(
                "the mount `\(word)` uses variable expansion in `from`, which the builder does not support (docker: 'from' doesn't "
                    + "support variable expansion); expected a stage name or an image as written",
                instruction)
        }
        return from
    }

    // MARK: Pieces

    private mutating func addSource(
        _ text: String, parents: Bool, excludes: IgnoreFile?, to step: inout BuildPlan.Step, _ instruction: DockerfileSyntax.Instruction
    ) throws(DockerfileError) {
        sourceCount += 1
        guard sourceCount <= ConfigurationLimits.Dockerfile.sources else {
            throw error("the Dockerfile reads more than \(ConfigurationLimits.Dockerfile.sources) sources; expected fewer", instruction)
        }
        guard text.utf8.count <= ConfigurationLimits.Dockerfile.patternLength else {
            throw error(
                "a source is \(text.utf8.count) bytes long once expanded, more than \(ConfigurationLimits.Dockerfile.patternLength); expected a shorter one",
                instruction)
        }
        // `--parents` keeps the directories before a `/./` pivot in the destination; what it reads is
        // the whole path, which cleaning gives (it drops the `.`).
        let (path, droppedParent) = ContextPath.clean(text)
        if droppedParent {
            warnings.append(
                (
                    instruction.line,
                    "the source `\(text)` climbs above the build context; the builder reads it as `\(path.isEmpty ? "." : path)`"
                ))
        }
        // As BuildKit (fsutil's splitWildcards), the components before the first with an unescaped
        // wildcard are a directory taken as written, backslashes kept as bytes of its name, and the
        // rest a `filepath.Match` pattern below it; a source without one is a path. `--parents`
        // hands its pattern to patternmatcher, where `\` always escapes, so there a backslash ends
        // the literal directory too.
        let components = ContextPath.components(of: path)
        var glob: Glob?
        var literalDirectory = path
        if let first = components.firstIndex(where: { parents ? Glob.hasWildcard($0) : Glob.hasUnescapedWildcard($0) }) {
            literalDirectory = ContextPath.joined(components[..<first])
            do {
                glob = try Glob(ContextPath.joined(components[first...]), dialect: parents ? .sourcesWithDirectories : .sources)
            } catch {
                throw self.error("the source `\(text)` \(error.message)", instruction)
            }
        }
        step.sources.append(
            BuildPlan.Source(
                path: path, glob: glob, literalDirectory: literalDirectory, excludes: excludes,
                location: SourceLocation(file: syntax.file, line: instruction.line, column: 1)))
    }

    /// The words of a `COPY`/`ADD`'s sources and destination: a JSON array, or shell words.
    private func arguments(_ text: String, expansion: WordExpansion) throws(WordExpansion.Unknown) -> [String] {
        if text.hasPrefix("["), let array = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String] {
            var words: [String] = []
            for element in array { words.append(try expansion.word(element)) }
            return words
        }
        return try expansion.words(text)
    }

    /// `text` before and after its first `separator`, found by bytes so that a combining mark after
    /// it (`--exclude=\u{301}x`) stays in the value rather than hiding the separator; nil after when absent.
    private static func cut(_ text: Substring.UTF8View, at separator: UInt8) -> (before: String, after: String?) {
        guard let index = text.firstIndex(of: separator) else { return (String(Substring(text)), nil) }
        return (String(Substring(text[..<index])), String(Substring(text[text.index(after: index)...])))
    }

    /// `text` split into its leading `--flag` words and the rest, unexpanded.
    private func split(_ text: String) -> Arguments {
        var rest = Substring(text)
        var flags: [String] = []
        while rest.hasPrefix("--") {
            let end = rest.firstIndex { $0 == " " || $0 == "\t" } ?? rest.endIndex
            flags.append(String(rest[..<end]))
            rest = rest[end...].trimmingWhitespace()
        }
        return Arguments(flags: flags, rest: String(rest), words: rest.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init))
    }

    /// "the URL" or "the git repository" for an `ADD` source from outside the context. As BuildKit's
    /// `ParseGitRef`, a git source needs a scheme or the scp form `user@host:path`: `vendor/lib.git`
    /// and `github.com/org/repo` are paths of the context, and an http(s) URL is a repository only
    /// when its path ends in `.git`.
    private func remoteKind(_ source: String) -> String? {
        let lowered = source.lowercased()
        if lowered.hasPrefix("git://") || lowered.hasPrefix("ssh://") || Self.isScpForm(lowered) { return "the git repository" }
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else { return nil }
        return lowered.prefix { $0 != "#" && $0 != "?" }.hasSuffix(".git") ? "the git repository" : "the URL"
    }

    /// `user@host:path`, as BuildKit's `sshutil.IsImplicitSSHTransport` recognizes it.
    private static func isScpForm(_ source: String) -> Bool {
        guard let at = source.firstIndex(of: "@"), let colon = source[at...].firstIndex(of: ":") else { return false }
        let user = source[..<at]
        let host = source[source.index(after: at)..<colon]
        return !user.isEmpty && !host.isEmpty && user.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
            && host.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
    }

    private func step(_ instruction: DockerfileSyntax.Instruction, outside: String? = nil) -> BuildPlan.Step {
        BuildPlan.Step(line: instruction.line, instruction: summary(instruction), outside: outside.map { [$0] } ?? [])
    }

    private func summary(_ instruction: DockerfileSyntax.Instruction) -> String {
        let text = "\(instruction.keyword) \(instruction.arguments)"
        return text.count > 120 ? String(text.prefix(119)) + "…" : text
    }

    private mutating func append(_ step: BuildPlan.Step, in stage: Int? = nil) {
        if let stage = stage ?? stages.indices.last { stages[stage].stepIndices.append(steps.count) }
        steps.append(step)
    }

    /// Resolves each `COPY --from` and mount `from=` to the last stage of that name in the whole
    /// file (`COPY` also takes an index), else to an image, and refuses a cycle among them, as
    /// BuildKit's `toCommand` and `validateCircularDependency` do.
    private mutating func resolveReferences() throws(DockerfileError) {
        for index in references.indices {
            let reference = references[index]
            var resolved = stages.lastIndex { $0.name == reference.name.lowercased() }
            if !reference.isMount, let number = Int(reference.name) {
                guard stages.indices.contains(number) else {
                    throw DockerfileError(
                        "`--from=\(reference.name)` is no stage's index (docker: invalid stage index \(number)); expected 0 to "
                            + "\(stages.count - 1), or a stage's name",
                        file: syntax.file, line: reference.line)
                }
                resolved = number
            }
            let what = reference.isMount ? "a mount of" : "files of"
            if let resolved {
                references[index].resolved = resolved
                stages[reference.stage].copiedStages.insert(resolved)
                steps[reference.step].outside.append("\(what) the stage \(stages[resolved].name ?? String(resolved)), not of the context")
            } else {
                steps[reference.step].outside.append("\(what) the image or build context \(reference.name)")
            }
        }
        try refuseCycles()
    }

    /// A stage that copies or mounts from itself, or from a stage that does so back.
    private func refuseCycles() throws(DockerfileError) {
        var state = [UInt8](repeating: 0, count: stages.count)  // 0 unseen, 1 on the path, 2 done
        for start in stages.indices where state[start] == 0 {
            var path: [(stage: Int, next: [Int])] = [(start, stages[start].copiedStages.sorted())]
            state[start] = 1
            while let last = path.indices.last {
                guard let next = path[last].next.popLast() else {
                    state[path[last].stage] = 2
                    path.removeLast()
                    continue
                }
                if state[next] == 1 {
                    let name = stages[start].name ?? "stage-\(start)"
                    throw DockerfileError(
                        "the stage \(name) depends on itself through COPY --from or a mount's from= (docker: circular dependency "
                            + "detected on stage: \(name)); expected each stage to copy from stages before it",
                        file: syntax.file, line: stages[path[last].stage].line)
                }
                if state[next] == 0 {
                    state[next] = 1
                    path.append((next, stages[next].copiedStages.sorted()))
                }
            }
        }
    }

    /// Stages the target does not reach through `FROM`, `COPY --from` or a mount are not built; a
    /// stage built that copies from a later one is refused, as BuildKit builds stages in file order.
    private mutating func markUnbuiltStages() throws(DockerfileError) {
        guard let target = try targetIndex() else { return }
        builtStage = stages[target].name ?? String(target)
        var needed: Set<Int> = [target]
        var pending = [target]
        while let stage = pending.popLast() {
            var reached = stages[stage].copiedStages
            if let base = stages[stage].base { reached.insert(base) }
            for dependency in reached where needed.insert(dependency).inserted { pending.append(dependency) }
        }
        for reference in references where needed.contains(reference.stage) {
            guard let resolved = reference.resolved, resolved > reference.stage else { continue }
            let stage = stages[reference.stage].name ?? "stage-\(reference.stage)"
            let docker =
                reference.isMount
                ? "cannot mount from stage \"\(reference.name)\" to …, stage needs to be defined before current command"
                : "cannot copy from stage \"\(reference.name)\", it needs to be defined before current stage \"\(stage)\""
            throw DockerfileError(
                "\(reference.isMount ? "a mount's from=" : "--from=")\(reference.name) names the stage of line \(stages[resolved].line), "
                    + "after the stage \(stage) that the build needs (docker: \(docker)); expected a stage defined before it",
                file: syntax.file, line: reference.line)
        }
        for (index, stage) in stages.enumerated() where !needed.contains(index) {
            for step in stage.stepIndices { steps[step].unbuiltStage = stage.name ?? String(index) }
        }
    }

    /// The stage built: the last one, or the last named as the target (BuildKit keeps the last
    /// stage of a name, and takes no index for `--target`).
    private func targetIndex() throws(DockerfileError) -> Int? {
        guard let target else { return stages.indices.last }
        if let index = stages.lastIndex(where: { $0.name == target.stage.lowercased() }) { return index }
        let names = stages.compactMap(\.name)
        let shown = names.prefix(20).joined(separator: ", ") + (names.count > 20 ? ", … (+\(names.count - 20))" : "")
        let expected =
            names.isEmpty
            ? "it names no stage; expected `FROM IMAGE AS \(target.stage.lowercased())` on the stage to build"
            : "expected one of its stages: \(shown)"
        throw DockerfileError(
            "`\(target.setting)` is \"\(target.stage)\", but no stage of the Dockerfile has that name (docker: target stage "
                + "\"\(target.stage)\" could not be found); \(expected)",
            file: syntax.file, line: 1)
    }

    private func error(_ message: String, _ instruction: DockerfileSyntax.Instruction) -> DockerfileError {
        DockerfileError(message, file: syntax.file, line: instruction.line)
    }
}
