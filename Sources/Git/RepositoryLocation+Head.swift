import Foundation

extension RepositoryLocation {
    /// What HEAD names, read from the files as libgit2 reads them: `.commit` for a branch's loose or
    /// packed ref or a detached HEAD, `.unborn` for a branch with no commit yet, and `.undecided` for
    /// anything else (a ref to a ref, a per-worktree ref, a malformed file), which libgit2 resolves.
    enum Head: Equatable {
        case commit(ObjectID)
        case unborn
        case undecided
    }

    var head: Head {
        guard let line = Self.firstLine(of: gitDirectory + "/HEAD") else { return .undecided }
        if let detached = ObjectID(hex: line) { return .commit(detached) }
        guard line.hasPrefix("ref: refs/heads/") else { return .undecided }
        let name = String(line.dropFirst("ref: ".count)).trimmingCharacters(in: .whitespaces)
        guard !name.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) else { return .undecided }
        if let loose = Self.firstLine(of: commonDirectory + "/" + name) {
            return ObjectID(hex: loose).map(Head.commit) ?? .undecided
        }
        return packedReference(name)
    }

    /// A ref in `packed-refs`, whose lines are `<id> <name>` (and `^<id>` peel lines, `#` headers).
    private func packedReference(_ name: String) -> Head {
        let path = commonDirectory + "/packed-refs"
        guard FileManager.default.fileExists(atPath: path) else { return .unborn }
        guard let data = FileManager.default.contents(atPath: path) else { return .undecided }
        let suffix = " " + name
        for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) where line.hasSuffix(suffix) {
            return ObjectID(hex: String(line.dropLast(suffix.count))).map(Head.commit) ?? .undecided
        }
        return .unborn
    }
}
