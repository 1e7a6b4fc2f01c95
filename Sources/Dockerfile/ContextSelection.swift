/// Which files of a build context a build reads: those some step of the plan reads, less what the
/// ignore file keeps from the builder.
package struct ContextSelection: Sendable {
    /// What one step of the plan reads.
    package struct StepFiles: Sendable {
        /// The files it reads, in path order.
        package var read: [String] = []
        /// The files it would read that the ignore file excludes, with the excluding line.
        package var ignored: [(path: String, line: Int)] = []
    }

    /// Per step of the plan, in the plan's order.
    package var steps: [StepFiles]
    /// Every file read, with the lines of the steps that read it.
    package var readers: [String: [Int]]

    /// Selects from `files`, the context's files relative to it, in path order.
    package init(plan: BuildPlan, ignore: IgnoreFile, files: [String]) {
        steps = Array(repeating: StepFiles(), count: plan.steps.count)
        readers = [:]
        var exclusions: [String: IgnoreFile.Pattern?] = [:]
        for (index, step) in plan.steps.enumerated() where step.readsContext {
            for file in files where step.fallback != nil || step.sources.contains(where: { $0.reads(file) }) {
                let exclusion: IgnoreFile.Pattern?
                if let known = exclusions[file] {
                    exclusion = known
                } else {
                    exclusion = ignore.exclusion(of: file)
                    exclusions[file] = .some(exclusion)
                }
                if let exclusion {
                    steps[index].ignored.append((file, exclusion.line))
                } else {
                    steps[index].read.append(file)
                    readers[file, default: []].append(step.line)
                }
            }
        }
    }
}

extension BuildPlan.Source {
    /// Whether the source reads `file`: the file itself, or a directory above it, matches.
    func reads(_ file: String) -> Bool {
        guard let root = matchedRoot(in: file) else { return false }
        guard let excludes else { return true }
        let relative = root.count == file.count ? String(file.split(separator: "/").last ?? "") : String(file.dropFirst(root.count + 1))
        return excludes.exclusion(of: relative) == nil
    }

    /// The prefix of `file` (itself or a directory above it) the source names.
    private func matchedRoot(in file: String) -> Substring? {
        guard literalDirectory.isEmpty || file == literalDirectory || file.hasPrefix(literalDirectory + "/") else { return nil }
        guard let glob else { return path.isEmpty ? "" : file.prefix(path.count) }
        return ContextPath.prefixes(of: file).first(where: glob.matches)
    }
}
