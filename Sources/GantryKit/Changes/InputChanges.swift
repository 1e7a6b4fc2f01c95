import Basics
import Config
import Dockerfile
import Git

/// Which changed paths are inputs of the services that declare `inputs: dockerfile`, judged on the
/// union of their inputs at the base and at the head, so that a file a commit stops copying counts
/// as much as one it starts copying.
struct InputChanges {
    let repository: Repository
    let comparison: Comparison

    /// Per service name, its `inputs` reasons: one per Dockerfile line whose files changed, and one
    /// each for the Dockerfile and the ignore file. Only services whose context, Dockerfile or
    /// ignore file the diff touches read their Dockerfiles.
    func reasons(
        for services: [Service], files: [FileChange], paths: [String], notes: inout [String]
    ) throws(GantryError) -> [String: [ChangeReason]] {
        var result: [String: [ChangeReason]] = [:]
        var budget = MatchBudget()
        // Each side judges only the changed paths that exist there: a build reads a file by its path.
        let sides = Self.sides(of: files)
        for service in services where service.inputsFromDockerfile {
            let candidates = paths.filter { DockerfileInputs.mayRead($0, for: service) && !service.ignore.matches($0) }
            guard !candidates.isEmpty else { continue }
            guard let base = comparison.base, !comparison.includesWorkingTree else {
                // The working tree has no tree to read the Dockerfile from as the builder would.
                notes.append(
                    "\(service.name): with --working-tree every changed file of its context counts (inputs: dockerfile reads commits)")
                result[service.name] = [
                    ChangeReason(kind: .inputs, detail: counted(candidates.count, "file") + " of its context", files: candidates)
                ]
                continue
            }
            let inputs = [
                try DockerfileInputs(service: service, repository: repository, commit: comparison.head, among: sides.head, budget: &budget),
                try DockerfileInputs(
                    service: service, repository: repository, commit: base, among: sides.base, isBase: true, budget: &budget),
            ]
            var byLine: [Int: [String]] = [:]
            var reasons: [ChangeReason] = []
            for path in candidates {
                guard let lines = inputs.lazy.compactMap({ $0.readers[path] }).first else { continue }
                if let line = lines.first {
                    byLine[line, default: []].append(path)
                } else {
                    let role = path == service.dockerfile ? "the Dockerfile" : "the ignore file"
                    reasons.append(ChangeReason(kind: .inputs, detail: "\(path), \(role)", files: [path]))
                }
            }
            for (line, files) in byLine.sorted(by: { $0.key < $1.key }) {
                let what = files.count == 1 ? files[0] : counted(files.count, "file")
                let verb =
                    inputs.lazy.compactMap { $0.plan?.steps.first { $0.line == line && $0.readsContext } }.first.map(Self.verb) ?? "read by"
                reasons.append(ChangeReason(kind: .inputs, detail: "\(what), \(verb) \(service.dockerfile):\(line)", files: files))
            }
            if !reasons.isEmpty { result[service.name] = reasons }
        }
        return result
    }

    /// The changed paths that are files at the base and at the head, read from the diff's statuses.
    private static func sides(of files: [FileChange]) -> (base: [String], head: [String]) {
        var base: [String] = []
        var head: [String] = []
        for file in files {
            let previous = file.previousPath ?? file.path
            switch file.status {
            case .added, .untracked: head.append(file.path)
            case .deleted: base.append(previous)
            case .renamed:
                base.append(previous)
                head.append(file.path)
            case .copied:
                base.append(previous)
                head += [previous, file.path]
            case .modified, .typeChanged:
                base.append(previous)
                head.append(file.path)
            }
        }
        return (base, head)
    }

    private static func verb(_ step: BuildPlan.Step) -> String {
        if step.fallback != nil { return "read (the whole context) by" }
        let instruction =
            step.instruction.hasPrefix("ONBUILD ") ? step.instruction.dropFirst("ONBUILD ".count) : Substring(step.instruction)
        if instruction.hasPrefix("ADD") { return "added by" }
        return instruction.hasPrefix("RUN") ? "mounted by" : "copied by"
    }
}
