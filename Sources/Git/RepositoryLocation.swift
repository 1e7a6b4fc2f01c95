import Foundation

/// Where a repository is, found as `git_repository_open_ext` finds it but without starting libgit2,
/// whose global init alone costs more than a command that only needs the root (it parses the CA
/// bundle for a network it never uses here).
///
/// The walk covers what a checkout looks like: a `.git` directory, or a `.git` file naming a linked
/// worktree's git directory. Whatever libgit2 would decide from more than that (a bare repository,
/// `core.worktree`, `core.bare`, includes, extensions, a file owned by another user, a
/// filesystem boundary) is `undecided`, and the caller asks libgit2.
struct RepositoryLocation: Equatable {
    /// The working tree's root, without a trailing slash.
    var workingDirectory: String
    /// The repository's own git directory: `HEAD` is there.
    var gitDirectory: String
    /// Where the shared objects, refs and config are: the git directory, or a linked worktree's main one.
    var commonDirectory: String

    enum Search: Equatable {
        case found(RepositoryLocation)
        case notFound
        case undecided
    }

    /// Walks up from `path` (absolute) as libgit2 does: `dir/.git`, then `dir` itself, then the parent's.
    static func search(from path: String) -> Search {
        guard path.hasPrefix("/") else { return .undecided }
        var directory = (path as NSString).standardizingPath
        var device: dev_t?
        // A path has fewer components than it has characters: that bounds the walk.
        for _ in 0...directory.utf8.count {
            for candidate in [directory == "/" ? "/.git" : directory + "/.git", directory] {
                guard let status = FileStatus(candidate) else { continue }
                if device == nil { device = status.device }
                guard status.device == device else { return .undecided }
                if status.isDirectory, isRepository(candidate) {
                    return candidate == directory ? .undecided : located(gitDirectory: candidate, in: directory)
                }
                if status.isRegularFile, candidate != directory {
                    return linkedWorktree(gitFile: candidate, in: directory)
                }
            }
            guard directory != "/" else { return .notFound }
            directory = (directory as NSString).deletingLastPathComponent
        }
        return .undecided
    }

    private static func located(gitDirectory: String, in directory: String) -> Search {
        guard !FileStatus.isFile(gitDirectory + "/commondir"), isPlain(configuration: gitDirectory + "/config"),
            FileStatus.areOwnedByCurrentUser([directory, gitDirectory])
        else { return .undecided }
        return .found(RepositoryLocation(workingDirectory: directory, gitDirectory: gitDirectory, commonDirectory: gitDirectory))
    }

    /// A `.git` file (`gitdir: PATH`) as `git worktree add` writes it; the git directory's `gitdir`
    /// file names the `.git` file back, and libgit2 takes the working tree from there.
    private static func linkedWorktree(gitFile: String, in directory: String) -> Search {
        guard let link = firstLine(of: gitFile), link.hasPrefix("gitdir:") else { return .undecided }
        let gitDirectory = absolute(String(link.dropFirst("gitdir:".count)).trimmingCharacters(in: .whitespaces), from: directory)
        guard let common = firstLine(of: gitDirectory + "/commondir"), let back = firstLine(of: gitDirectory + "/gitdir"),
            absolute(back, from: gitDirectory) == gitFile
        else { return .undecided }
        let commonDirectory = absolute(common, from: gitDirectory)
        guard FileStatus.isFile(gitDirectory + "/HEAD"), isDirectory(commonDirectory + "/objects"), isDirectory(commonDirectory + "/refs"),
            isPlain(configuration: commonDirectory + "/config"),
            FileStatus.areOwnedByCurrentUser([directory, gitFile, gitDirectory, commonDirectory])
        else { return .undecided }
        return .found(RepositoryLocation(workingDirectory: directory, gitDirectory: gitDirectory, commonDirectory: commonDirectory))
    }

    /// libgit2's test for a git directory: `HEAD`, `objects/` and `refs/`.
    private static func isRepository(_ path: String) -> Bool {
        FileStatus.isFile(path + "/HEAD") && isDirectory(path + "/objects") && isDirectory(path + "/refs")
    }

    /// Whether a repository's config leaves the working tree where its `.git` is: no `core.worktree`,
    /// no `core.bare` other than false, no include that could set either, no extension, format 0 or 1.
    private static func isPlain(configuration path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path), data.count <= 1 << 20 else { return false }
        for line in String(decoding: data, as: UTF8.self).lowercased().split(whereSeparator: \.isNewline) {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.contains("worktree") || text.contains("include") || text.contains("extensions") { return false }
            let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            switch parts.first {
            case "bare": if parts.count != 2 || !["false", "no", "off", "0"].contains(parts[1]) { return false }
            case "repositoryformatversion": if parts.count != 2 || !["0", "1"].contains(parts[1]) { return false }
            default: continue
            }
        }
        return true
    }

    private static func isDirectory(_ path: String) -> Bool { FileStatus(path)?.isDirectory == true }

    static func firstLine(of path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path), data.count <= 4096 else { return nil }
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init)
    }

    private static func absolute(_ path: String, from directory: String) -> String {
        ((path.hasPrefix("/") ? path : directory + "/" + path) as NSString).standardizingPath
    }
}

/// One `stat`: what the walk compares.
private struct FileStatus {
    var device: dev_t
    var owner: uid_t
    var isDirectory: Bool
    var isRegularFile: Bool

    init?(_ path: String) {
        var buffer = stat()
        guard stat(path, &buffer) == 0 else { return nil }
        device = buffer.st_dev
        owner = buffer.st_uid
        isDirectory = buffer.st_mode & S_IFMT == S_IFDIR
        isRegularFile = buffer.st_mode & S_IFMT == S_IFREG
    }

    static func isFile(_ path: String) -> Bool { FileStatus(path)?.isRegularFile == true }

    /// libgit2 also accepts root's files for root and sudo's caller's; those cases are left to it.
    static func areOwnedByCurrentUser(_ paths: [String]) -> Bool {
        let user = geteuid()
        return paths.allSatisfy { FileStatus($0)?.owner == user }
    }
}
