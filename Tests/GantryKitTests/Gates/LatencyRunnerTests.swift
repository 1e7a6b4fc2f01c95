import Foundation
import TestSupport
import Testing

@testable import Basics
@testable import GantryKit

extension GateTests {
    @Suite("The latency gate")
    struct LatencyRunnerTests {
        /// Runs `api`'s latency gate, written in flow style, against `server`.
        func latency(_ gate: String, _ server: TestServer) async throws -> (result: LatencyResult, elapsed: Duration) {
            let (document, elapsed) = try await runGates("  api:\n    paths: [api/**]\n    latency: \(gate)\n", urls: ["api": server.url])
            #expect(document.checks.isEmpty)
            return (try #require(document.latency.first), elapsed)
        }

        /// A keep-alive server that answers at once, except that the `stallAt`th request stalls
        /// it for 1 s: every request that arrives meanwhile waits for the stall to end.
        static func stalling(at stallAt: Int, log: RequestLog) -> TestServer.Behaviour {
            { connection in
                while connection.readRequest() != nil {
                    let arrivals = log.arrivals
                    _ = log.arrived()
                    if arrivals.count >= stallAt {
                        let end = arrivals[stallAt - 1] + .seconds(1)
                        if end > .now { sleep(for: end - .now) }
                    }
                    log.answered()
                    guard connection.respond(status: 200, body: Array("ok".utf8)) else { return }
                }
            }
        }

        @Test("a server that stalls for 1 s mid-run: the closed model's p99 hides it behind fewer requests")
        func closedModelHidesAStall() async throws {
            let log = RequestLog()
            try await withTestServer(Self.stalling(at: 300, log: log)) { server in
                let (result, elapsed) = try await latency("{requests: 1000, concurrency: 2}", server)
                #expect(result.verdict == .passed, "\(result.message)")
                #expect(elapsed >= .seconds(1), "the stall happened during the run")
                // Two requests of 1000 waited out the stall: under 1 %, so p99 never sees it.
                #expect(result.p99 < 500, "\(result.message)")
                #expect(result.late == nil)
            }
        }

        @Test("a server that stalls for 1 s mid-run: the open model's p99 shows it, and the requests sent late are counted")
        func openModelShowsAStall() async throws {
            let log = RequestLog()
            try await withTestServer(Self.stalling(at: 100, log: log)) { server in
                let (result, elapsed) = try await latency("{rate: 200/s, duration: 2s, concurrency: 10, p99: 300ms}", server)
                #expect(log.count == 400 && result.requests == 400 && result.errors == 0)
                #expect(elapsed >= .milliseconds(1990), "the last request falls due at 1.995 s")
                // About 200 requests fell due during the stall, on 10 busy connections, and are
                // timed from when they fell due: up to the whole second.
                #expect(result.p99 >= 700, "\(result.message)")
                #expect(result.verdict == .failed)
                let late = try #require(result.late)
                #expect(late >= 100, "\(result.message)")
                #expect(result.message.hasPrefix("p99 "), "\(result.message)")
                #expect(
                    result.message.contains("; \(late) of 400 sent late, every connection busy when they fell due at 200/s; "),
                    "\(result.message)")
            }
        }

        @Test("the open model sends on schedule: a steady server gets the requests spread over the duration")
        func openModelKeepsTheSchedule() async throws {
            let log = RequestLog()
            try await withTestServer(TestServer.answering(log: log) { _ in (200, "ok") }) { server in
                let (result, elapsed) = try await latency("{rate: 100/s, duration: 1s, concurrency: 5}", server)
                #expect(result.verdict == .passed, "\(result.message)")
                #expect(log.count == 100)
                #expect(elapsed >= .milliseconds(990), "the last request falls due at 0.99 s; took \(elapsed)")
                let arrivals = log.arrivals
                let firstHalf = arrivals.filter { $0 - arrivals[0] < .milliseconds(500) }.count
                #expect((35...65).contains(firstHalf), "\(firstHalf) of 100 in the first half second")
            }
        }

