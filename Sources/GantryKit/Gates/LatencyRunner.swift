import Basics
import Foundation
import HTTP

/// The latency gate: `requests` requests, `concurrency` at a time, then percentiles and the error
/// rate against the budgets.
struct LatencyRunner {
    /// The run's shared session, used only if the gate cannot have sessions of its own.
    var session: HTTPSession
    /// The request, variables resolved.
    var request: HTTPRequest
    /// The gate.
    var gate: LatencyGate

    /// Hands out request numbers to the workers, so that exactly `requests` are sent.
    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        let limit: Int
        init(limit: Int) { self.limit = limit }
        func take() -> Bool {
            lock.withLock {
                guard next < limit else { return false }
                next += 1
                return true
            }
        }
    }

    /// The sessions the workers share out: the gate's own, so that its burst of requests neither
    /// delays the other services' checks on the shared session's thread nor evicts their cached
    /// connections, each keeping a connection per worker. One per core: a session's single loop
    /// thread is what bounds its requests per second, so one thread alone left the others idle.
    private func sessions() -> [HTTPSession] {
        let count = max(1, min(ProcessInfo.processInfo.activeProcessorCount, gate.concurrency))
        let perSession = (gate.concurrency + count - 1) / count
        let own = (0..<count).compactMap { _ in try? HTTPSession(maximumCachedConnections: perSession) }
        return own.isEmpty ? [session] : own
    }

    func run(service: String) async -> LatencyResult {
        let sessions = sessions()
        defer { for own in sessions where own !== session { own.shutdown() } }
        let counter = Counter(limit: gate.requests)
        let clock = ContinuousClock()
        let start = clock.now
        var request = request
        request.timeout = gate.requestTimeout
        let sent = request
        let samples = await withTaskGroup(of: (times: [Double], errors: Int, firstError: String?).self) { group in
            for worker in 0..<gate.concurrency {
                let session = sessions[worker % sessions.count]
                group.addTask {
                    var times: [Double] = []
                    var errors = 0
                    // One example of why requests failed, so the report can say it.
                    var firstError: String?
                    while !Task.isCancelled, counter.take() {
                        do {
                            let response = try await session.perform(sent)
                            if (200...399).contains(response.status) {
                                times.append(AttemptTimings(response.timings).total)
                            } else {
                                errors += 1
                                firstError = firstError ?? "status \(response.status)"
                            }
                        } catch {
                            errors += 1
                            firstError = firstError ?? (error as? HTTPError)?.message ?? "\(error)"
                        }
                    }
                    return (times, errors, firstError)
                }
            }
            var all: (times: [Double], errors: Int, firstError: String?) = ([], 0, nil)
            for await sample in group {
                all.times += sample.times
                all.errors += sample.errors
                all.firstError = all.firstError ?? sample.firstError
            }
            return all
        }
        let wall = clock.now - start
        let seconds = wall.inSeconds
        let times = samples.times.sorted()
        let completed = times.count + samples.errors
        return verdict(
            service: service, times: times, errors: samples.errors, firstError: samples.firstError, completed: completed,
            requestsPerSecond: seconds > 0 ? (Double(completed) / seconds).rounded(toPlaces: 1) : 0)
    }

    private func verdict(
        service: String, times: [Double], errors: Int, firstError: String?, completed: Int, requestsPerSecond: Double
    ) -> LatencyResult {
        func percentile(_ fraction: Double) -> Double {
            guard !times.isEmpty else { return 0 }
            let rank = Int((fraction * Double(times.count)).rounded(.up))
            return times[min(max(rank, 1), times.count) - 1].rounded(toPlaces: 1)
        }
        let (p50, p95, p99) = (percentile(0.50), percentile(0.95), percentile(0.99))
        var problems: [String] = []
        for (name, value, budget) in [("p50", p50, gate.p50), ("p95", p95, gate.p95), ("p99", p99, gate.p99)] {
            guard let budget else { continue }
            let limit = budget.inMilliseconds
            if value > limit { problems.append("\(name) \(Self.format(value)) over the \(DurationText.format(budget)) budget") }
        }
        let rate = completed == 0 ? 1 : Double(errors) / Double(completed)
        if completed < gate.requests {
            problems.append("stopped after \(completed) of \(gate.requests) requests")
        }
        if rate > gate.errorRate {
            let example = firstError.map { ", such as \($0)" } ?? ""
            problems.append(
                "\(errors) of \(completed) requests failed\(example) (\(String(format: "%.1f", rate * 100)) %, allowed \(String(format: "%.1f", gate.errorRate * 100)) %)"
            )
        }
        let measured =
            "p50 \(Self.format(p50)), p95 \(Self.format(p95)), p99 \(Self.format(p99)); \(errors) of \(completed) failed; \(requestsPerSecond) requests/s"
        return LatencyResult(
            service: service, verdict: problems.isEmpty ? .passed : .failed, requests: completed, concurrency: gate.concurrency,
            errors: errors, p50: p50, p95: p95, p99: p99, requestsPerSecond: requestsPerSecond,
            message: problems.isEmpty ? measured : problems.joined(separator: "; ") + " (\(measured))", location: gate.location)
    }

    private static func format(_ milliseconds: Double) -> String {
        milliseconds < 10 ? String(format: "%.1f ms", milliseconds) : "\(Int(milliseconds.rounded())) ms"
    }
}
