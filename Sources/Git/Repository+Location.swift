extension Repository {
    /// The root of the working tree around `path` (absolute), as `Repository(discoveringFrom:)`
    /// finds it; nil outside a repository and in a bare one. libgit2 is started only where reading
    /// `.git` is not enough to be sure (see `RepositoryLocation`).
    package static func workingDirectory(around path: String) -> String? {
        switch RepositoryLocation.search(from: path) {
        case .found(let location): location.workingDirectory
        case .notFound: nil
        case .undecided: (try? Repository(discoveringFrom: path))?.workingDirectory
        }
    }

    /// The commit HEAD is on in the repository around `path`; nil when there is no repository, HEAD
    /// is unborn or does not name a commit. A branch's ref is read from the files: git keeps
    /// `refs/heads/` pointing at commits, so HEAD's commit is its target.
    package static func headCommit(around path: String) -> ObjectID? {
        switch RepositoryLocation.search(from: path) {
        case .found(let location):
            switch location.head {
            case .commit(let id): id
            case .unborn: nil
            case .undecided: try? Repository(discoveringFrom: path).resolveCommit("HEAD")
            }
        case .notFound: nil
        case .undecided: try? Repository(discoveringFrom: path).resolveCommit("HEAD")
        }
    }
}
