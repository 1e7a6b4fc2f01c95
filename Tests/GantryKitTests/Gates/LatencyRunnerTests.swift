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
