/// One attempt of a check: a request, a connection or a command.
struct AttemptOutcome: Sendable {
    /// Whether the attempt passed.
    var passed: Bool
    /// Why it failed, in plain words, such as "expected status 200, got 503".
    var failure: String?
    /// Whether it failed because its timeout ran out.
    var timedOut = false
    /// Whether it failed because no connection could be made, so no request was sent.
    var couldNotConnect = false
    /// The response's status, when there was one.
    var status: Int?
    /// The start of the response's body, escaped.
    var body: String?
    /// The timing libcurl measured.
    var timings: AttemptTimings?
    /// What a `tls` check saw of the server.
    var certificate: CertificateReport?
}

/// What a check does once: a real seam, since HTTP, TCP and commands are checked differently but
/// repeated, timed and reported the same way (`Prober`).
protocol Probe: Sendable {
    /// Makes one attempt, which must end within `timeout`.
    func attempt(timeout: Duration) async -> AttemptOutcome

    /// Returns true as soon as the port the attempts connect to accepts a connection, false at
    /// `deadline` or at once when the probe cannot watch a port.
    func waitUntilAccepting(until deadline: ContinuousClock.Instant) async -> Bool
}

extension Probe {
    func waitUntilAccepting(until deadline: ContinuousClock.Instant) async -> Bool { false }
}
