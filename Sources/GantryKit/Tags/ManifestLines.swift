import Git

/// Files in the order an input manifest lists them (by path's bytes, each path once), with their lines
/// rendered: `mode id path` and a newline each. Services that share a selection of files (a context
/// of the whole repository, less the same ignore patterns) share one, so its lines are sorted and
/// rendered once per commit instead of once per service.
struct ManifestLines {
    /// The files, sorted by path, no path twice.
    let files: [TreeFile]
    /// Every file's line, in order.
    let bytes: [UInt8]
    /// Where each file's line ends in `bytes`.
    let ends: [Int]

    /// Sorts `files` by path and keeps each path once.
    init(sorting files: some Sequence<TreeFile>) {
        var distinct: [TreeFile] = []
        for file in files.sorted(by: { Self.precedes($0.path, $1.path) })
        where distinct.last.map({ !$0.path.utf8.elementsEqual(file.path.utf8) }) ?? true {
            distinct.append(file)
        }
        var bytes: [UInt8] = []
        var ends: [Int] = []
        ends.reserveCapacity(distinct.count)
        for file in distinct {
            bytes += "\(String(file.mode, radix: 8)) \(file.id.hex) \(file.path)\n".utf8
            ends.append(bytes.count)
        }
        self.files = distinct
        self.bytes = bytes
        self.ends = ends
    }

    /// Appends to `manifest` the lines of these files and of `others` together, as
    /// `ManifestLines(sorting:)` of all of them would render them: `others` (usually few) are spliced
    /// in between runs of these lines.
    func append(mergedWith others: [TreeFile], to manifest: inout [UInt8]) {
        let extra = ManifestLines(sorting: others)
        manifest.reserveCapacity(manifest.count + bytes.count + extra.bytes.count)
        var copied = 0
        for (index, file) in extra.files.enumerated() {
            let position = insertionIndex(of: file.path)
            guard position == files.count || !files[position].path.utf8.elementsEqual(file.path.utf8) else { continue }
            let end = position == 0 ? 0 : ends[position - 1]
            manifest += bytes[copied..<end]
            manifest += extra.bytes[(index == 0 ? 0 : extra.ends[index - 1])..<extra.ends[index]]
            copied = end
        }
        manifest += bytes[copied...]
    }

    /// The position of the first file whose path is not before `path`.
    private func insertionIndex(of path: String) -> Int {
        var low = 0
        var high = files.count
        while low < high {
            let middle = (low + high) / 2
            if Self.precedes(files[middle].path, path) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Paths in git's order, by their bytes: Swift's `<` and `==` compare canonical equivalents,
    /// and would take two paths git keeps apart (`é` composed and decomposed) for one.
    private static func precedes(_ first: String, _ second: String) -> Bool {
        first.utf8.lexicographicallyPrecedes(second.utf8)
    }
}
