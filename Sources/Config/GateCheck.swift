import Basics

/// A check of a running service: an HTTP request, a TCP connect or a command, with what it must
/// show. Strings may hold `${url}`, `${port}` and `${env.NAME}`, resolved just before the gates run.
package struct GateCheck: Sendable, Equatable {
    /// What a check does.
    package enum Action: Sendable, Equatable {
        /// Sends an HTTP request.
        case http(HTTPCheck)
        /// Connects to `host:port`.
        case tcp(address: ValueTemplate)
        /// Runs a shell command; exit code 0 passes.
        case command(ValueTemplate)
        /// Shakes hands with a TLS server and checks its certificate.
        case tls(TLSCheck)
    }

    /// The check's name in reports: given, or made from the action, such as "GET ${url}/health".
    package var name: String
    /// What it does.
    package var action: Action
    /// What the response must show (HTTP only).
    package var expectation: HTTPExpectation
    /// How often, how long and how many times; the `gates` settings, overridden per check.
    package var timing: GateTiming
    /// Where the check is written, for reports that point at it.
    package var location: SourceLocation

    /// Creates a check.
    package init(name: String, action: Action, expectation: HTTPExpectation, timing: GateTiming, location: SourceLocation) {
        self.name = name
        self.action = action
        self.expectation = expectation
        self.timing = timing
        self.location = location
    }
}

/// An HTTP request a check sends.
package struct HTTPCheck: Sendable, Equatable {
    /// The method, `GET` by default.
    package var method: String
    /// The URL.
    package var url: ValueTemplate
    /// Header fields, in order.
    package var headers: [(name: String, value: ValueTemplate)]
    /// The body; nil sends none.
    package var body: ValueTemplate?
    /// Whether the certificate goes unchecked (`insecure: true`): an explicit choice, shown in the report.
    package var isInsecure: Bool
    /// A CA bundle to verify the server with instead of the system's (`ca: FILE`).
    package var certificateAuthorityFile: String?
    /// How many redirects to follow (`follow_redirects`), 0 by default: a redirect is the answer.
    package var maximumRedirects: Int
    /// Whether a redirect may lead to another host (`allow_other_hosts`).
    package var allowsRedirectsToOtherHosts: Bool

    /// Creates a request.
    package init(
        method: String, url: ValueTemplate, headers: [(name: String, value: ValueTemplate)], body: ValueTemplate?, isInsecure: Bool,
        certificateAuthorityFile: String?, maximumRedirects: Int, allowsRedirectsToOtherHosts: Bool
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.isInsecure = isInsecure
        self.certificateAuthorityFile = certificateAuthorityFile
        self.maximumRedirects = maximumRedirects
        self.allowsRedirectsToOtherHosts = allowsRedirectsToOtherHosts
    }

    package static func == (left: HTTPCheck, right: HTTPCheck) -> Bool {
        left.method == right.method && left.url == right.url && left.body == right.body
            && left.headers.map(\.name) == right.headers.map(\.name) && left.headers.map(\.value) == right.headers.map(\.value)
            && left.isInsecure == right.isInsecure && left.certificateAuthorityFile == right.certificateAuthorityFile
            && left.maximumRedirects == right.maximumRedirects && left.allowsRedirectsToOtherHosts == right.allowsRedirectsToOtherHosts
    }
}

