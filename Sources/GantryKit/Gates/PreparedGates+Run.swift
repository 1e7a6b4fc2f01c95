import Basics
import Config
import Foundation

extension PreparedGates {
    /// Runs every service's gates at once: a service's health checks start when the health checks
    /// of the services it depends on have passed (depends_on orders only where it says so), its
    /// smoke checks and latency gate when its own health checks have. All checks of a stage run
    /// concurrently; none waits behind another's request.
    ///
    /// - Parameter liveness: Why a service cannot pass any more, such as its process having exited;
    ///   its checks then fail at once instead of at their deadline.
    package func run(liveness: @escaping @Sendable (String) -> String? = { _ in nil }) async -> GatesDocument {
        let tasks = TaskList()
        return await withTaskCancellationHandler {
            var health: [String: Task<[CheckResult], Never>] = [:]
            for service in services {
                let waits = service.dependencies.compactMap { name in health[name].map { (name, $0) } }
                health[service.name] = tasks.add {
                    for (name, dependency) in waits where await !dependency.value.allSatisfy({ $0.verdict == .passed }) {
                        return service.health.map { skipped($0, because: "`\(name)` did not pass its health gate") }
                    }
                    return await Self.run(service.health, liveness: liveness)
                }
            }
            var later: [String: Task<(checks: [CheckResult], latency: LatencyResult?), Never>] = [:]
            for service in services {
                let own = health[service.name]
                let waits = service.dependencies.compactMap { name in health[name].map { (name, $0) } }
                later[service.name] = tasks.add {
                    let healthResults = await own?.value ?? []
                    guard healthResults.allSatisfy({ $0.verdict == .passed }) else {
                        // Health checks skipped for a dependency never ran: that dependency is the one to name.
                        var culprit = service.name
                        for (name, dependency) in waits where await !dependency.value.allSatisfy({ $0.verdict == .passed }) {
                            culprit = name
                            break
                        }
                        let reason = "`\(culprit)` did not pass its health gate"
                        return (
                            service.smoke.map { skipped($0, because: reason) },
                            service.latency.map { skippedLatency($0.gate, service: service.name, because: reason) }
                        )
                    }
                    let smoke = await Self.run(service.smoke, liveness: liveness)
                    var latency: LatencyResult?
                    if let (gate, request) = service.latency {
                        latency = await LatencyRunner(session: session, request: request, gate: gate).run(service: service.name)
                    }
                    return (smoke, latency)
                }
            }
            var checks: [CheckResult] = []
            var latency: [LatencyResult] = []
            for service in services {
                checks += await health[service.name]?.value ?? []
                if let rest = await later[service.name]?.value {
                    checks += rest.checks
                    if let result = rest.latency { latency.append(result) }
                }
            }
            return GatesDocument(checks: checks, latency: latency)
        } onCancel: {
            tasks.cancelAll()
        }
    }

    private static func run(_ checks: [PreparedCheck], liveness: @escaping @Sendable (String) -> String?) async -> [CheckResult] {
        await withTaskGroup(of: (Int, CheckResult).self) { group in
            for (index, prepared) in checks.enumerated() {
                group.addTask {
                    let prober = Prober(timing: prepared.check.timing) { liveness(prepared.service) }
                    let summary = await prober.run(prepared.probe)
                    return (index, CheckResult(prepared, summary))
                }
            }
            var results: [(Int, CheckResult)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    private func skipped(_ prepared: PreparedCheck, because reason: String) -> CheckResult {
        CheckResult(
            service: prepared.service, gate: prepared.gate, name: prepared.check.name, verdict: .skipped, attempts: 0, elapsed: 0,
            message: "not run: \(reason)", isInsecure: prepared.check.isInsecure, location: prepared.check.location)
    }

    private func skippedLatency(_ gate: LatencyGate, service: String, because reason: String) -> LatencyResult {
        LatencyResult(
            service: service, verdict: .skipped, requests: 0, concurrency: gate.concurrency, errors: 0, p50: 0, p95: 0, p99: 0,
            requestsPerSecond: 0, message: "not run: \(reason)", location: gate.location)
    }
}

extension CheckResult {
    init(_ prepared: PreparedGates.PreparedCheck, _ summary: Prober.Summary) {
        func seconds(_ duration: Duration) -> Double {
            duration.inSeconds.rounded(toPlaces: 3)
        }
        self.init(
            service: prepared.service, gate: prepared.gate, name: prepared.check.name, verdict: summary.verdict,
            attempts: summary.attempts, elapsed: seconds(summary.elapsed), timeToReady: summary.timeToReady.map(seconds),
            status: summary.last?.status, body: summary.last?.body, timings: summary.last?.timings,
            certificate: summary.last?.certificate, message: summary.message,
            isInsecure: prepared.check.isInsecure, location: prepared.check.location)
    }
}

extension GateCheck {
    /// Whether TLS verification is off for it.
    var isInsecure: Bool {
        if case .http(let request) = action { return request.isInsecure }
        return false
    }
}

/// Tasks started for a run, so that cancelling the run cancels them all.
final class TaskList: @unchecked Sendable {
    private let lock = NSLock()
    private var cancellers: [@Sendable () -> Void] = []
    private var isCancelled = false

    func add<Value: Sendable>(_ operation: @escaping @Sendable () async -> Value) -> Task<Value, Never> {
        let task = Task(operation: operation)
        let cancelNow = lock.withLock {
            cancellers.append { task.cancel() }
            return isCancelled
        }
        if cancelNow { task.cancel() }
        return task
    }

    func cancelAll() {
        let all = lock.withLock {
            isCancelled = true
            return cancellers
        }
        for cancel in all { cancel() }
    }
}
