import Foundation
import TestSupport
import Testing

@testable import Basics
@testable import GantryKit

extension GateTests {
    @Suite("TCP and command checks")
    struct TCPAndCommandProbeTests {
        @Test("a tcp check passes as soon as the port accepts a connection, and sends nothing")
        func tcpPasses() async throws {
            let log = RequestLog()
            try await withTestServer(TestServer.answering(log: log) { _ in (200, "") }) { server in
                let (result, _) = try await runCheck("{tcp: \"127.0.0.1:${port}\"}", url: server.url)
                #expect(result.verdict == .passed)
                #expect(result.name == "tcp 127.0.0.1:${port}")
                #expect(result.attempts == 1)
                #expect(result.timings != nil)
                #expect(log.count == 0, "a connection check sends no request")
            }
        }

        @Test("a tcp check of a port that starts listening in the middle of a long interval passes when it accepts")
        func tcpListeningMidInterval() async throws {
            let server = try TestServer(listeningAfter: .milliseconds(300), TestServer.answering { _ in (200, "") })
            defer { #expect(server.stop()) }
            let (result, elapsed) = try await runCheck("{tcp: \"127.0.0.1:${port}\", interval: 3s}", url: server.url)
            #expect(result.verdict == .passed)
            #expect(result.attempts == 2)
            // Before the port was watched, the second attempt came at the interval, 3 s.
            #expect(elapsed < .seconds(1))
        }

        @Test("a tcp check against a refused port fails at the deadline, saying why")
        func tcpRefused() async throws {
            let closed = try ClosedPort()
            let (result, elapsed) = try await runCheck("{tcp: \"127.0.0.1:${port}\", deadline: 1s}", url: "http://127.0.0.1:\(closed.port)")
            #expect(result.verdict == .failed)
            expectOnSchedule(elapsed, .seconds(1))
            #expect((5...6).contains(result.attempts))
            #expect(
                result.message.wholeMatch(of: #/connection to 127\.0\.0\.1:\d+ refused after \d+ attempts over 1\.[0-2] s/#) != nil,
                "\(result.message)")
        }

        @Test("a command check passes when the command exits with 0, and sees every service's URL")
        func commandPasses() async throws {
            let (result, _) = try await runCheck(
                #"{command: "test \"$API_URL\" = http://127.0.0.1:9"}"#, url: "http://127.0.0.1:9")
            #expect(result.verdict == .passed, "\(result.message)")
            #expect(result.message.hasPrefix("passed at the first attempt, in "))
            #expect(result.name == #"test "$API_URL" = http://127.0.0.1:9"#)
        }

        @Test("a command that exits with 3 fails, saying so")
        func commandFails() async throws {
            let (result, _) = try await runCheck("{command: \"exit 3\", failure_threshold: 1}", url: "http://127.0.0.1:9")
            #expect(result.verdict == .failed)
            #expect(result.message.hasPrefix("the command exited with 3 after 1 attempt over "), "\(result.message)")
        }

        @Test("a command that runs past request_timeout is killed with everything it started, and the check fails on time")
        func commandTimesOut() async throws {
            let directory = try TemporaryDirectory(prefix: "gantry-command-check")
            let command = "echo $$ > shell.pid; sleep 30 & echo $! > child.pid; sleep 30"
            let (result, elapsed) = try await runCheck(
                "{command: \"\(command)\", request_timeout: 300ms, failure_threshold: 1}", url: "http://127.0.0.1:9",
                directory: directory.path)
            #expect(result.verdict == .failed)
            #expect(result.message.hasPrefix("the command did not finish within 300 ms after 1 attempt over "), "\(result.message)")
            #expect(elapsed >= .milliseconds(300) && elapsed < .milliseconds(900), "took \(elapsed)")
            let shell = try #require(
                pid_t(
                    try String(contentsOfFile: directory.url("shell.pid"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))
            )
            #expect(FileManager.default.fileExists(atPath: directory.url("child.pid")), "the command started its background sleep")
            // The background sleep is in the shell's session, so this covers it too.
            #expect(ProcessSession(id: shell).members().isEmpty, "the command's session is gone")
        }
    }
}
