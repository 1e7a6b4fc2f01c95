import CGit2

/// Pairs deleted and added files into renames as `git diff -M` does: first files whose contents are
/// identical, then, among the rest, pairs at least 50 % similar by libgit2's similarity signature,
/// best scores first.
struct RenameDetection {
    let repository: OpaquePointer
    /// git's `diff.renameLimit`: past this many sources times destinations, only exact renames count.
    var limit = 1000
    /// git's default similarity threshold for `-M`.
    var threshold: Int32 = 50

    /// The changes the deleted and added files amount to, renames paired.
    func changes(deleted: [TreeWalk.Side], added: [TreeWalk.Side]) -> [FileChange] {
        var deletedLeft = Array(deleted.indices)
        var addedLeft: [Int] = []
        var renames: [FileChange] = []

        // Exact renames: the same blob under another path. Among several candidates prefer the same file name.
        var deletedByBlob: [String: [Int]] = [:]
        for index in deleted.indices where deleted[index].isRegularFile {
            deletedByBlob[ObjectID(deleted[index].id).hex, default: []].append(index)
        }
        var paired = Set<Int>()
        for index in added.indices {
            let side = added[index]
            guard side.isRegularFile, let candidates = deletedByBlob[ObjectID(side.id).hex] else {
                addedLeft.append(index)
                continue
            }
            let available = candidates.filter { !paired.contains($0) }
            guard let source = available.first(where: { fileName(deleted[$0].path) == fileName(side.path) }) ?? available.first else {
                addedLeft.append(index)
                continue
            }
            paired.insert(source)
            renames.append(FileChange(status: .renamed, path: side.path, previousPath: deleted[source].path))
        }
        deletedLeft.removeAll { paired.contains($0) }

        renames += similarRenames(deleted: deleted, deletedLeft: &deletedLeft, added: added, addedLeft: &addedLeft)
        return renames
            + deletedLeft.map { FileChange(status: .deleted, path: deleted[$0].path, isSubmodule: deleted[$0].isSubmodule) }
            + addedLeft.map { FileChange(status: .added, path: added[$0].path, isSubmodule: added[$0].isSubmodule) }
    }

    private func similarRenames(
        deleted: [TreeWalk.Side], deletedLeft: inout [Int], added: [TreeWalk.Side], addedLeft: inout [Int]
    ) -> [FileChange] {
        let sources = deletedLeft.filter { deleted[$0].isRegularFile }
        let destinations = addedLeft.filter { added[$0].isRegularFile }
        guard !sources.isEmpty, !destinations.isEmpty, sources.count * destinations.count <= limit * limit else { return [] }

        let sourceSignatures = Dictionary(uniqueKeysWithValues: sources.compactMap { index in
            Signature(repository: repository, blob: deleted[index].id).map { (index, $0) }
        })
        let destinationSignatures = Dictionary(uniqueKeysWithValues: destinations.compactMap { index in
            Signature(repository: repository, blob: added[index].id).map { (index, $0) }
        })
        var candidates: [(score: Int32, source: Int, destination: Int)] = []
        for (destination, destinationSignature) in destinationSignatures {
            for (source, sourceSignature) in sourceSignatures {
                // Sizes too far apart cannot reach the threshold: skip the comparison, as git does.
                let sizes = (sourceSignature.size, destinationSignature.size)
                guard min(sizes.0, sizes.1) * 100 >= max(sizes.0, sizes.1) * Int(threshold) else { continue }
                let score = git_hashsig_compare(sourceSignature.handle, destinationSignature.handle)
                if score >= threshold { candidates.append((score, source, destination)) }
            }
        }
        candidates.sort { first, second in
            if first.score != second.score { return first.score > second.score }
            let paths = (added[first.destination].path, added[second.destination].path)
            return paths.0 != paths.1 ? paths.0 < paths.1 : deleted[first.source].path < deleted[second.source].path
        }

        var usedSources = Set<Int>()
        var usedDestinations = Set<Int>()
        var renames: [FileChange] = []
        for candidate in candidates where !usedSources.contains(candidate.source) && !usedDestinations.contains(candidate.destination) {
            usedSources.insert(candidate.source)
            usedDestinations.insert(candidate.destination)
            renames.append(FileChange(status: .renamed, path: added[candidate.destination].path, previousPath: deleted[candidate.source].path))
        }
        deletedLeft.removeAll { usedSources.contains($0) }
        addedLeft.removeAll { usedDestinations.contains($0) }
        return renames
    }

    private func fileName(_ path: String) -> Substring {
        path.split(separator: "/").last ?? Substring(path)
    }
}

/// A blob's similarity signature. Owns the libgit2 handle.
private final class Signature {
    let handle: OpaquePointer
    let size: Int

    init?(repository: OpaquePointer, blob id: git_oid) {
        var id = id
        var blob: OpaquePointer?
        guard git_blob_lookup(&blob, repository, &id) == 0, let blob else { return nil }
        defer { git_blob_free(blob) }
        size = Int(git_blob_rawsize(blob))
        var signature: OpaquePointer?
        let options = git_hashsig_option_t(rawValue: GIT_HASHSIG_NORMAL.rawValue | GIT_HASHSIG_ALLOW_SMALL_FILES.rawValue)
        guard git_hashsig_create(&signature, git_blob_rawcontent(blob).assumingMemoryBound(to: CChar.self), size, options) == 0,
            let signature
        else { return nil }
        handle = signature
    }

    deinit { git_hashsig_free(handle) }
}
