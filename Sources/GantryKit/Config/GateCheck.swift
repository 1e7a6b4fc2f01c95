/// A check of a running service: an HTTP request, a TCP connect or a command, with what it must
/// show. Strings may hold `${url}`, `${port}` and `${env.NAME}`, resolved just before the gates run.
public struct GateCheck: Sendable, Equatable {
    /// What a check does.
    public enum Action: Sendable, Equatable {
        /// Sends an HTTP request.
        case http(HTTPCheck)
        /// Connects to `host:port`.
        case tcp(address: ValueTemplate)
        /// Runs a shell command; exit code 0 passes.
        case command(ValueTemplate)
    }

    /// The check's name in reports: given, or made from the action, such as "GET ${url}/health".
    public var name: String
    /// What it does.
    public var action: Action
    /// What the response must show (HTTP only).
    public var expectation: HTTPExpectation
    /// How often, how long and how many times; the `gates` settings, overridden per check.
    public var timing: GateTiming
    /// Where the check is written, for reports that point at it.
    public var location: SourceLocation
}

/// An HTTP request a check sends.
public struct HTTPCheck: Sendable, Equatable {
    /// The method, `GET` by default.
    public var method: String
    /// The URL.
    public var url: ValueTemplate
    /// Header fields, in order.
    public var headers: [(name: String, value: ValueTemplate)]
    /// The body; nil sends none.
    public var body: ValueTemplate?
    /// Whether the certificate goes unchecked (`insecure: true`): an explicit choice, shown in the report.
    public var isInsecure: Bool
    /// A CA bundle to verify the server with instead of the system's (`ca: FILE`).
    public var certificateAuthorityFile: String?
    /// How many redirects to follow (`follow_redirects`), 0 by default: a redirect is the answer.
    public var maximumRedirects: Int
    /// Whether a redirect may lead to another host (`allow_other_hosts`).
    public var allowsRedirectsToOtherHosts: Bool

    public static func == (left: HTTPCheck, right: HTTPCheck) -> Bool {
        left.method == right.method && left.url == right.url && left.body == right.body
            && left.headers.map(\.name) == right.headers.map(\.name) && left.headers.map(\.value) == right.headers.map(\.value)
            && left.isInsecure == right.isInsecure && left.certificateAuthorityFile == right.certificateAuthorityFile
            && left.maximumRedirects == right.maximumRedirects && left.allowsRedirectsToOtherHosts == right.allowsRedirectsToOtherHosts
    }
}

/// What an HTTP response must show to pass. Everything given must hold.
public struct HTTPExpectation: Sendable, Equatable {
    /// Allowed statuses; empty means 200–399, as Kubernetes probes count success.
    public var statuses: [Int]
    /// Header fields that must be present with these values (names compared without case).
    public var headers: [(name: String, value: String)]
    /// Text the body must contain.
    public var bodyContains: String?
    /// A regular expression the body must match.
    public var bodyMatches: String?
    /// JSON paths (`$.a.b[0]`) and the values they must hold.
    public var json: [(path: String, value: JSONValue)]
    /// The longest the whole exchange may take.
    public var maximumLatency: Duration?

    /// No expectation beyond a 2xx or 3xx status.
    public static let success = HTTPExpectation(statuses: [], headers: [], bodyContains: nil, bodyMatches: nil, json: [], maximumLatency: nil)

    /// Whether `status` is allowed.
    public func allows(status: Int) -> Bool {
        statuses.isEmpty ? (200...399).contains(status) : statuses.contains(status)
    }

    public static func == (left: HTTPExpectation, right: HTTPExpectation) -> Bool {
        left.statuses == right.statuses && left.headers.map { [$0.name, $0.value] } == right.headers.map { [$0.name, $0.value] }
            && left.bodyContains == right.bodyContains && left.bodyMatches == right.bodyMatches
            && left.json.map(\.path) == right.json.map(\.path) && left.json.map(\.value) == right.json.map(\.value)
            && left.maximumLatency == right.maximumLatency
    }
}

