import Basics

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

    /// Selects from `files`, the context's files relative to it.
    ///
    /// - Throws: `DockerfileError` at the source or ignore pattern whose matching passes what is
    ///   left of `budget`, which the command's other selections share.
    package init(plan: BuildPlan, ignore: IgnoreFile, files: [String], budget: inout MatchBudget) throws(DockerfileError) {
        try self.init(plan: plan, ignore: ignore, listing: ContextListing(files: files), budget: &budget)
    }

    /// Selects from the files of `listing`, which other selections of the same context may share.
    ///
    /// Each step is matched only against the files its sources' literal directories hold (all of
    /// them for a source such as `*.py` or `.`), and pays the budget for those alone.
    package init(plan: BuildPlan, ignore: IgnoreFile, listing: ContextListing, budget: inout MatchBudget) throws(DockerfileError) {
        steps = Array(repeating: StepFiles(), count: plan.steps.count)
        readers = [:]
        var exclusions: [String: IgnoreFile.Pattern?] = [:]
        for (index, step) in plan.steps.enumerated() where step.readsContext {
            for position in step.candidates(in: listing) {
                let file = listing.files[position]
                guard try step.reads(file, budget: &budget, in: plan.file) else { continue }
                let exclusion: IgnoreFile.Pattern?
                if let known = exclusions[file] {
                    exclusion = known
                } else {
                    exclusion = try ignore.exclusion(of: file, budget: &budget)
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

extension BuildPlan.Step {
    /// The positions of the files the step may read, ascending: those under its sources' literal
    /// directories, or every file when it reads the whole context or a source has none.
    fileprivate func candidates(in listing: ContextListing) -> [Int] {
        guard fallback == nil else { return Array(listing.files.indices) }
        var ranges: [Range<Int>] = []
        for source in sources {
            guard let positions = listing.positions(under: source.literalDirectory) else { return Array(listing.files.indices) }
            ranges += positions
        }
        var merged: [Range<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, range.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged.flatMap { Array($0) }
    }

    /// Whether the step reads `file`: through a source, or because it reads the whole context.
    fileprivate func reads(_ file: String, budget: inout MatchBudget, in dockerfile: String) throws(DockerfileError) -> Bool {
        // Each step and file costs a step even when no pattern runs, so steps × files is bounded too.
        do {
            try budget.spend(1)
        } catch {
            throw budget.error(at: instruction, file: dockerfile, line: line)
        }
        guard fallback == nil else { return true }
        for source in sources where try source.reads(file, budget: &budget) { return true }
        return false
    }
}

extension BuildPlan.Source {
    /// Whether the source reads `file`: the file itself, or a directory above it, matches.
    ///
    /// - Throws: `DockerfileError` at the source's line when its matching passes `budget`.
    func reads(_ file: String, budget: inout MatchBudget) throws(DockerfileError) -> Bool {
        let path = file.utf8[...]
        let matched: Substring.UTF8View?
        do {
            matched = try matchedRoot(in: path, budget: &budget)
        } catch {
            throw budget.error(at: self.path, file: location.file, line: location.line)
        }
        guard let root = matched else { return false }
        guard let excludes else { return true }
        // `--exclude` is relative to what the source names: under a directory, or a file's own name.
        let relative =
            root.isEmpty ? path : root.endIndex == path.endIndex ? ContextPath.lastComponent(of: path) : path[root.endIndex...].dropFirst()
        return try excludes.exclusion(of: String(Substring(relative)), budget: &budget) == nil
    }

    /// The prefix of `file` (itself or a directory above it) the source names, compared by bytes.
    private func matchedRoot(in file: Substring.UTF8View, budget: inout MatchBudget) throws(MatchBudget.Exhausted) -> Substring.UTF8View? {
        let directory = literalDirectory.utf8
        guard file.starts(with: directory) else { return nil }
        let afterDirectory = file.index(file.startIndex, offsetBy: directory.count)
        guard directory.isEmpty || afterDirectory == file.endIndex || file[afterDirectory] == ContextPath.separator else { return nil }
        guard let glob else { return file[..<afterDirectory] }
        // The pattern matches below the directory, as BuildKit walks it: never the directory itself.
        guard afterDirectory != file.endIndex else { return nil }
        let below = directory.isEmpty ? file : file[file.index(after: afterDirectory)...]
        for prefix in ContextPath.prefixes(of: below) where try glob.matches(prefix, budget: &budget) {
            return file[..<prefix.endIndex]
        }
        return nil
    }
}
