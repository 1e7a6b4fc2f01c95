import Basics
import Foundation
import Yams

extension Configuration {
    /// The keys of `gates` (defaults for every check) and of a check (its own overrides).
    static let timingKeys = [
        "deadline", "attempts", "interval", "max_interval", "request_timeout", "success_threshold", "failure_threshold",
    ]
    /// The keys a check may have.
    static let checkKeys =
        ["name", "http", "tcp", "command", "tls", "expect", "insecure", "ca", "follow_redirects", "allow_other_hosts"]
        + tlsKeys + timingKeys
    /// The keys only a `tls` check has.
    static let tlsKeys = ["hostname", "min_days_valid", "spki_sha256"]
    /// The keys of a check's `expect`.
    static let expectationKeys = ["status", "headers", "body_contains", "body_matches", "json", "max_latency"]
    /// The keys of an `http` mapping.
    static let requestKeys = ["method", "url", "headers", "body"]
    /// The keys of `latency`.
    static let latencyKeys = ["http", "requests", "rate", "duration", "concurrency", "p50", "p95", "p99", "error_rate", "request_timeout"]

    /// Reads the top-level `gates`: timing defaults for every check.
    static func readGateTiming(_ node: Node?, with reader: inout YAMLReader) -> GateTiming {
        guard let node, let entries = reader.mapping(node, "gates", expected: "a mapping of timing settings") else { return .defaults }
        reader.rejectUnknownKeys(entries, known: timingKeys, in: "`gates`")
        return readTiming(entries, base: .defaults, field: "gates", with: &reader)
    }

    /// Reads a service's `health`, `smoke` and `latency`.
    static func readGates(
        _ value: (String) -> YAMLReader.Entry?, service: String, timing: GateTiming, with reader: inout YAMLReader
    ) -> ServiceGates {
        var gates = ServiceGates.none
        if let entry = value("health") {
            gates.health = readChecks(entry.value, "services.\(service).health", timing: timing, with: &reader)
        }
        if let entry = value("smoke") {
            // A smoke check runs against a ready service: a wrong answer is final at once.
            var smokeTiming = timing
            smokeTiming.failureThreshold = smokeTiming.failureThreshold ?? 1
            gates.smoke = readChecks(entry.value, "services.\(service).smoke", timing: smokeTiming, with: &reader)
        }
        if let entry = value("latency") {
            gates.latency = readLatency(entry.value, "services.\(service).latency", timing: timing, with: &reader)
        }
        return gates
    }

    private static func readChecks(_ node: Node, _ field: String, timing: GateTiming, with reader: inout YAMLReader) -> [GateCheck] {
        // One check written without a list is a list of one, as a string is elsewhere.
        if case .scalar = node { return readCheck(node, field, timing: timing, with: &reader).map { [$0] } ?? [] }
        if case .mapping = node { return readCheck(node, field, timing: timing, with: &reader).map { [$0] } ?? [] }
        guard case .sequence(let sequence) = node else {
            reader.report(
                "`\(field)` must be a list of checks, such as - http: \"${url}/health\"; got \(reader.describe(node))", at: node,
                kind: .wrongType)
            return []
        }
        return sequence.enumerated().compactMap { index, item in
            readCheck(item, "\(field)[\(index)]", timing: timing, with: &reader)
        }
    }