/// How a check is repeated, with Kubernetes probe semantics: attempts every `interval` (growing to
/// `maximumInterval`), each within `requestTimeout`; `successThreshold` passes in a row pass the
/// check, `failureThreshold` failures in a row fail it, and the `deadline` or the last of
/// `attempts`, whichever comes first, fails it in any case.
public struct GateTiming: Sendable, Equatable {
    /// The longest the check may take in all; nil is `defaultDeadline`, unless `attempts` is set.
    public var deadline: Duration?
    /// The most attempts the check may make; nil leaves it to the deadline.
    public var attempts: Int?
    /// The wait before the second attempt.
    public var interval: Duration
    /// The longest wait between attempts; the wait doubles from `interval` up to it.
    public var maximumInterval: Duration
    /// The longest one attempt may take.
    public var requestTimeout: Duration
    /// Passes in a row that pass the check.
    public var successThreshold: Int
    /// Failures in a row that fail the check; nil waits for the deadline.
    public var failureThreshold: Int?

    /// The defaults: poll 5 times a second, so a local service is seen ready within 0.2 s, for up to 2 minutes.
    public static let defaults = GateTiming(
        deadline: nil, attempts: nil, interval: .milliseconds(200), maximumInterval: .milliseconds(200),
        requestTimeout: .seconds(5), successThreshold: 1, failureThreshold: nil)

    /// The deadline when none is given and attempts are not counted.
    public static let defaultDeadline = Duration.seconds(120)

    /// The time the check may take: the deadline given; else, when attempts are counted, as long as
    /// they can take, so that "30 attempts every 10 s" is not cut short by the default deadline.
    public var effectiveDeadline: Duration {
        if let deadline { return deadline }
        guard let attempts else { return Self.defaultDeadline }
        return (requestTimeout + maximumInterval) * attempts
    }
}

/// The latency gate: `requests` requests, `concurrency` at a time, against budgets.
public struct LatencyGate: Sendable, Equatable {
    /// The request; by default a GET of the service's URL.
    public var check: HTTPCheck
    /// How many requests in all.
    public var requests: Int
    /// How many at once.
    public var concurrency: Int
    /// Budgets for the percentiles of the request time; nil is no budget.
    public var p50: Duration?
    /// The 95th percentile's budget.
    public var p95: Duration?
    /// The 99th percentile's budget.
    public var p99: Duration?
    /// The largest share of failed requests (an error or a status outside 200–399), 0 by default.
    public var errorRate: Double
    /// The longest one request may take.
    public var requestTimeout: Duration
    /// Where the gate is written.
    public var location: SourceLocation
    /// The open model's schedule; nil for the closed model, `requests` sent `concurrency` at a time.
    public var arrivals: ArrivalSchedule?
}

/// An open-model latency gate's schedule (`rate` and `duration`): requests fall due at a fixed
/// rate whatever the server does, and each is timed from when it fell due, so that a server that
/// stalls shows in the percentiles instead of merely being sent fewer requests.
public struct ArrivalSchedule: Sendable, Equatable {
    /// Requests a second.
    public var rate: Int
    /// How long requests keep falling due.
    public var duration: Duration

    /// How many requests fall due in all.
    public var requests: Int { Int((Double(rate) * duration.inSeconds).rounded()) }

    /// When request `index` (from 0) falls due, counted from the start.
    func due(_ index: Int) -> Duration { .seconds(Double(index) / Double(rate)) }
}

/// The gates of one service, in the order they run: health, then smoke and latency.
public struct ServiceGates: Sendable, Equatable {
    /// Checks that wait for the service to be ready.
    public var health: [GateCheck]
    /// Checks that run once it is ready.
    public var smoke: [GateCheck]
    /// The latency gate, if any.
    public var latency: LatencyGate?

    /// No gates.
    public static let none = ServiceGates(health: [], smoke: [], latency: nil)

    /// Whether the service has any gate.
    public var isEmpty: Bool { health.isEmpty && smoke.isEmpty && latency == nil }
}
