internal import CGit2

extension Repository {
    /// The contents of the file at `path` in a commit, or nil when there is none (or it is a directory
    /// or a submodule). A file larger than `limit` bytes is not read: its size is returned instead.
    package func contents(at commit: ObjectID, path: String, limit: Int) throws(GitError) -> BlobContents? {
        guard let file = try file(at: commit, path: path), file.mode != GIT_FILEMODE_COMMIT.rawValue else { return nil }
        var oid = file.id.raw
        var blob: OpaquePointer?
        try check("read \(path) of \(commit.abbreviated)", git_blob_lookup(&blob, handle, &oid))
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size <= limit else { return .tooLarge(size) }
        guard size > 0, let bytes = git_blob_rawcontent(blob) else { return .text("") }
        return .text(String(decoding: UnsafeRawBufferPointer(start: bytes, count: size), as: UTF8.self))
    }
}

/// A file read from a tree.
package enum BlobContents: Equatable, Sendable {
    /// Its text, invalid UTF-8 replaced.
    case text(String)
    /// It was larger than asked for: this many bytes.
    case tooLarge(Int)
}
