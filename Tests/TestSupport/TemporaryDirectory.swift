import Foundation

/// A directory under the system's temporary folder, removed with everything in it on deinit.
public final class TemporaryDirectory: @unchecked Sendable {
    /// The directory's absolute path, symlinks resolved so it compares equal to what git reports.
    public let path: String

    /// Creates a fresh, empty directory.
    public init(prefix: String = "gantry-test") throws {
        let template = NSTemporaryDirectory() + "\(prefix)-XXXXXX"
        var bytes = Array(template.utf8CString)
        guard let created = mkdtemp(&bytes) else {
            throw TestFailure("mkdtemp failed for \(template)")
        }
        path = URL(fileURLWithPath: String(cString: created)).resolvingSymlinksInPath().path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The absolute path of `relativePath` inside the directory.
    public func url(_ relativePath: String) -> String { path + "/" + relativePath }
}

/// A failure of the test machinery itself (a command that could not run), not of the code under test.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
