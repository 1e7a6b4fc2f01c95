import Basics

/// The timing of one attempt as libcurl measured it, in milliseconds from its start.
package struct AttemptTimings: Codable, Sendable, Equatable {
    /// Name lookup done.
    package var nameLookup: Double
    /// TCP connection made.
    package var connect: Double
    /// The TLS handshake's own duration; 0 without one.
    package var tlsHandshake: Double
    /// First byte of the response.
    package var firstByte: Double
    /// The whole exchange.
    package var total: Double

    enum CodingKeys: String, CodingKey {
        case nameLookup = "dns", connect, tlsHandshake = "tls", firstByte = "first_byte", total
    }
}

/// How a check ended.
package enum Verdict: String, Codable, Sendable {
    /// It passed.
    case passed
    /// It failed.
    case failed
    /// It did not run: a gate it waits for failed, or the run was stopped.
    case skipped
}

/// One check's result, as reports show it.
package struct CheckResult: Codable, Sendable, Equatable {
    /// The service checked; empty for an ad hoc check.
    package var service: String
    /// `health`, `smoke` or `check` (ad hoc).
    package var gate: String
    /// The check's name.
    package var name: String
    /// How it ended.
    package var verdict: Verdict
    /// Attempts made.
    package var attempts: Int
    /// Seconds from the first attempt to the verdict.
    package var elapsed: Double
    /// Seconds from the first attempt to the one that made it pass; nil unless it passed.
    package var timeToReady: Double?
    /// The last response's status, for HTTP checks that got one.
    package var status: Int?
    /// The start of the last response's body, bounded and escaped.
    package var body: String?
    /// The last attempt's timing, for HTTP and TCP checks.
    package var timings: AttemptTimings?
    /// What a `tls` check saw: the certificate, protocol and cipher.
    package var certificate: CertificateReport?
    /// What happened in plain words: why it failed, or how it passed.
    package var message: String
    /// Whether TLS verification was turned off for it (`insecure: true`).
    package var isInsecure: Bool
    /// Where the check is written in the configuration; nil for ad hoc checks.
    package var location: SourceLocation?

    /// Creates a result.
    package init(
        service: String, gate: String, name: String, verdict: Verdict, attempts: Int, elapsed: Double, timeToReady: Double? = nil,
        status: Int? = nil, body: String? = nil, timings: AttemptTimings? = nil, certificate: CertificateReport? = nil,
        message: String, isInsecure: Bool, location: SourceLocation? = nil
    ) {
        self.service = service
        self.gate = gate
        self.name = name
        self.verdict = verdict
        self.attempts = attempts
        self.elapsed = elapsed
        self.timeToReady = timeToReady
        self.status = status
        self.body = body
        self.timings = timings
        self.certificate = certificate
        self.message = message
        self.isInsecure = isInsecure
        self.location = location
    }

    enum CodingKeys: String, CodingKey {
        case service, gate, name, verdict, attempts, elapsed, timeToReady = "time_to_ready", status, body, timings, certificate, message
        case isInsecure = "insecure", location
    }
}

/// A latency gate's result.
package struct LatencyResult: Codable, Sendable, Equatable {
    /// The service measured.
    package var service: String
    /// How it ended.
    package var verdict: Verdict
    /// Requests sent.
    package var requests: Int
    /// Requests at once.
    package var concurrency: Int
    /// Requests that failed (no response, or a status outside 200–399).
    package var errors: Int
    /// Percentiles of the request time, in milliseconds.
    package var p50: Double
    /// The 95th percentile.
    package var p95: Double
    /// The 99th percentile.
    package var p99: Double
    /// Requests completed per second of wall time.
    package var requestsPerSecond: Double
    /// What was measured against which budget, or why it failed.
    package var message: String
    /// Open model only: requests that fell due while every connection was busy, so were sent late.
    package var late: Int?
    /// Where the gate is written.
    package var location: SourceLocation?

    enum CodingKeys: String, CodingKey {
        case service, verdict, requests, concurrency, errors, p50, p95, p99, requestsPerSecond = "requests_per_second", message, late,
            location
    }
}
