import Basics
import Config
import Foundation
import HTTP

/// The latency gate, then percentiles and the error rate against the budgets. The closed model
/// sends `requests` requests, `concurrency` at a time, each timed by its client from its start to
/// the end of its response; the open model
/// (`gate.arrivals`) sends each request when it falls due, on at most `concurrency` connections,
/// and times it from then, as wrk2 does: a request that found no connection free waited, and
/// that wait is part of its latency.
struct LatencyRunner {
    /// The run's shared session, used only if the gate cannot have sessions of its own.
    var session: HTTPSession
    /// The request, variables resolved.
    var request: HTTPRequest
    /// The gate.
    var gate: LatencyGate

    /// Hands out request numbers (from 0) to the workers, so that exactly `requests` are sent.
    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        let limit: Int
        init(limit: Int) { self.limit = limit }
        func take() -> Int? {
            lock.withLock {
                guard next < limit else { return nil }
                next += 1
                return next - 1
            }
        }
    }

    /// What one worker measured.
    private struct Sample {
        /// Milliseconds, of the requests that succeeded.
        var times: [Double] = []
        var errors = 0
        /// One example of why requests failed, so the report can say it.
        var firstError: String?
        /// Open model: requests that fell due while every connection was busy.
        var late = 0

        /// Notes a response: a success if its status is 2xx or 3xx.
        mutating func add(status: Int, milliseconds: Double) {
            if (200...399).contains(status) {
                times.append(milliseconds)
            } else {
                add(error: "status \(status)")
            }
        }

        mutating func add(error: String) {
            errors += 1
            firstError = firstError ?? error
        }

        mutating func add(_ other: Sample) {
            times += other.times
            errors += other.errors
            firstError = firstError ?? other.firstError
            late += other.late
        }
    }

    /// The sessions the workers share out: the gate's own, so that its burst of requests neither
    /// delays the other services' checks on the shared session's thread nor evicts their cached
    /// connections, each keeping a connection per worker. Through libcurl, one per core: a
    /// session's single loop thread is what bounds its requests per second, so one thread alone
    /// left the others idle. Through the loop's own client, one, as `wrk -t1`: its thread is no
    /// longer the bound, and a second one only takes a core from the service under test, which
    /// runs on the same machine (against nginx, 98 % of wrk's rate with two, 113 % with one).
    private func sessions(for client: RepeatedRequest.Client) -> [HTTPSession] {
        let cores = client == .plain ? 1 : ProcessInfo.processInfo.activeProcessorCount
        let count = max(1, min(cores, gate.concurrency))
        let perSession = (gate.concurrency + count - 1) / count
        let own = (0..<count).compactMap { _ in try? HTTPSession(maximumCachedConnections: perSession) }
        return own.isEmpty ? [session] : own
    }

    func run(service: String) async -> LatencyResult {
        var request = request
        request.timeout = gate.requestTimeout
        // Decided once for the whole gate: the loop's own plain HTTP/1.1 client, or libcurl.
        let prepared = RepeatedRequest(request)
        let sessions = sessions(for: prepared.client)
        defer { for own in sessions where own !== session { own.shutdown() } }
        let clock = ContinuousClock()
        let start = clock.now
        let samples: Sample
        if let arrivals = gate.arrivals {
            samples = await openModel(prepared, arrivals, on: sessions, start: start)
        } else {
            samples = await closedModel(prepared, on: sessions)
        }
        let wall = clock.now - start
        let seconds = wall.inSeconds
        let times = samples.times.sorted()
        let completed = times.count + samples.errors
        return verdict(
            service: service, times: times, errors: samples.errors, firstError: samples.firstError, completed: completed,
            late: gate.arrivals == nil ? nil : samples.late,
            requestsPerSecond: seconds > 0 ? (Double(completed) / seconds).rounded(toPlaces: 1) : 0)
    }

    /// The closed model: each session sends its share of the requests at its share of the
    /// concurrency, its loop starting the next request as soon as one ends.
    private func closedModel(_ request: RepeatedRequest, on sessions: [HTTPSession]) async -> Sample {
        func share(_ total: Int, _ part: Int) -> Int { total / sessions.count + (part < total % sessions.count ? 1 : 0) }
        return await withTaskGroup(of: Sample.self) { group in
            for (part, session) in sessions.enumerated() {
                let requests = share(gate.requests, part)
                let concurrency = share(gate.concurrency, part)
                group.addTask {
                    var sample = Sample()
                    for outcome in await session.performRepeatedly(request, count: requests, concurrency: concurrency) {
                        switch outcome {
                        case .success(let exchange):
                            sample.add(status: exchange.status, milliseconds: AttemptTimings(exchange.timings).total)
                        case .failure(let error): sample.add(error: error.message)
                        }
                    }
                    return sample
                }
            }
            var all = Sample()
            for await sample in group { all.add(sample) }
            return all
        }
    }

    /// The open model: request `index` falls due at `start + arrivals.due(index)`; `concurrency`
    /// workers each wait for the next one due, send it, and time it from when it fell due.
    private func openModel(
        _ request: RepeatedRequest, _ arrivals: ArrivalSchedule, on sessions: [HTTPSession], start: ContinuousClock.Instant
    )
        async -> Sample
    {
        let counter = Counter(limit: gate.requests)
        let clock = ContinuousClock()
        return await withTaskGroup(of: Sample.self) { group in
            for worker in 0..<gate.concurrency {
                let session = sessions[worker % sessions.count]
                group.addTask {
                    var sample = Sample()
                    while !Task.isCancelled, let index = counter.take() {
                        let due = start + arrivals.due(index)
                        if due > clock.now {
                            try? await clock.sleep(until: due)
                        } else {
                            sample.late += 1
                        }
                        do throws(HTTPError) {
                            let response = try await session.performOnce(request)
                            sample.add(status: response.status, milliseconds: (clock.now - due).inMilliseconds)
                        } catch {
                            sample.add(error: error.message)
                        }
                    }
                    return sample
                }
            }
            var all = Sample()
            for await sample in group { all.add(sample) }
            return all
        }
    }

    private func verdict(
        service: String, times: [Double], errors: Int, firstError: String?, completed: Int, late: Int?, requestsPerSecond: Double
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
        var measured = "p50 \(Self.format(p50)), p95 \(Self.format(p95)), p99 \(Self.format(p99)); \(errors) of \(completed) failed"
        if let late, let arrivals = gate.arrivals {
            measured += "; \(late) of \(completed) sent late, every connection busy when they fell due at \(arrivals.rate)/s"
        }
        measured += "; \(requestsPerSecond) requests/s"
        return LatencyResult(
            service: service, verdict: problems.isEmpty ? .passed : .failed, requests: completed, concurrency: gate.concurrency,
            errors: errors, p50: p50, p95: p95, p99: p99, requestsPerSecond: requestsPerSecond,
            message: problems.isEmpty ? measured : problems.joined(separator: "; ") + " (\(measured))", late: late, location: gate.location)
    }

    private static func format(_ milliseconds: Double) -> String {
        milliseconds < 10 ? String(format: "%.1f ms", milliseconds) : "\(Int(milliseconds.rounded())) ms"
    }
}
