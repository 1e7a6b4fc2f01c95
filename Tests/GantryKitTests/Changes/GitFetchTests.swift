import Foundation
import TestSupport
import Testing

@testable import GantryKit

/// `git fetch` runs as a child process in a session of its own, so a fetch that hangs is stopped
/// with everything it started, and a failed one says why in git's words.
@Suite("git fetch")
struct GitFetchTests {
    let fixture: GitFixture
    init() throws {
        fixture = try GitFixture()
        _ = try fixture.commit(files: ["README.md": "hello\n"])
    }

    @Test("a fetch from a remote that is not a repository fails in git's words")
    func failureInGitsWords() async throws {
        _ = try fixture.git("remote", "add", "origin", "file:///nonexistent/gantry-remote")
        let failure = await GitFetch(directory: fixture.path, remote: "origin").run([], refspecs: ["main"])
        let message = try #require(failure)
        #expect(message.contains("/nonexistent/gantry-remote"), "\(message)")
    }

    @Test("a fetch from a real remote succeeds")
    func success() async throws {
        let remote = try GitFixture()
        let tip = try remote.commit(files: ["a.txt": "a\n"])
        _ = try fixture.git("remote", "add", "origin", "file://\(remote.path)")
        #expect(await GitFetch(directory: fixture.path, remote: "origin").run([], refspecs: [tip]) == nil)
        #expect(try fixture.git("cat-file", "-t", tip) == "commit")
    }

    @Test("a fetch that outlives its timeout is stopped, with the transport it started")
    func timeoutStopsTheSession() async throws {
        // An ssh that never answers: it records its process id, then sleeps.
        let pidFile = fixture.path + "/.git/transport.pid"
        _ = try fixture.git("config", "core.sshCommand", "sh -c 'echo $$ > \(pidFile); exec sleep 600' --")
        _ = try fixture.git("remote", "add", "origin", "ssh://gantry.invalid/repository")
        let clock = ContinuousClock()
        let start = clock.now
        let failure = await GitFetch(directory: fixture.path, remote: "origin", timeout: .seconds(1)).run([], refspecs: ["main"])
        // Far less than the transport's ten minutes, with room for a machine busy with other suites.
        #expect(clock.now - start < .seconds(120))
        #expect(failure == "git fetch did not finish within 1.0 s")
        let pid = try #require(Int32(String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        // The transport was reparented when git died; give init a moment to reap it.
        var alive = true
        for _ in 0..<40 where alive {
            alive = kill(pid, 0) == 0
            if alive { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(!alive, "the transport \(pid) still runs")
    }
}