    private static func readCheck(_ node: Node, _ field: String, timing: GateTiming, with reader: inout YAMLReader) -> GateCheck? {
        let location = reader.location(of: node)
        // A bare string is the commonest check: a GET that must answer 2xx or 3xx.
        if case .scalar = node {
            guard let url = urlTemplate(node, field, with: &reader) else { return nil }
            return GateCheck(
                name: "GET \(url.text)", action: .http(request(url: url)), expectation: .success, timing: timing, location: location)
        }
        guard let entries = reader.mapping(node, field, expected: "a check: a mapping with `http`, `tcp`, `tls` or `command`") else {
            return nil
        }
        reader.rejectUnknownKeys(entries, known: checkKeys, in: "`\(field)`")
        let value = { (key: String) in entries.first { $0.key == key } }
        let actions = entries.filter { ["http", "tcp", "tls", "command"].contains($0.key) }
        guard actions.count == 1, let actionEntry = actions.first else {
            let found = actions.isEmpty ? "none" : actions.map { "`\($0.key)`" }.joined(separator: " and ")
            reader.report(
                "`\(field)` must have exactly one of `http`, `tcp`, `tls` or `command`; found \(found)", at: node, kind: .invalidValue)
            return nil
        }
        // A key of another kind of check is a mistake to report, not a setting to ignore.
        let misplaced =
            actionEntry.key == "tls"
            ? entries.first { $0.key == "insecure" } : entries.first { tlsKeys.contains($0.key) }
        if let misplaced {
            let why =
                misplaced.key == "insecure"
                ? "a `tls` check exists to verify the certificate; give it `ca:` to trust a private authority"
                : "`\(misplaced.key)` applies to `tls` checks only"
            reader.report(why, at: misplaced.keyNode, kind: .invalidValue)
            return nil
        }
        let checkTiming = readTiming(entries, base: timing, field: field, with: &reader)
        var expectation = HTTPExpectation.success
        if let expect = value("expect") {
            guard actionEntry.key == "http" else {
                reader.report(
                    "`expect` applies to `http` checks only; a \(actionEntry.key) check passes when it succeeds", at: expect.keyNode,
                    kind: .invalidValue)
                return nil
            }
            expectation = readExpectation(expect.value, "\(field).expect", with: &reader)
        }
        let action: GateCheck.Action
        let defaultName: String
        switch actionEntry.key {
        case "http":
            guard var request = readRequest(actionEntry.value, "\(field).http", with: &reader) else { return nil }
            request.isInsecure = value("insecure").flatMap { reader.bool($0.value, "\(field).insecure") } ?? false
            request.certificateAuthorityFile = value("ca").flatMap { reader.string($0.value, "\(field).ca") }
            request.maximumRedirects =
                value("follow_redirects").flatMap { entry in
                    reader.integer(entry.value, "\(field).follow_redirects", in: 0...20)
                } ?? 0
            request.allowsRedirectsToOtherHosts =
                value("allow_other_hosts").flatMap { reader.bool($0.value, "\(field).allow_other_hosts") } ?? false
            action = .http(request)
            defaultName = "\(request.method) \(request.url.text)"
        case "tls":
            guard let check = readTLSCheck(entries, target: actionEntry.value, field, with: &reader) else { return nil }
            action = .tls(check)
            defaultName = "tls \(check.target.text)"
        case "tcp":
            guard let address = template(actionEntry.value, "\(field).tcp", with: &reader) else { return nil }
            if !address.text.contains(":") {
                reader.report(
                    "`\(field).tcp` must be host:port, such as 127.0.0.1:${port}; got \"\(address.text)\"", at: actionEntry.value,
                    kind: .invalidValue)
            }
            action = .tcp(address: address)
            defaultName = "tcp \(address.text)"
        default:
            guard let command = template(actionEntry.value, "\(field).command", with: &reader) else { return nil }
            action = .command(command)
            defaultName = command.text
        }
        let name = value("name").flatMap { reader.string($0.value, "\(field).name") } ?? defaultName
        return GateCheck(name: name, action: action, expectation: expectation, timing: checkTiming, location: location)
    }

