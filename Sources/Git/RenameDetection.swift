internal import CGit2

/// Pairs deleted and added files into renames as `git diff -M` does: first files whose contents are
/// identical; then files that keep a name unique on both sides and stay at least 75 % similar (git's
/// basename heuristic); then the remaining pairs at least 50 % similar, best scores first. Similarity
/// is libgit2's signature score; signatures are computed only for blobs that are compared.
struct RenameDetection {
    let repository: OpaquePointer
    /// git's `diff.renameLimit`: past this many sources times destinations, only the cheap passes run.
    var limit = 1000
    /// git's default similarity threshold for `-M`.
    var threshold: Int32 = 50
    /// git's threshold for a pair found by file name: halfway between `threshold` and identical.
    var basenameThreshold: Int32 = 75

    /// The changes the deleted and added files amount to, renames paired.
    func changes(deleted: [TreeWalk.Side], added: [TreeWalk.Side]) -> [FileChange] {
        var pairing = Pairing(repository: repository, sources: deleted, destinations: added)
        pairing.pairIdenticalContents()
        pairing.pairUniqueNames(threshold: basenameThreshold)
        if pairing.remainingPairCount <= limit * limit { pairing.pairSimilarContents(threshold: threshold) }
        return pairing.changes
    }
}

/// The state of pairing: which sources and destinations are still unpaired.
private struct Pairing {
    let repository: OpaquePointer
    let sources: [TreeWalk.Side]
    let destinations: [TreeWalk.Side]
    private var sourceTaken: [Bool]
    private var destinationTaken: [Bool]
    private var renames: [FileChange] = []
    private var sourceSignatures: [Signature??]
    private var destinationSignatures: [Signature??]

    init(repository: OpaquePointer, sources: [TreeWalk.Side], destinations: [TreeWalk.Side]) {
        self.repository = repository
        self.sources = sources
        self.destinations = destinations
        // Only regular files are renamed; symlinks and submodules stay added and deleted, as in git.
        sourceTaken = sources.map { !$0.isRegularFile }
        destinationTaken = destinations.map { !$0.isRegularFile }
        sourceSignatures = Array(repeating: nil, count: sources.count)
        destinationSignatures = Array(repeating: nil, count: destinations.count)
    }

    var remainingPairCount: Int { sourceTaken.count { !$0 } * destinationTaken.count { !$0 } }

    var changes: [FileChange] {
        renames
            + sources.indices.filter { !sourceTaken[$0] || !sources[$0].isRegularFile }.map {
                FileChange(status: .deleted, path: sources[$0].path, isSubmodule: sources[$0].isSubmodule)
            }
            + destinations.indices.filter { !destinationTaken[$0] || !destinations[$0].isRegularFile }.map {
                FileChange(status: .added, path: destinations[$0].path, isSubmodule: destinations[$0].isSubmodule)
            }
    }

    /// The same blob under another path; among several candidates, the one with the same file name.
    mutating func pairIdenticalContents() {
        var sourcesByBlob: [BlobKey: [Int]] = [:]
        for index in sources.indices where !sourceTaken[index] {
            sourcesByBlob[BlobKey(sources[index].id), default: []].append(index)
        }
        guard !sourcesByBlob.isEmpty else { return }
        for destination in destinations.indices where !destinationTaken[destination] {
            guard let candidates = sourcesByBlob[BlobKey(destinations[destination].id)] else { continue }
            let available = candidates.filter { !sourceTaken[$0] }
            let name = fileName(destinations[destination].path)
            if let source = available.first(where: { fileName(sources[$0].path) == name }) ?? available.first {
                pair(source, destination)
            }
        }
    }

    /// A file name that occurs once among the remaining sources and once among the remaining
    /// destinations most likely moved: compare just that pair.
    mutating func pairUniqueNames(threshold: Int32) {
        let uniqueSources = uniqueNames(of: sources, taken: sourceTaken)
        let pairs = uniqueNames(of: destinations, taken: destinationTaken).compactMap { name, destination in
            uniqueSources[name].map { (source: $0, destination: destination) }
        }
        computeSignatures(sources: pairs.map(\.source), destinations: pairs.map(\.destination))
        for (source, destination) in pairs where similarity(source, destination) >= threshold {
            pair(source, destination)
        }
    }

    /// Every remaining pair whose sizes allow it is scored; the best scores are paired first.
    ///
    /// This is the expensive pass (git spends most of `git diff -M` here), so signatures are computed
    /// and pairs scored on every core.
    mutating func pairSimilarContents(threshold: Int32) {
        let remainingSources = sources.indices.filter { !sourceTaken[$0] }
        let remainingDestinations = destinations.indices.filter { !destinationTaken[$0] }
        guard !remainingSources.isEmpty, !remainingDestinations.isEmpty else { return }
        computeSignatures(sources: remainingSources, destinations: remainingDestinations)
        let signaturesOfSources = remainingSources.map { sourceSignatures[$0]! }
        let signaturesOfDestinations = remainingDestinations.map { destinationSignatures[$0]! }

        let found = onEveryCore(upTo: remainingDestinations.count) { worker, workers in
            var candidates: [(score: Int32, source: Int, destination: Int)] = []
            for position in stride(from: worker, to: remainingDestinations.count, by: workers) {
                guard let destination = signaturesOfDestinations[position] else { continue }
                for (offset, source) in signaturesOfSources.enumerated() {
                    guard let source, let score = source.similarity(to: destination), score >= threshold else { continue }
                    candidates.append((score, remainingSources[offset], remainingDestinations[position]))
                }
            }
            return candidates
        }
        let candidates = found.joined().sorted { first, second in
            if first.score != second.score { return first.score > second.score }
            let paths = (destinations[first.destination].path, destinations[second.destination].path)
            return paths.0 != paths.1 ? paths.0 < paths.1 : sources[first.source].path < sources[second.source].path
        }
        for candidate in candidates where !sourceTaken[candidate.source] && !destinationTaken[candidate.destination] {
            pair(candidate.source, candidate.destination)
        }
    }