        @Test("sends exactly `requests` requests, `concurrency` at a time, and computes the percentiles")
        func requestsAndConcurrency() async throws {
            let log = RequestLog()
            try await withTestServer(TestServer.answering(log: log, delay: .milliseconds(20)) { _ in (200, "ok") }) { server in
                let (result, elapsed) = try await latency("{requests: 40, concurrency: 4}", server)
                #expect(result.verdict == .passed, "\(result.message)")
                #expect(log.count == 40)
                #expect(log.mostAtOnce == 4)
                #expect(result.requests == 40 && result.concurrency == 4 && result.errors == 0)
                // Ten rounds of 20 ms.
                #expect(elapsed >= .milliseconds(200) && elapsed < .milliseconds(600), "took \(elapsed)")
                #expect(
                    result.p50 >= 20 && result.p50 <= result.p95 && result.p95 <= result.p99, "\(result.p50) \(result.p95) \(result.p99)")
                #expect(result.requestsPerSecond > 60 && result.requestsPerSecond <= 200, "\(result.requestsPerSecond)")
                #expect(result.message.hasPrefix("p50 "))
                #expect(result.message.hasSuffix("; 0 of 40 failed; \(result.requestsPerSecond) requests/s"))
            }
        }

        @Test("a p95 budget that a 50 ms server exceeds fails, naming the percentile and the budget")
        func percentileOverBudget() async throws {
            try await withTestServer(TestServer.answering(delay: .milliseconds(50)) { _ in (200, "ok") }) { server in
                let (result, _) = try await latency("{requests: 20, concurrency: 5, p50: 1s, p95: 20ms}", server)
                #expect(result.verdict == .failed)
                #expect(result.p95 >= 50)
                #expect(
                    result.message.wholeMatch(
                        of: #/p95 5\d ms over the 20 ms budget \(p50 5\d ms, p95 5\d ms, p99 5\d ms; 0 of 20 failed; [\d.]+ requests/s\)/#)
                        != nil, "\(result.message)")
            }
        }

        /// An allowed error rate and whether a server failing every 10th request meets it.
        static let errorRates: [(rate: String, passes: Bool)] = [("0", false), ("0.05", false), ("0.1", true), ("0.5", true)]

        @Test("error_rate against a server that fails every 10th request", arguments: errorRates)
        func errorRate(rate: String, passes: Bool) async throws {
            try await withTestServer(TestServer.answering { number in number % 10 == 0 ? (500, "oops") : (200, "ok") }) { server in
                let (result, _) = try await latency("{requests: 100, concurrency: 5, error_rate: \(rate)}", server)
                #expect(result.errors == 10)
                #expect(result.requests == 100)
                #expect(result.verdict == (passes ? .passed : .failed), "\(result.message)")
                if !passes {
                    let allowed = String(format: "%.1f", (Double(rate) ?? 0) * 100)
                    #expect(
                        result.message.hasPrefix("10 of 100 requests failed, such as status 500 (10.0 %, allowed \(allowed) %)"),
                        "\(result.message)")
                }
            }
        }

        @Test("a server that refuses every request fails the gate with every request counted as an error")
        func refused() async throws {
            let closed = try ClosedPort()
            let (document, _) = try await runGates(
                "  api:\n    paths: [api/**]\n    latency: {requests: 20, concurrency: 2}\n",
                urls: ["api": "http://127.0.0.1:\(closed.port)"])
            let result = try #require(document.latency.first)
            #expect(result.verdict == .failed)
            #expect(result.errors == 20)
            #expect(
                result.message.hasPrefix(
                    "20 of 20 requests failed, such as connection to 127.0.0.1:\(closed.port) refused (100.0 %, allowed 0.0 %)"),
                "\(result.message)")
        }
    }
}