    private static func readTLSCheck(_ entries: [YAMLReader.Entry], target node: Node, _ field: String, with reader: inout YAMLReader)
        -> TLSCheck?
    {
        let value = { (key: String) in entries.first { $0.key == key } }
        guard let target = template(node, "\(field).tls", with: &reader) else { return nil }
        let text = target.text
        // `${url}` (or any template starting with a variable) is checked once resolved.
        guard text.hasPrefix("https://") || text.hasPrefix("${") || (!text.contains("://") && text.contains(":")) else {
            reader.report(
                "`\(field).tls` must be an https:// URL or host:port, such as \"${url}\" or staging.example.com:443; got \"\(text)\"",
                at: node, kind: .invalidValue)
            return nil
        }
        var check = TLSCheck(
            target: target, hostname: nil, certificateAuthorityFile: value("ca").flatMap { reader.string($0.value, "\(field).ca") },
            minimumDaysValid: TLSCheck.defaultMinimumDaysValid, publicKeySHA256: nil)
        if let entry = value("hostname") { check.hostname = template(entry.value, "\(field).hostname", with: &reader) }
        if let entry = value("min_days_valid"), let days = reader.integer(entry.value, "\(field).min_days_valid", in: 0...3650) {
            check.minimumDaysValid = days
        }
        if let entry = value("spki_sha256"), let text = reader.string(entry.value, "\(field).spki_sha256") {
            guard let pin = TLSCheck.pin(text) else {
                reader.report(
                    "`\(field).spki_sha256` must be the base64 SHA-256 of the public key, 44 characters ending in =, optionally after "
                        + "sha256// (as curl's --pinnedpubkey takes it); got \"\(text)\"", at: entry.value, kind: .invalidValue)
                return nil
            }
            check.publicKeySHA256 = pin
        }
        return check
    }

    private static func request(url: ValueTemplate) -> HTTPCheck {
        HTTPCheck(
            method: "GET", url: url, headers: [], body: nil, isInsecure: false, certificateAuthorityFile: nil, maximumRedirects: 0,
            allowsRedirectsToOtherHosts: false)
    }

    private static func readRequest(_ node: Node, _ field: String, with reader: inout YAMLReader) -> HTTPCheck? {
        if case .scalar = node { return urlTemplate(node, field, with: &reader).map(request(url:)) }
        guard
            let entries = reader.mapping(node, field, expected: "a URL, or a mapping with `url` and optionally `method`, `headers`, `body`")
        else {
            return nil
        }
        reader.rejectUnknownKeys(entries, known: requestKeys, in: "`\(field)`")
        let value = { (key: String) in entries.first { $0.key == key } }
        guard let urlEntry = value("url") else {
            reader.report("`\(field)` needs a `url`, such as url: \"${url}/api/health\"", at: node, kind: .invalidValue)
            return nil
        }
        guard let url = urlTemplate(urlEntry.value, "\(field).url", with: &reader) else { return nil }
        var check = request(url: url)
        if let entry = value("method"), let method = reader.string(entry.value, "\(field).method") {
            if method.allSatisfy({ $0.isASCII && ($0.isUppercase || $0 == "-") }) {
                check.method = method
            } else {
                reader.report(
                    "`\(field).method` must be an HTTP method in capitals, such as GET or POST; got \"\(method)\"", at: entry.value,
                    kind: .invalidValue)
            }
        }
        if let entry = value("headers") { check.headers = readHeaders(entry.value, "\(field).headers", with: &reader) }
        if let entry = value("body") { check.body = template(entry.value, "\(field).body", with: &reader) }
        return check
    }

