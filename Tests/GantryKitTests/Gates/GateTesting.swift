import Foundation
import TestSupport
import Testing

@testable import Basics
@testable import Config
@testable import GantryKit

/// Every suite of gate tests, run one test at a time: most check a verdict's time to within 10%
/// of its deadline, or the gaps between attempts, and on a two-core machine gate tests running
/// beside each other would blur that. Tests of other targets and suites still run meanwhile.
@Suite("Gates", .serialized)
struct GateTests {}

/// Runs the gates a `gantry.yml` configures, against the given service URLs (as `--url NAME=URL`
/// would give them), and measures how long the whole run took.
///
/// - Parameters:
///   - services: The lines under `services:`, indented by two spaces.
///   - gates: The top-level `gates:` mapping in flow style, such as `{deadline: 1s}`; none by default.
///   - urls: Where each service answers.
///   - environment: The process environment `${env.NAME}` reads.
///   - directory: Where commands run and relative `ca` files are found.
func runGates(
    _ services: String, gates: String? = nil, urls: [String: String], environment: [String: String] = [:],
    directory: String = NSTemporaryDirectory()
) async throws -> (document: GatesDocument, elapsed: Duration) {
    let prepared = try prepareGates(services, gates: gates, urls: urls, environment: environment, directory: directory)
    let clock = ContinuousClock()
    let start = clock.now
    let document = await prepared.run()
    return (document, clock.now - start)
}

/// The gates `runGates` runs; an unresolved variable throws here, before any request.
func prepareGates(
    _ services: String, gates: String? = nil, urls: [String: String], environment: [String: String] = [:],
    directory: String = NSTemporaryDirectory()
) throws -> PreparedGates {
    let yaml = "version: 1\n" + (gates.map { "gates: \($0)\n" } ?? "") + "services:\n" + services
    let configuration = try Configuration(parsing: yaml, file: "gantry.yml")
    let endpoints = urls.sorted { $0.key < $1.key }.map { ServiceEndpoint(service: $0.key, url: $0.value) }
    return try PreparedGates.prepare(
        configuration: configuration, services: configuration.services, endpoints: endpoints, environment: environment, directory: directory
    )
}

/// Runs one check of service `api`, written as a YAML flow item, against `url`, and returns its
/// result. Health checks wait for the deadline by default; `gate: "smoke"` fails at the first failure.
func runCheck(
    _ check: String, url: String, gate: String = "health", gates: String? = nil, directory: String = NSTemporaryDirectory(),
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) async throws -> (result: CheckResult, elapsed: Duration) {
    let (document, elapsed) = try await runGates(
        "  api:\n    paths: [api/**]\n    \(gate): [\(check)]\n", gates: gates, urls: ["api": url], directory: directory)
    let result = try #require(document.checks.first, "no result", sourceLocation: sourceLocation)
    #expect(document.checks.count == 1, sourceLocation: sourceLocation)
    return (result, elapsed)
}

/// Checks that `elapsed` is within 10% of `deadline`: the verdict came at the deadline, neither
/// before it nor long after. Late by 100 ms more is allowed: the whole suite runs its tests side by
/// side on two cores, and a thread that wakes on time can still wait that long for a core.
func expectOnSchedule(_ elapsed: Duration, _ deadline: Duration, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(elapsed >= deadline * 0.9, "finished after \(elapsed), before the deadline \(deadline)", sourceLocation: sourceLocation)
    #expect(
        elapsed <= deadline * 1.1 + .milliseconds(100), "finished after \(elapsed), well after the deadline \(deadline)",
        sourceLocation: sourceLocation)
}

/// Seconds as a `Duration`, for results, which record seconds as numbers.
func seconds(_ value: Double) -> Duration { .milliseconds(Int((value * 1000).rounded())) }

/// What a server's connection threads observed, read back by the test: how many requests
/// arrived, when, and how many were being answered at once.
final class RequestLog: @unchecked Sendable {
    private let lock = NSLock()
    private var times: [ContinuousClock.Instant] = []
    private var active = 0
    private var mostActive = 0

    /// Notes a request's arrival and returns its number, from 1.
    func arrived() -> Int {
        lock.withLock {
            times.append(.now)
            active += 1
            mostActive = max(mostActive, active)
            return times.count
        }
    }

    /// Notes that a request has been answered.
    func answered() { lock.withLock { active -= 1 } }

    /// How many requests arrived.
    var count: Int { lock.withLock { times.count } }
    /// When each request arrived.
    var arrivals: [ContinuousClock.Instant] { lock.withLock { times } }
    /// The most requests being answered at the same moment.
    var mostAtOnce: Int { lock.withLock { mostActive } }
}

extension TestServer {
    /// A keep-alive server that answers each request with what `answer` returns for its number
    /// (from 1), after `delay`, and logs it in `log`.
    static func answering(
        log: RequestLog = RequestLog(), delay: Duration = .zero, _ answer: @escaping @Sendable (Int) -> (status: Int, body: String)
    ) -> Behaviour {
        { connection in
            while connection.readRequest() != nil {
                let number = log.arrived()
                if delay > .zero { sleep(for: delay) }
                let (status, body) = answer(number)
                log.answered()
                guard connection.respond(status: status, reason: status == 200 ? "OK" : "Status", body: Array(body.utf8)) else { return }
            }
        }
    }
}

/// The process's resident memory in bytes, from /proc/self/statm.
func residentMemory() throws -> Int {
    let fields = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8).split(separator: " ")
    let pages = try #require(fields.count > 1 ? Int(fields[1]) : nil)
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}
