import Foundation

/// Writes `contents` to `path` as an executable script that a test then runs directly.
///
/// The file is written by a child process, never by the test process: a file this process held
/// open for writing would be inherited by any process another test spawns at that moment, and
/// until that child execs, running the script fails with ETXTBSY ("Text file busy", exit 126).
public func writeExecutable(_ contents: String, to path: String) throws {
    let result = try runCommand("/bin/sh", ["-c", "cat > \"$1\" && chmod 755 \"$1\"", "sh", path], input: contents)
    guard result.status == 0 else { throw TestFailure("could not write \(path): \(result.standardError)") }
}
