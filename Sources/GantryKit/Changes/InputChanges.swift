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
    func reasons(for services: [Service], paths: [String], notes: inout [String]) throws(GantryError) -> [String: [ChangeReason]] {
        var result: [String: [ChangeReason]] = [:]
        var budget = MatchBudget()
        // Each side judges only the changed paths that exist there: a build reads a file by its path.
        var existing: [ObjectID: [String]] = [:]
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
            var inputs: [DockerfileInputs] = []
            for commit in [comparison.head, base] {
                if existing[commit] == nil { existing[commit] = try Self.files(among: paths, at: commit, in: repository) }
                inputs.append(
                    try DockerfileInputs(
                        service: service, repository: repository, commit: commit, among: existing[commit], budget: &budget))
            }
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
                let verb = inputs.lazy.compactMap { $0.plan?.steps.first { $0.line == line } }.first.map(Self.verb) ?? "read by"
                reasons.append(ChangeReason(kind: .inputs, detail: "\(what), \(verb) \(service.dockerfile):\(line)", files: files))
            }
            if !reasons.isEmpty { result[service.name] = reasons }
        }
        return result
    }

    /// Those of `paths` that are files of `commit`.
    private static func files(among paths: [String], at commit: ObjectID, in repository: Repository) throws(GantryError) -> [String] {
        var files: [String] = []
        for path in paths {
            do {
                if try repository.file(at: commit, path: path) != nil { files.append(path) }
            } catch {
                throw .repository("cannot read \(path) of \(commit.abbreviated): \(error.message)")
            }
        }
        return files
    }

    private static func verb(_ step: BuildPlan.Step) -> String {
        if step.fallback != nil { return "read (the whole context) by" }
        if step.instruction.hasPrefix("ADD") { return "added by" }
        return step.instruction.hasPrefix("RUN") ? "mounted by" : "copied by"
    }
}
