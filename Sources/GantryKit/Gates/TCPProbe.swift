import HTTP

/// A TCP check: passes when a connection to the address is accepted.
struct TCPProbe: Probe {
    /// The session whose loop makes the connection, beside the HTTP checks.
    var session: HTTPSession
    /// The host: a name, an IPv4 address, or an IPv6 address without brackets.
    var host: String
    /// The port.
    var port: Int

    func attempt(timeout: Duration) async -> AttemptOutcome {
        do {
            let timings = try await session.connect(host: host, port: port, timeout: timeout)
            return AttemptOutcome(passed: true, timings: AttemptTimings(timings))
        } catch {
            return AttemptOutcome(
                passed: false, failure: error.message, timedOut: error.code == .timeout, couldNotConnect: error.code == .couldNotConnect)
        }
    }

    func waitUntilAccepting(until deadline: ContinuousClock.Instant) async -> Bool {
        await session.waitUntilAccepting(host: host, port: port, until: deadline)
    }

    /// Splits `host:port` (IPv6 as `[::1]:port`); nil when it is not that.
    static func address(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else {
            return nil
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains("/") else { return nil }
        return (host, port)
    }
}
