import Basics
import Config
import Dockerfile
import Git

/// A service's inputs at one commit when it declares `inputs: dockerfile`: the context files its
/// Dockerfile reads (less what the ignore file excludes), the Dockerfile and the ignore file, all read
/// from the commit's tree, never from the working directory.
package struct DockerfileInputs: Sendable {
    /// The Dockerfile's repository path.
    package var dockerfile: String
    /// The ignore file in effect, when there is one: `<Dockerfile>.dockerignore`, else the context's.
    package var ignoreFile: String?
    /// What the Dockerfile reads, per instruction; nil when the commit has no Dockerfile.
    package var plan: BuildPlan?
    /// Which context files each instruction reads; nil when the commit has no Dockerfile.
    package var selection: ContextSelection?
    /// The ignore file's warnings.
    package var ignoreWarnings: [(line: Int, message: String)] = []
    /// Every input, by repository path: the Dockerfile lines that read it (none for the Dockerfile
    /// and the ignore file themselves).
    package var readers: [String: [Int]] = [:]
    /// The directory of the context in the repository: "" or a path ending in `/`.
    package var contextPrefix: String

    /// Reads one service's inputs at `commit`, with a budget of its own (`gantry explain`).
    package init(service: Service, repository: Repository, commit: ObjectID) throws(GantryError) {
        var budget = MatchBudget()
        try self.init(service: service, repository: repository, commit: commit, budget: &budget)
    }

    /// Reads a service's inputs at `commit`, matching within what is left of the command's `budget`.
    /// With `among`, only those repository paths (files of the commit) are judged, instead of every
    /// file of the context: whether a build reads a file depends on that file's path alone, so
    /// `changes` judges the changed paths without listing a context of the whole repository.
    ///
    /// With `isBase`, the commit is the base of a change, whose configuration comes from the head: a
    /// target stage its Dockerfile lacks (the change adds it) reads the whole context there.
    ///
    /// - Throws: `GantryError.invalidConfiguration` at the Dockerfile's or ignore file's line when
    ///   it is refused (past a limit, or what the builder would refuse); `.repository` when git fails.
    package init(
        service: Service, repository: Repository, commit: ObjectID, among paths: [String]? = nil, isBase: Bool = false,
        budget: inout MatchBudget
    ) throws(GantryError) {
        try self.init(service: service, repository: repository, commit: commit, isBase: isBase, budget: &budget) { prefix in
            paths.map { paths in
                ContextListing(
                    files: paths.filter { $0.utf8.starts(with: prefix.utf8) }.map {
                        String(decoding: $0.utf8.dropFirst(prefix.utf8.count), as: UTF8.self)
                    })
            }
        }
    }

    /// Reads a service's inputs at `commit` from the context files `listing` gives for the context's
    /// directory ("" or ending in `/`), which services with the same context may share; nil lists
    /// the context from the commit's tree.
    package init(
        service: Service, repository: Repository, commit: ObjectID, isBase: Bool = false, budget: inout MatchBudget,
        listing: (_ contextPrefix: String) throws(GantryError) -> ContextListing?
    ) throws(GantryError) {
        dockerfile = service.dockerfile
        contextPrefix = service.context == "." ? "" : service.context + "/"
        guard let text = try Self.text(of: dockerfile, in: repository, at: commit) else { return }
        readers[dockerfile] = []
        var ignore = IgnoreFile()
        for candidate in [dockerfile + ".dockerignore", contextPrefix + ".dockerignore"] {
            guard let ignoreText = try Self.text(of: candidate, in: repository, at: commit) else { continue }
            ignore = try Self.located { () throws(DockerfileError) in try IgnoreFile(text: ignoreText, file: candidate) }
            ignoreFile = candidate
            ignoreWarnings = ignore.warnings
            readers[candidate] = []
            break
        }
        let plan = try Self.located { () throws(DockerfileError) in
            try BuildPlan(
                DockerfileSyntax(text: text, file: service.dockerfile), buildArguments: service.buildArguments,
                target: service.target.map {
                    BuildPlan.Target(
                        stage: $0, setting: "services.\(service.name).target", missingAt: isBase ? commit.abbreviated : nil)
                })
        }
        let files: ContextListing
        if let given = try listing(contextPrefix) {
            files = given
        } else {
            do {
                files = ContextListing(
                    files: try repository.files(at: commit, under: contextPrefix).map {
                        String(decoding: $0.path.utf8.dropFirst(contextPrefix.utf8.count), as: UTF8.self)
                    })
            } catch {
                throw .repository("cannot list the build context \(service.context) of \(commit.abbreviated): \(error.message)")
            }
        }
        guard files.files.count <= ConfigurationLimits.Dockerfile.contextFiles else {
            throw .invalidConfiguration([
                Diagnostic(
                    "the build context \(service.context) of `\(service.name)` has \(files.files.count) files at \(commit.abbreviated), more than "
                        + "the \(ConfigurationLimits.Dockerfile.contextFiles) `inputs: dockerfile` reads; give it a narrower context",
                    at: service.location, kind: .invalidValue)
            ])
        }
        let selection = try Self.located { () throws(DockerfileError) in
            try ContextSelection(plan: plan, ignore: ignore, listing: files, budget: &budget)
        }
        for (file, lines) in selection.readers { readers[contextPrefix + file] = lines }
        self.plan = plan
        self.selection = selection
    }

    /// Whether a changed path can be one of the service's inputs at any commit: in its context, or
    /// its Dockerfile or `<Dockerfile>.dockerignore`, compared by bytes as git compares paths.
    static func mayRead(_ path: String, for service: Service) -> Bool {
        (service.context == "." || path.utf8.starts(with: (service.context + "/").utf8))
            || path.utf8.elementsEqual(service.dockerfile.utf8) || path.utf8.elementsEqual((service.dockerfile + ".dockerignore").utf8)
    }

    private static func text(of path: String, in repository: Repository, at commit: ObjectID) throws(GantryError) -> String? {
        let contents: BlobContents?
        do {
            contents = try repository.contents(at: commit, path: path, limit: ConfigurationLimits.Dockerfile.fileSize)
        } catch {
            throw .repository("cannot read \(path) of \(commit.abbreviated): \(error.message)")
        }
        switch contents {
        case .text(let text): return text
        case .tooLarge(let size):
            throw .invalidConfiguration([
                Diagnostic(
                    "the file is \(size) bytes at \(commit.abbreviated), larger than the \(ConfigurationLimits.Dockerfile.fileSize / 1024) KiB "
                        + "gantry reads; expected a smaller Dockerfile or ignore file",
                    at: SourceLocation(file: path, line: 1, column: 1), kind: .invalidValue)
            ])
        case nil: return nil
        }
    }

    private static func located<Value>(_ read: () throws(DockerfileError) -> Value) throws(GantryError) -> Value {
        do {
            return try read()
        } catch {
            throw .invalidConfiguration([Diagnostic(error.message, at: error.location, kind: .invalidValue)])
        }
    }
}
