import Foundation
import TestSupport
import Testing

@testable import Basics
@testable import GantryKit

extension GateTests {
    @Suite("Timing: intervals, back-off, deadlines and thresholds, as Kubernetes probes count them")
    struct ProberTests {
        @Test("a port that refuses connections and starts listening after 1 s: passes within an interval of it, after several attempts")
        func refusedThenAccepted() async throws {
            let server = try TestServer(listeningAfter: .seconds(1), TestServer.answering { _ in (200, "ready") })
            defer { #expect(server.stop()) }
            let start = ContinuousClock.now
            let (result, elapsed) = try await runCheck("\"${url}/ready\"", url: server.url)
            let listening = try #require(server.startedListening)
            #expect(result.verdict == .passed)
            #expect(result.attempts > 1)
            #expect((5...7).contains(result.attempts), "one attempt every 200 ms, got \(result.attempts)")
            let ready = try #require(result.timeToReady)
            #expect(ready >= 1.0 && ready <= 1.3, "ready at 1 s, seen at \(ready) s")
            // Seen within one interval (and a little scheduling) of the moment the port opened.
            #expect(ContinuousClock.now - listening < .milliseconds(300))
            #expect(elapsed < .milliseconds(1400) && listening - start >= .milliseconds(950))
            #expect(result.message.hasPrefix("passed after \(result.attempts) attempts, in 1."))
        }

        @Test("a port that starts listening in the middle of a long interval is seen when it accepts, with no extra request")
        func listeningMidInterval() async throws {
            let log = RequestLog()
            let server = try TestServer(listeningAfter: .milliseconds(300), TestServer.answering(log: log) { _ in (200, "ready") })
            defer { #expect(server.stop()) }
            let (result, elapsed) = try await runCheck("{http: \"${url}/ready\", interval: 3s}", url: server.url)
            let listening = try #require(server.startedListening)
            #expect(result.verdict == .passed)
            #expect(result.attempts == 2)
            #expect(log.count == 1, "the refused attempt sent no request, the second one request")
            // Before the port was watched, the second attempt came at the interval, 3 s.
            #expect(elapsed < .seconds(1))
            #expect(ContinuousClock.now - listening < .milliseconds(500))
        }

        @Test("success_threshold: passes only after that many passes in a row; a failure in between starts the count again")
        func successThreshold() async throws {
            let answers = [200, 503, 200, 200]
            try await withTestServer(TestServer.answering { number in (answers[min(number, answers.count) - 1], "") }) { server in
                let (result, _) = try await runCheck("{http: \"${url}/\", success_threshold: 2}", url: server.url)
                #expect(result.verdict == .passed)
                #expect(result.attempts == 4)
                let ready = try #require(result.timeToReady)
                #expect(ready >= 0.6 && ready < 0.9, "three intervals, got \(ready) s")
            }
        }

        @Test("success_threshold never reached before the deadline: fails, saying how far it got")
        func successThresholdNotReached() async throws {
            try await withTestServer(TestServer.answering { number in (number % 2 == 1 ? 200 : 503, "") }) { server in
                let (result, elapsed) = try await runCheck(
                    "{http: \"${url}/\", success_threshold: 2, interval: 150ms, deadline: 1s}", url: server.url)
                #expect(result.verdict == .failed)
                expectOnSchedule(elapsed, .seconds(1))
                // Attempts at 0, 0.15, … 0.9 s: seven, the last a pass.
                #expect(result.attempts == 7)
                #expect(result.message == "passed 1 of the 2 times in a row it must before the deadline (1.0 s)")
            }
        }

        @Test("failure_threshold: fails after that many failures in a row, long before the deadline")
        func failureThreshold() async throws {
            try await withTestServer(TestServer.answering { _ in (503, "down") }) { server in
                let (result, elapsed) = try await runCheck("{http: \"${url}/\", failure_threshold: 3, deadline: 30s}", url: server.url)
                #expect(result.verdict == .failed)
                #expect(result.attempts == 3)
                #expect(elapsed >= .milliseconds(400) && elapsed < .milliseconds(700), "two 200 ms intervals, took \(elapsed)")
                #expect(
                    result.message.hasPrefix("expected a 2xx or 3xx status, got 503 (3 failures in a row) after 3 attempts over "),
                    "\(result.message)")
                #expect(result.message.hasSuffix("; last body: down"))
            }
        }

        @Test("attempts: fails after that many attempts, long before the deadline, and says so")
        func attemptsUsedUp() async throws {
            let log = RequestLog()
            try await withTestServer(TestServer.answering(log: log) { _ in (503, "down") }) { server in
                let (result, elapsed) = try await runCheck(
                    "{http: \"${url}/\", attempts: 3, interval: 100ms, deadline: 30s}", url: server.url)
                #expect(result.verdict == .failed)
                #expect(result.attempts == 3)
                #expect(log.count == 3)
                #expect(
                    elapsed >= .milliseconds(200) && elapsed < .milliseconds(450),
                    "two 100 ms intervals and no wait after the last, took \(elapsed)")
                #expect(
                    result.message.hasPrefix("expected a 2xx or 3xx status, got 503 (attempts: 3) after 3 attempts over "),
                    "\(result.message)")
            }
        }