    /// Fills the signature caches for these sides, reading blobs on every core. libgit2 handles must not
    /// be shared between threads, so each worker opens the repository for itself.
    private mutating func computeSignatures(sources remainingSources: [Int], destinations remainingDestinations: [Int]) {
        let missing =
            remainingSources.filter { sourceSignatures[$0] == nil }.map { (isSource: true, index: $0) }
            + remainingDestinations.filter { destinationSignatures[$0] == nil }.map { (isSource: false, index: $0) }
        guard !missing.isEmpty else { return }
        let ids = missing.map { $0.isSource ? sources[$0.index].id : destinations[$0.index].id }
        let path = String(cString: git_repository_path(repository))
        var computed = [Signature?](repeating: nil, count: ids.count)
        let results = onEveryCore(upTo: ids.count) { worker, workers in
            var handle: OpaquePointer?
            guard git_repository_open(&handle, path) == 0, let handle else { return [(Int, Signature?)]() }
            defer { git_repository_free(handle) }
            return stride(from: worker, to: ids.count, by: workers).map { ($0, Signature(repository: handle, blob: ids[$0])) }
        }
        // A worker that could not open the repository leaves its blobs unscored, never misassigned.
        for (position, signature) in results.joined() { computed[position] = signature }
        for (entry, signature) in zip(missing, computed) {
            if entry.isSource {
                sourceSignatures[entry.index] = .some(signature)
            } else {
                destinationSignatures[entry.index] = .some(signature)
            }
        }
    }

    private mutating func pair(_ source: Int, _ destination: Int) {
        sourceTaken[source] = true
        destinationTaken[destination] = true
        renames.append(FileChange(status: .renamed, path: destinations[destination].path, previousPath: sources[source].path))
    }

    /// libgit2's similarity score from 0 to 100; 0 when either blob cannot be read, or when their
    /// sizes alone rule out reaching 50 % (as git does, without reading them).
    private mutating func similarity(_ source: Int, _ destination: Int) -> Int32 {
        guard let sourceSignature = signature(of: source, among: sources, cache: &sourceSignatures),
            let destinationSignature = signature(of: destination, among: destinations, cache: &destinationSignatures)
        else { return 0 }
        return sourceSignature.similarity(to: destinationSignature) ?? 0
    }

    private func signature(of index: Int, among sides: [TreeWalk.Side], cache: inout [Signature??]) -> Signature? {
        if let cached = cache[index] { return cached }
        let computed = Signature(repository: repository, blob: sides[index].id)
        cache[index] = .some(computed)
        return computed
    }

    private func uniqueNames(of sides: [TreeWalk.Side], taken: [Bool]) -> [Substring: Int] {
        var indices: [Substring: Int] = [:]
        var repeated = Set<Substring>()
        for index in sides.indices where !taken[index] {
            let name = fileName(sides[index].path)
            if indices.updateValue(index, forKey: name) != nil { repeated.insert(name) }
        }
        for name in repeated { indices[name] = nil }
        return indices
    }

    private func fileName(_ path: String) -> Substring {
        path[(path.utf8.lastIndex(of: UInt8(ascii: "/")).map(path.utf8.index(after:)) ?? path.startIndex)...]
    }
}

/// A blob's id as a dictionary key, compared and hashed as its raw bytes: no hexadecimal text.
private struct BlobKey: Hashable {
    let id: git_oid

    init(_ id: git_oid) { self.id = id }

    static func == (first: BlobKey, second: BlobKey) -> Bool {
        withUnsafePointer(to: first.id) { one in withUnsafePointer(to: second.id) { two in git_oid_equal(one, two) != 0 } }
    }

    func hash(into hasher: inout Hasher) { withUnsafeBytes(of: id) { hasher.combine(bytes: $0) } }
}

/// A blob's similarity signature. Owns the libgit2 handle; immutable once made, and comparing only
/// reads it, so threads may compare the same signatures at once.
private final class Signature: @unchecked Sendable {
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

    /// libgit2's score from 0 to 100, or nil when the sizes alone rule out reaching 50 %, as git
    /// decides without comparing.
    func similarity(to other: Signature) -> Int32? {
        guard min(size, other.size) * 2 >= max(size, other.size) else { return nil }
        return git_hashsig_compare(handle, other.handle)
    }
}
