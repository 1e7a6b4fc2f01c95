internal import CGit2

/// An error reported by libgit2, carrying the library's own message for the failed call.
package struct GitError: Error, CustomStringConvertible, Sendable {
    /// libgit2's return code (`GIT_ENOTFOUND`, `GIT_EAMBIGUOUS`, …).
    package let code: Int32
    /// What the wrapper was doing when libgit2 failed, such as "open repository at /src".
    package let operation: String
    /// libgit2's last error message for this thread, or a generic note when it gave none.
    package let message: String

    /// libgit2's error class (`GIT_ERROR_ODB`, `GIT_ERROR_REFERENCE`, …): which part of the library failed.
    let errorClass: Int32

    /// Whether libgit2 reported that an object or reference does not exist. A history walk that hits
    /// a missing object (a shallow clone's boundary) returns a generic code with the object database's
    /// class and its "not found" message; other object database errors (a corrupt pack) do not count.
    package var isNotFound: Bool {
        code == GIT_ENOTFOUND.rawValue
            || (errorClass == Int32(GIT_ERROR_ODB.rawValue) && message.hasPrefix("object not found"))
    }

    package var description: String { "\(operation): \(message)" }

    init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
        if let last = git_error_last(), let text = last.pointee.message {
            self.message = String(cString: text)
            self.errorClass = last.pointee.klass
        } else {
            self.message = "libgit2 returned \(code)"
            self.errorClass = 0
        }
    }
}

extension GitError {
    /// How deep a tree may nest before a walk refuses it: git's own default (`core.maxTreeDepth`).
    /// Walks keep their own stack, so depth costs no thread stack; the limit bounds the memory of
    /// the paths a hostile tree could make (each level's is longer than the last).
    static let maximumTreeDepth = 4096

    /// A tree nested deeper than `maximumTreeDepth`, found at `path`.
    static func treeTooDeep(at path: String, operation: String) -> GitError {
        GitError(
            operation: operation,
            message: "the tree at \(path.count > 200 ? path.prefix(200) + "…" : path) nests more than \(maximumTreeDepth) directories deep, "
                + "more than git itself reads (core.maxTreeDepth)")
    }

    /// An error of gantry's own in reading what libgit2 gave it.
    init(operation: String, message: String) {
        self.code = -1
        self.operation = operation
        self.message = message
        self.errorClass = 0
    }
}

/// Runs a libgit2 call and turns a negative return code into a `GitError`.
@discardableResult
func check(_ operation: @autoclosure () -> String, _ code: Int32) throws(GitError) -> Int32 {
    guard code >= 0 else { throw GitError(code: code, operation: operation()) }
    return code
}

/// libgit2 must be initialised once per process before any other call; a lazy global is
/// initialised exactly once, thread-safely, on first use.
///
/// libgit2 hashes every object it reads to verify it, which git itself does not do on reads: in a
/// large diff that was an eighth of gantry's work, so gantry trusts the object database as git does.
let libraryInitialized: Bool = {
    git_libgit2_init()
    gantry_git_set_strict_hash_verification(0)
    return true
}()
