import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `gantry run` with the real binary and the process provider: the whole job, its exit codes, the
/// runner's cancellation signals in each phase, and the summary of a failure.
@Suite("gantry run, end to end", .serialized)
struct RunCommandTests {
    /// The phases a signal can interrupt.
    enum Phase: String, CaseIterable, Sendable { case up, gates, test }

    @Test("run --always brings every service up, gates it, runs the test with each URL, and takes it down")
    func passes() async throws {
        let fixture = try EnvironmentFixture()
        defer { fixture.expectNoStrays() }
        let result = try await fixture.gantry([
            "run", "--always", "--test",
            "env | grep -E '^(API|DB|FORKER|STUBBORN)_URL=' | sort > urls.txt; curl -sf \"$API_URL/\" > /dev/null",
        ])
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        let urls = try String(contentsOfFile: fixture.repository.path + "/urls.txt", encoding: .utf8).split(separator: "\n")
        #expect(urls.map { $0.prefix { $0 != "=" } } == ["API_URL", "DB_URL", "FORKER_URL", "STUBBORN_URL"])
        #expect(urls.allSatisfy { $0.contains("=http://127.0.0.1:") })
        for phase in ["changes", "up", "gates", "test", "down"] {
            #expect(
                result.standardOutput.contains(try Regex("(?m)^\(phase) +[0-9]+\\.[0-9]+ s +passed$")),
                "\(phase) in \(result.standardOutput)")
        }
        #expect(fixture.ledgerState() == "down")
    }

    @Test("a failing test command makes run exit 1, and the environment still goes down")
    func failingTest() async throws {
        let fixture = try EnvironmentFixture()
        defer { fixture.expectNoStrays() }
        let result = try await fixture.gantry(["run", "--always", "--test", "exit 3"])
        #expect(result.status == 1)
        #expect(result.standardOutput.contains(try Regex("(?m)^test +[0-9.]+ s +failed: exit 3$")), "\(result.standardOutput)")
        #expect(fixture.ledgerState() == "down")
    }

    @Test(
        "the test command's output goes to standard error and a log file, and its exit, duration, output and JUnit results to the summary")
    func testResultsInSummary() async throws {
        let fixture = try EnvironmentFixture()
        defer { fixture.expectNoStrays() }
        let junit =
            #"<testsuite><testcase classname="e2e" name="ok"/><testcase classname="e2e" name="a|b &lt;script&gt;x&lt;/script&gt;"><failure/></testcase></testsuite>"#
        let test =
            "for i in $(seq 1 40); do echo test line $i; done; echo 'AssertionError: boom' >&2; printf '%s' '\(junit)' > \"$GANTRY_JUNIT_XML\"; exit 1"
        let run = try await fixture.gantry(["run", "--always", "--test", test])
        #expect(run.status == 1, "\(run.standardOutput)\(run.standardError)")
        #expect(run.standardError.contains("test line 40") && run.standardError.contains("AssertionError: boom"))
        #expect(!run.standardOutput.contains("test line 40"), "standard output stays gantry's report")
        let name = try #require(fixture.ledgers().first?["name"] as? String)
        let log = fixture.state.url("environments/\(name)/test.log")
        let logged = try String(contentsOfFile: log, encoding: .utf8)
        #expect(logged.hasPrefix("test line 1\n") && logged.contains("AssertionError: boom"))
        #expect(run.standardOutput.contains("output: \(log)"), "\(run.standardOutput)")

        let file = fixture.state.url("summary.md")
        _ = try await fixture.gantry(["summary", "--summary-file", file])
        let html = try CmarkGFM.html(try String(contentsOfFile: file, encoding: .utf8))
        let section = try #require(html.firstRange(of: "<h3>Test</h3>").map { html[$0.lowerBound...] }, "no Test section in \(html)")
        #expect(section.contains("exited with 1 after"))
        #expect(section.contains(log))
        #expect(section.contains("2 tests: 1 passed, 1 failed, 0 skipped"))
        #expect(section.contains("a|b &lt;script&gt;x&lt;/script&gt;") && !section.contains("<script>"), "the name escaped")
        let output = try #require(section.firstRange(of: "Last lines of the test output").map { section[$0.lowerBound...] })
        #expect(output.contains("<code>AssertionError: boom</code>") && output.contains("<code>test line 40</code>"))
        #expect(!output.contains("<code>test line 1</code>"), "the last lines, not the whole output")
    }

    @Test("a test whose output ends mid-line: gantry ends the line, so a workflow command after it starts its own and is read")
    func testOutputWithoutFinalNewline() async throws {
        let fixture = try EnvironmentFixture()
        defer { fixture.expectNoStrays() }
        let result = try await fixture.gantry(["run", "--always", "--test", "printf 'no newline'; exit 3"])
        #expect(result.status == 1)
        #expect(result.standardError.hasSuffix("no newline\n"), "\(result.standardError)")
    }

    @Test(
        "SIGINT or SIGTERM in any phase takes everything down within the runner's window and exits 130",
        arguments: Phase.allCases, [SIGINT, SIGTERM])
    func signalled(phase: Phase, signal: Int32) async throws {
        let fixture = try EnvironmentFixture(
            dbDelay: phase == .up ? 30 : 0, apiHealth: phase == .gates ? "{http: \"${url}/never\", deadline: 60s}" : "\"${url}/\"")
        let testSession = fixture.repository.path + "/test.session"
        let gantry = try fixture.start(["run", "--always", "--test", "echo $$ > test.session; sleep 60"])
        defer {
            gantry.stop()
            let session = (try? String(contentsOfFile: testSession, encoding: .utf8)).flatMap {
                pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            fixture.expectNoStrays(extra: session.map { [$0] } ?? [])
        }
        let reached = await fixture.waitUntil {
            switch phase {
            case .up: fixture.sessions()["db"] != nil && fixture.ledgerState() == "starting"
            case .gates: fixture.ledgerState() == "up"
            case .test: FileManager.default.fileExists(atPath: testSession)
            }
        }
        try #require(reached, "gantry never reached \(phase): \(gantry.standardOutput)\(gantry.standardError)")
        // Let the phase get going: the gates their first attempts, the test command its sleep.
        try await Task.sleep(for: .milliseconds(300))
        let clock = ContinuousClock()
        let start = clock.now
        gantry.send(signal)
        let status = await gantry.wait(timeout: .seconds(10))
        let took = clock.now - start
        #expect(status == 130, "exit \(String(describing: status)) after \(took): \(gantry.standardOutput)\(gantry.standardError)")
        // The stubborn service holds teardown for the 1 s grace period; nothing else should, and it
        // must end inside the runner's window (7.5 s from the cancel to its SIGKILL) on a busy machine too.
        #expect(took < .seconds(7), "teardown took \(took)")
        #expect(fixture.ledgerState() == "down")
        #expect(gantry.standardOutput.contains(try Regex("(?m)^\(phase.rawValue) +[0-9.]+ s +cancelled$")), "\(gantry.standardOutput)")
        #expect(gantry.standardOutput.contains(try Regex("(?m)^down +[0-9.]+ s +passed$")), "\(gantry.standardOutput)")
    }

    @Test("a service that fails its gates puts the end of its log, collapsed, and every phase's duration in the summary")
    func failureInSummary() async throws {
        let broken = """
              broken:
                paths: ["broken/**"]
                working_directory: "."
                run: "for i in $(seq 1 40); do echo log line $i; done; echo 'fatal: cannot reach the database' >&2; \(EnvironmentFixture.server)"
                health: [{http: "${url}/health", deadline: 1s}]
            """
        let fixture = try EnvironmentFixture(extraServices: broken)
        defer { fixture.expectNoStrays() }
        let run = try await fixture.gantry(["run", "--always"])
        #expect(run.status == 1, "\(run.standardOutput)\(run.standardError)")
        let file = fixture.state.url("summary.md")
        let summary = try await fixture.gantry(["summary", "--summary-file", file])
        #expect(summary.status == 0, "\(summary.standardError)")
        let html = try CmarkGFM.html(try String(contentsOfFile: file, encoding: .utf8))
        let details = try #require(html.firstRange(of: "<details>").map { html[$0.lowerBound...] }, "no collapsed section in \(html)")
        #expect(details.contains("Last lines of the log of broken"))
        #expect(details.contains("<code>fatal: cannot reach the database</code>"))
        #expect(
            details.contains("<code>log line 40</code>") && !details.contains("<code>log line 1</code>"),
            "the last lines, not the whole log")
        for phase in ["changes", "up", "gates", "down"] {
            #expect(html.contains(try Regex("<td>\(phase)</td>\\s*<td>[0-9]+\\.[0-9]{2} s</td>")), "\(phase) with its duration")
        }
    }
}
