import Basics
import Config
import Git
import GitHubActions

/// `gantry changes`: compares two commits of a repository and decides which services changed.
package struct ChangeDetector {
    /// A directory inside the repository.
    package var repositoryPath: String
    /// The Actions context; nil outside GitHub Actions.
    package var context: ActionsContext?

    /// Creates a detector.
    package init(repositoryPath: String, context: ActionsContext?) {
        self.repositoryPath = repositoryPath
        self.context = context
    }

    /// Chooses the commits, diffs them once with rename detection, and classifies every service.
    package func detect(_ options: ChangeOptions = ChangeOptions(), configuration: Configuration) async throws(GantryError) -> ChangeSet {
        try await detect(options, loadingConfiguration: { configuration })
    }

    /// Like `detect(_:configuration:)`, reading the repository while a child task parses the
    /// configuration with `loadConfiguration`: the two are independent, and in a large monorepo each takes
    /// a good part of the run. A configuration error is reported before a repository error.
    package func detect(
        _ options: ChangeOptions = ChangeOptions(),
        loadingConfiguration loadConfiguration: @escaping @Sendable () throws(GantryError) -> Configuration
    ) async throws(GantryError) -> ChangeSet {
        async let configuration = Result { () throws(GantryError) in try loadConfiguration() }
        let read: Result<(Comparison, [FileChange], History), GantryError>
        do {
            read = .success(try await readRepository(options))
        } catch {
            read = .failure(error)
        }
        let services = ServiceClassifier(configuration: try await configuration.get())
        let (comparison, files, history) = try read.get()

        var paths = Set<String>()
        for file in files { paths.formUnion(file.paths) }
        let sortedPaths = paths.sorted()
        var notes = history.notes
        let inputs =
            comparison.allServicesReason == nil
            ? try InputChanges(repository: history.repository, comparison: comparison).reasons(
                for: services.configuration.services, files: files, paths: sortedPaths, notes: &notes) : [:]
        return ChangeSet(
            comparison: comparison, files: files,
            services: services.classify(paths: sortedPaths, allServicesReason: comparison.allServicesReason, inputs: inputs),
            notes: notes)
    }

    private func readRepository(_ options: ChangeOptions) async throws(GantryError) -> (Comparison, [FileChange], History) {
        let history = try History(directory: repositoryPath, mayFetch: options.mayFetch)
        let comparison = try await ComparisonResolver(history: history, context: context, options: options).resolve()
        var files: [FileChange] = []
        do {
            if let base = comparison.base {
                // With --working-tree the head is HEAD, so one diff from the base to the working tree
                // covers the commits and the uncommitted changes, each file once.
                files =
                    comparison.includesWorkingTree
                    ? try history.repository.workingTreeChanges(from: base).sorted { $0.path < $1.path }
                    : try history.repository.changes(from: base, to: comparison.head)
            }
        } catch {
            throw .repository(
                "cannot compare \(comparison.base?.abbreviated ?? "the empty tree") with \(comparison.head.abbreviated): \(error)")
        }
        return (comparison, files, history)
    }
}