/// What an HTTP response must show to pass. Everything given must hold.
package struct HTTPExpectation: Sendable, Equatable {
    /// Allowed statuses; empty means 200–399, as Kubernetes probes count success.
    package var statuses: [Int]
    /// Header fields that must be present with these values (names compared without case).
    package var headers: [(name: String, value: String)]
    /// Text the body must contain.
    package var bodyContains: String?
    /// A regular expression the body must match.
    package var bodyMatches: String?
    /// JSON paths (`$.a.b[0]`) and the values they must hold.
    package var json: [(path: String, value: JSONValue)]
    /// The longest the whole exchange may take.
    package var maximumLatency: Duration?

    /// The statuses an expectation may name.
    package static let statusRange = 100...599

    /// No expectation beyond a 2xx or 3xx status.
    package static let success = HTTPExpectation(
        statuses: [], headers: [], bodyContains: nil, bodyMatches: nil, json: [], maximumLatency: nil)

    /// Whether `status` is allowed.
    package func allows(status: Int) -> Bool {
        statuses.isEmpty ? (200...399).contains(status) : statuses.contains(status)
    }

    package static func == (left: HTTPExpectation, right: HTTPExpectation) -> Bool {
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
package struct GateTiming: Sendable, Equatable {
    /// The attempts a check may be given.
    package static let attemptRange = 1...100_000

    /// The longest the check may take in all; nil is `defaultDeadline`, unless `attempts` is set.
    package var deadline: Duration?
    /// The most attempts the check may make; nil leaves it to the deadline.
    package var attempts: Int?
    /// The wait before the second attempt.
    package var interval: Duration
    /// The longest wait between attempts; the wait doubles from `interval` up to it.
    package var maximumInterval: Duration
    /// The longest one attempt may take.
    package var requestTimeout: Duration
    /// Passes in a row that pass the check.
    package var successThreshold: Int
    /// Failures in a row that fail the check; nil waits for the deadline.
    package var failureThreshold: Int?

    /// The defaults: poll 5 times a second, so a local service is seen ready within 0.2 s, for up to 2 minutes.
    package static let defaults = GateTiming(
        deadline: nil, attempts: nil, interval: .milliseconds(200), maximumInterval: .milliseconds(200),
        requestTimeout: .seconds(5), successThreshold: 1, failureThreshold: nil)

    /// The deadline when none is given and attempts are not counted.
    package static let defaultDeadline = Duration.seconds(120)

    /// The time the check may take: the deadline given; else, when attempts are counted, as long as
    /// they can take, so that "30 attempts every 10 s" is not cut short by the default deadline.
    package var effectiveDeadline: Duration {
        if let deadline { return deadline }
        guard let attempts else { return Self.defaultDeadline }
        return (requestTimeout + maximumInterval) * attempts
    }
}

/// The latency gate: `requests` requests, `concurrency` at a time, against budgets.
package struct LatencyGate: Sendable, Equatable {
    /// The request; by default a GET of the service's URL.
    package var check: HTTPCheck
    /// How many requests in all.
    package var requests: Int
    /// How many at once.
    package var concurrency: Int
    /// Budgets for the percentiles of the request time; nil is no budget.
    package var p50: Duration?
    /// The 95th percentile's budget.
    package var p95: Duration?
    /// The 99th percentile's budget.
    package var p99: Duration?
    /// The largest share of failed requests (an error or a status outside 200–399), 0 by default.
    package var errorRate: Double
    /// The longest one request may take.
    package var requestTimeout: Duration
    /// Where the gate is written.
    package var location: SourceLocation
    /// The open model's schedule; nil for the closed model, `requests` sent `concurrency` at a time.
    package var arrivals: ArrivalSchedule?
}

/// An open-model latency gate's schedule (`rate` and `duration`): requests fall due at a fixed
/// rate whatever the server does, and each is timed from when it fell due, so that a server that
/// stalls shows in the percentiles instead of merely being sent fewer requests.
package struct ArrivalSchedule: Sendable, Equatable {
    /// Requests a second.
    package var rate: Int
    /// How long requests keep falling due.
    package var duration: Duration

    /// How many requests fall due in all.
    package var requests: Int { Int((Double(rate) * duration.inSeconds).rounded()) }

    /// When request `index` (from 0) falls due, counted from the start.
    package func due(_ index: Int) -> Duration { .seconds(Double(index) / Double(rate)) }
}

/// The gates of one service, in the order they run: health, then smoke and latency.
package struct ServiceGates: Sendable, Equatable {
    /// Checks that wait for the service to be ready.
    package var health: [GateCheck]
    /// Checks that run once it is ready.
    package var smoke: [GateCheck]
    /// The latency gate, if any.
    package var latency: LatencyGate?

    /// Creates a service's gates.
    package init(health: [GateCheck], smoke: [GateCheck], latency: LatencyGate?) {
        self.health = health
        self.smoke = smoke
        self.latency = latency
    }

    /// No gates.
    package static let none = ServiceGates(health: [], smoke: [], latency: nil)

    /// Whether the service has any gate.
    package var isEmpty: Bool { health.isEmpty && smoke.isEmpty && latency == nil }
}