    private static func readHeaders(_ node: Node, _ field: String, with reader: inout YAMLReader) -> [(name: String, value: ValueTemplate)]
    {
        guard let entries = reader.mapping(node, field, expected: "a mapping of header names to values") else { return [] }
        return entries.compactMap { entry in
            guard entry.key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_".contains($0)) }), !entry.key.isEmpty else {
                reader.report(
                    "invalid header name `\(entry.key)` in `\(field)`: use letters, digits and -", at: entry.keyNode, kind: .invalidValue)
                return nil
            }
            return template(entry.value, "\(field).\(entry.key)", with: &reader).map { (entry.key, $0) }
        }
    }

    private static func readExpectation(_ node: Node, _ field: String, with reader: inout YAMLReader) -> HTTPExpectation {
        var expectation = HTTPExpectation.success
        guard let entries = reader.mapping(node, field, expected: "a mapping such as {status: 200, body_contains: ok}") else {
            return expectation
        }
        reader.rejectUnknownKeys(entries, known: expectationKeys, in: "`\(field)`")
        for entry in entries {
            let key = "\(field).\(entry.key)"
            switch entry.key {
            case "status":
                let items: [Node] = if case .sequence(let sequence) = entry.value { Array(sequence) } else { [entry.value] }
                expectation.statuses = items.compactMap { reader.integer($0, key, in: HTTPExpectation.statusRange) }
            case "headers":
                let headers = readHeaders(entry.value, key, with: &reader)
                expectation.headers = headers.map { ($0.name, $0.value.text) }
            case "body_contains":
                expectation.bodyContains = reader.string(entry.value, key)
            case "body_matches":
                if let pattern = reader.string(entry.value, key) {
                    do {
                        _ = try NSRegularExpression(pattern: pattern)
                        expectation.bodyMatches = pattern
                    } catch {
                        reader.report("`\(key)` is not a valid regular expression: \"\(pattern)\"", at: entry.value, kind: .invalidValue)
                    }
                }
            case "json":
                guard
                    let paths = reader.mapping(entry.value, key, expected: "a mapping of JSON paths to values, such as {\"$.status\": ok}")
                else { continue }
                for path in paths {
                    if let problem = JSONPath.problem(with: path.key) {
                        reader.report("invalid JSON path `\(path.key)` in `\(key)`: \(problem)", at: path.keyNode, kind: .invalidValue)
                    } else if let value = reader.jsonValue(path.value, "\(key).\(path.key)") {
                        expectation.json.append((path.key, value))
                    }
                }
            case "max_latency":
                expectation.maximumLatency = reader.duration(entry.value, key)
            default:
                break
            }
        }
        return expectation
    }

    private static func readLatency(_ node: Node, _ field: String, timing: GateTiming, with reader: inout YAMLReader) -> LatencyGate? {
        guard let entries = reader.mapping(node, field, expected: "a mapping such as {requests: 100, concurrency: 10, p95: 300ms}") else {
            return nil
        }
        reader.rejectUnknownKeys(entries, known: latencyKeys, in: "`\(field)`")
        let value = { (key: String) in entries.first { $0.key == key } }
        var check = request(url: .serviceURL)
        if let entry = value("http") {
            guard let request = readRequest(entry.value, "\(field).http", with: &reader) else { return nil }
            check = request
        }
        let arrivals = readArrivals(value("rate"), value("duration"), requests: value("requests"), field, with: &reader)
        let requests =
            arrivals?.requests ?? value("requests").flatMap {
                reader.integer($0.value, "\(field).requests", in: 1...maximumLatencyRequests)
            } ?? 100
        let concurrency = value("concurrency").flatMap { reader.integer($0.value, "\(field).concurrency", in: 1...1000) } ?? 10
        var errorRate = 0.0
        if let entry = value("error_rate") {
            if case .scalar(let scalar) = entry.value, let rate = Double(scalar.string), (0...1).contains(rate) {
                errorRate = rate
            } else {
                reader.report(
                    "`\(field).error_rate` must be a fraction from 0 to 1, such as 0.01; got \(reader.describe(entry.value))",
                    at: entry.value, kind: .invalidValue)
            }
        }
        return LatencyGate(
            check: check, requests: requests, concurrency: min(concurrency, requests),
            p50: value("p50").flatMap { reader.duration($0.value, "\(field).p50") },
            p95: value("p95").flatMap { reader.duration($0.value, "\(field).p95") },
            p99: value("p99").flatMap { reader.duration($0.value, "\(field).p99") }, errorRate: errorRate,
            requestTimeout: value("request_timeout").flatMap { reader.duration($0.value, "\(field).request_timeout") }
                ?? timing.requestTimeout,
            location: reader.location(of: node), arrivals: arrivals)
    }

    /// The most requests one latency gate may send, in either model.
    static let maximumLatencyRequests = 1_000_000

    /// The open model's `rate` and `duration`, which come together and replace `requests`; nil
    /// for the closed model or when they are wrong (with a diagnostic).
    private static func readArrivals(
        _ rate: YAMLReader.Entry?, _ duration: YAMLReader.Entry?, requests: YAMLReader.Entry?, _ field: String,
        with reader: inout YAMLReader
    ) -> ArrivalSchedule? {
        guard let rate else {
            if let duration {
                reader.report(
                    "`\(field).duration` belongs to the open model: give a `rate` too, such as rate: 500/s, or count requests with `requests`",
                    at: duration.value, kind: .invalidValue)
            }
            return nil
        }
        if let requests {
            reader.report(
                "`\(field).requests` is the closed model's count; with `rate`, rate × duration requests are sent: remove one of them",
                at: requests.value, kind: .invalidValue)
        }
        guard case .scalar(let scalar) = rate.value, scalar.string.hasSuffix("/s"),
            let perSecond = Int(scalar.string.dropLast(2)), (1...100_000).contains(perSecond)
        else {
            reader.report(
                "`\(field).rate` must be requests a second from 1/s to 100000/s, such as 500/s; got \(reader.describe(rate.value))",
                at: rate.value, kind: .invalidValue)
            return nil
        }
        guard let duration else {
            reader.report(
                "`\(field).rate` needs a `duration`, how long requests fall due, such as duration: 10s", at: rate.value, kind: .invalidValue
            )
            return nil
        }
        guard let length = reader.duration(duration.value, "\(field).duration") else { return nil }
        let schedule = ArrivalSchedule(rate: perSecond, duration: length)
        guard (1...maximumLatencyRequests).contains(schedule.requests) else {
            reader.report(
                "`\(field).rate` × `duration` is \(schedule.requests) requests; it must be from 1 to \(maximumLatencyRequests)",
                at: duration.value, kind: .invalidValue)
            return nil
        }
        return schedule
    }

    private static func readTiming(_ entries: [YAMLReader.Entry], base: GateTiming, field: String, with reader: inout YAMLReader)
        -> GateTiming
    {
        var timing = base
        let value = { (key: String) in entries.first { $0.key == key } }
        if let entry = value("deadline"), let duration = reader.duration(entry.value, "\(field).deadline") { timing.deadline = duration }
        if let entry = value("attempts"), let count = reader.integer(entry.value, "\(field).attempts", in: GateTiming.attemptRange) {
            timing.attempts = count
        }
        if let entry = value("interval"), let duration = reader.duration(entry.value, "\(field).interval") {
            timing.interval = duration
            // An interval alone is a fixed interval; back-off is asked for with max_interval.
            if value("max_interval") == nil {
                timing.maximumInterval = max(duration, base.maximumInterval == base.interval ? duration : base.maximumInterval)
            }
        }
        if let entry = value("max_interval"), let duration = reader.duration(entry.value, "\(field).max_interval") {
            if duration < timing.interval {
                reader.report(
                    "`\(field).max_interval` must be at least the interval (\(DurationText.format(timing.interval)))", at: entry.value,
                    kind: .invalidValue)
            } else {
                timing.maximumInterval = duration
            }
        }
        if let entry = value("request_timeout"), let duration = reader.duration(entry.value, "\(field).request_timeout") {
            timing.requestTimeout = duration
        }
        if let entry = value("success_threshold"), let count = reader.integer(entry.value, "\(field).success_threshold", in: 1...1000) {
            timing.successThreshold = count
        }
        if let entry = value("failure_threshold"), let count = reader.integer(entry.value, "\(field).failure_threshold", in: 1...1000) {
            timing.failureThreshold = count
        }
        return timing
    }

    /// A URL: `http://…`, `https://…`, or a variable that holds one, such as `${url}/health`.
    private static func urlTemplate(_ node: Node, _ field: String, with reader: inout YAMLReader) -> ValueTemplate? {
        guard let url = template(node, field, with: &reader) else { return nil }
        guard ["http://", "https://", "${"].contains(where: url.text.hasPrefix) else {
            reader.report(
                "`\(field)` must be an http:// or https:// URL, such as \"${url}/health\"; got \"\(url.text)\"", at: node,
                kind: .invalidValue)
            return nil
        }
        return url
    }

    private static func template(_ node: Node, _ field: String, with reader: inout YAMLReader) -> ValueTemplate? {
        guard let text = reader.string(node, field) else { return nil }
        do {
            return try ValueTemplate(parsing: text)
        } catch {
            reader.report("`\(field)`: \(error.message)", at: reader.location(of: node, offset: error.offset), kind: .invalidValue)
            return nil
        }
    }
}
