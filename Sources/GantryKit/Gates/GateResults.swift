/// The timing of one attempt as libcurl measured it, in milliseconds from its start.
public struct AttemptTimings: Codable, Sendable, Equatable {
    /// Name lookup done.
    public var nameLookup: Double
    /// TCP connection made.
    public var connect: Double
    /// The TLS handshake's own duration; 0 without one.
    public var tlsHandshake: Double
    /// First byte of the response.
    public var firstByte: Double
    /// The whole exchange.
    public var total: Double

    enum CodingKeys: String, CodingKey {
        case nameLookup = "dns", connect, tlsHandshake = "tls", firstByte = "first_byte", total
    }
}

/// How a check ended.
public enum Verdict: String, Codable, Sendable {
    /// It passed.
    case passed
    /// It failed.
    case failed
    /// It did not run: a gate it waits for failed, or the run was stopped.
    case skipped
}

/// One check's result, as reports show it.
public struct CheckResult: Codable, Sendable, Equatable {
    /// The service checked; empty for an ad hoc check.
    public var service: String
    /// `health`, `smoke` or `check` (ad hoc).
    public var gate: String
    /// The check's name.
    public var name: String
    /// How it ended.
    public var verdict: Verdict
    /// Attempts made.
    public var attempts: Int
    /// Seconds from the first attempt to the verdict.
    public var elapsed: Double
    /// Seconds from the first attempt to the one that made it pass; nil unless it passed.
    public var timeToReady: Double?
    /// The last response's status, for HTTP checks that got one.
    public var status: Int?
    /// The start of the last response's body, bounded and escaped.
    public var body: String?
    /// The last attempt's timing, for HTTP and TCP checks.
    public var timings: AttemptTimings?
    /// What happened in plain words: why it failed, or how it passed.
    public var message: String
    /// Whether TLS verification was turned off for it (`insecure: true`).
    public var isInsecure: Bool
    /// Where the check is written in the configuration; nil for ad hoc checks.
    public var location: SourceLocation?

    enum CodingKeys: String, CodingKey {
        case service, gate, name, verdict, attempts, elapsed, timeToReady = "time_to_ready", status, body, timings, message
        case isInsecure = "insecure", location
    }
}

/// A latency gate's result.
public struct LatencyResult: Codable, Sendable, Equatable {
    /// The service measured.
    public var service: String
    /// How it ended.
    public var verdict: Verdict
    /// Requests sent.
    public var requests: Int
    /// Requests at once.
    public var concurrency: Int
    /// Requests that failed (no response, or a status outside 200–399).
    public var errors: Int
    /// Percentiles of the request time, in milliseconds.
    public var p50: Double
    /// The 95th percentile.
    public var p95: Double
    /// The 99th percentile.
    public var p99: Double
    /// Requests completed per second of wall time.
    public var requestsPerSecond: Double
    /// What was measured against which budget, or why it failed.
    public var message: String
    /// Open model only: requests that fell due while every connection was busy, so were sent late.
    public var late: Int?
    /// Where the gate is written.
    public var location: SourceLocation?

    enum CodingKeys: String, CodingKey {
        case service, verdict, requests, concurrency, errors, p50, p95, p99, requestsPerSecond = "requests_per_second", message, late, location
    }
}

/// Everything `gantry gate` found, as recorded and as `--format json` prints it.
public struct GatesDocument: Codable, Sendable, Equatable {
    /// Health and smoke checks, and ad hoc checks, in the order the configuration lists them.
    public var checks: [CheckResult]
    /// Latency gates.
    public var latency: [LatencyResult]

    /// Whether every gate passed (skipped ones count as not passed).
    public var passed: Bool {
        checks.allSatisfy { $0.verdict == .passed } && latency.allSatisfy { $0.verdict == .passed }
    }

    /// Creates a document.
    public init(checks: [CheckResult], latency: [LatencyResult]) {
        self.checks = checks
        self.latency = latency
    }
}
