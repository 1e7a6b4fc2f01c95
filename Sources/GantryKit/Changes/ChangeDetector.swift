import Git

/// `gantry changes`: compares two commits of a repository and decides which services changed.
public struct ChangeDetector {
    /// The validated configuration.
    public var configuration: Configuration
    /// A directory inside the repository.
    public var repositoryPath: String
    /// The Actions context; nil outside GitHub Actions.
    public var context: ActionsContext?

    /// Creates a detector.
    public init(configuration: Configuration, repositoryPath: String, context: ActionsContext?) {
        self.configuration = configuration
        self.repositoryPath = repositoryPath
        self.context = context
    }

    /// Chooses the commits, diffs them once with rename detection, and classifies every service.
    public func detect(_ options: ChangeOptions = ChangeOptions()) throws(GantryError) -> ChangeSet {
        let history = try History(directory: repositoryPath, mayFetch: options.mayFetch)
        let comparison = try ComparisonResolver(history: history, context: context, options: options).resolve()

        var files: [FileChange] = []
        do {
            if let base = comparison.base {
                files = try history.repository.changes(from: base, to: comparison.head)
            }
            if comparison.includesWorkingTree {
                files += try history.repository.workingTreeChanges(from: comparison.head)
            }
        } catch {
            throw .repository("cannot diff \(comparison.base?.abbreviated ?? "") and \(comparison.head.abbreviated): \(error.message)")
        }
        files.sort { $0.path < $1.path }

        var paths = Set<String>()
        for file in files { paths.formUnion(file.paths) }
        let services = ServiceClassifier(configuration: configuration)
            .classify(paths: paths.sorted(), allServicesReason: comparison.allServicesReason)
        return ChangeSet(comparison: comparison, files: files, services: services, notes: history.notes)
    }
}