        @Test("an attempt the deadline cut short keeps the cause the attempt before it found: a TLS failure, not a timeout")
        func cutShortAttemptKeepsTheRealCause() async throws {
            let log = RequestLog()
            // The first connection answers the TLS handshake with plain HTTP, a TLS failure at once; the
            // second never answers, so that attempt, started with 0.8 s left, ends at the deadline.
            try await withTestServer({ connection in
                if log.arrived() == 1 {
                    connection.send("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                } else {
                    connection.waitUntilClosed()
                }
            }) { server in
                let (result, elapsed) = try await runCheck(
                    "{http: \"${url}/\", deadline: 1s, interval: 200ms}", url: "https://127.0.0.1:\(server.port)")
                #expect(result.verdict == .failed)
                expectOnSchedule(elapsed, .seconds(1))
                #expect(result.attempts == 2)
                #expect(result.message.hasPrefix("TLS with 127.0.0.1:\(server.port) failed: "), "\(result.message)")
                #expect(result.message.contains(" after 2 attempts over 1."), "\(result.message)")
                #expect(
                    result.message.wholeMatch(
                        of:
                            #/.*; the last attempt had \d+ ms left before the deadline: TLS handshake with 127\.0\.0\.1:\d+ not complete within \d+ ms/#
                    )
                        != nil, "\(result.message)")
            }
        }

        @Test("interval with max_interval: the wait doubles after each failure, up to the maximum")
        func backOff() async throws {
            let log = RequestLog()
            try await withTestServer(TestServer.answering(log: log) { _ in (503, "") }) { server in
                let (result, elapsed) = try await runCheck(
                    "{http: \"${url}/\", interval: 100ms, max_interval: 400ms, deadline: 1500ms}", url: server.url)
                #expect(result.verdict == .failed)
                expectOnSchedule(elapsed, .milliseconds(1500))
                // Attempts at 0, 0.1, 0.3, 0.7 and 1.1 s.
                let arrivals = log.arrivals
                #expect(arrivals.count == 5)
                let gaps = zip(arrivals.dropFirst(), arrivals).map { $0 - $1 }
                for (gap, expected) in zip(gaps, [100, 200, 400, 400].map(Duration.milliseconds)) {
                    #expect(gap >= expected && gap < expected + .milliseconds(60), "gaps \(gaps)")
                }
            }
        }

        @Test("a pass resets the interval: back-off only grows across failures in a row")
        func passResetsInterval() async throws {
            let log = RequestLog()
            let answers = [503, 503, 503, 200, 503, 200, 200]
            try await withTestServer(TestServer.answering(log: log) { number in (answers[min(number, answers.count) - 1], "") }) { server in
                let (result, _) = try await runCheck(
                    "{http: \"${url}/\", interval: 100ms, max_interval: 1s, success_threshold: 2}", url: server.url)
                #expect(result.verdict == .passed)
                let arrivals = log.arrivals
                let gaps = zip(arrivals.dropFirst(), arrivals).map { $0 - $1 }
                // 100, 200, 400 after failures in a row; then 100 after the pass, and 100 again after the
                // next failure, the first of a new run.
                #expect(gaps.count == 6)
                for (gap, expected) in zip(gaps, [100, 200, 400, 100, 100, 100].map(Duration.milliseconds)) {
                    #expect(gap >= expected && gap < expected + .milliseconds(60), "gaps \(gaps)")
                }
            }
        }
    }
}
