import Foundation
import TestSupport
import Testing

/// gantry loads libcurl only when a command makes a request: the real binary run where libcurl
/// cannot be loaded, its file covered by an empty one in a private mount namespace (root only).
@Suite("libcurl loaded on first use", .enabled(if: HiddenLibcurl.isPossible))
struct LibcurlLoadingTests {
    /// Runs gantry with libcurl's file replaced by an empty one, which the loader cannot load.
    func gantryWithoutLibcurl(_ arguments: [String], in directory: String) throws -> CommandResult {
        let script = #"mount --bind /dev/null "$1" && shift && exec "$@""#
        return try runCommand(
            "unshare", ["-m", "sh", "-c", script, "sh", HiddenLibcurl.path ?? "", try gantryExecutable()] + arguments, in: directory)
    }

    @Test func commandsThatMakeNoRequestRunWithoutLibcurl() throws {
        let fixture = try GitFixture()
        try fixture.commit(files: [
            "gantry.yml": "version: 1\nservices:\n  api:\n    paths: [\"services/api/**\"]\n",
            "services/api/app.py": "1",
        ])
        let version = try gantryWithoutLibcurl(["--version"], in: fixture.path)
        #expect(version.status == 0, "\(version.standardError)")
        let validate = try gantryWithoutLibcurl(["validate"], in: fixture.path)
        #expect(validate.status == 0, "\(validate.standardError)")
        let changes = try gantryWithoutLibcurl(["changes", "--all", "--format", "json"], in: fixture.path)
        #expect(changes.status == 0, "\(changes.standardError)")
        #expect(changes.standardOutput.contains("\"api\""))
    }

    @Test func aCheckWithoutLibcurlSaysWhichPackageToInstall() throws {
        let directory = try TemporaryDirectory()
        let result = try gantryWithoutLibcurl(["gate", "--tcp", "127.0.0.1:1", "--deadline", "1s"], in: directory.path)
        #expect(result.status == 2)
        #expect(result.standardError.contains("libcurl.so.4"))
        #expect(result.standardError.contains("apt-get install libcurl4"))
    }
}

private enum HiddenLibcurl {
    static let path = ["/usr/lib/x86_64-linux-gnu/libcurl.so.4", "/usr/lib/aarch64-linux-gnu/libcurl.so.4"]
        .first { FileManager.default.fileExists(atPath: $0) }

    static let isPossible: Bool = {
        guard geteuid() == 0, let path, let result = try? runCommand("unshare", ["-m", "mount", "--bind", "/dev/null", path]) else {
            return false
        }
        return result.status == 0
    }()
}
