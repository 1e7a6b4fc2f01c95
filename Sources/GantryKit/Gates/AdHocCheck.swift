import Basics
import Config
import Foundation

/// A check given without a configuration (`gantry gate --http URL …`), to gate a deployment that
/// has none, such as staging. The command line's arguments conform, so that what the user typed
/// reaches the check as it is; errors name the options they came from.
package protocol AdHocCheck: Sendable {
    /// The URL an HTTP check requests.
    var http: String? { get }
    /// The `host:port` a TCP check connects to.
    var tcp: String? { get }
    /// The shell command a command check runs.
    var command: String? { get }
    /// The `https://` URL or `host:port` a certificate check shakes hands with.
    var tls: String? { get }
    /// The name the certificate must carry, instead of the host's.
    var hostname: String? { get }
    /// The fewest days the certificate must stay valid.
    var minimumDaysValid: Int? { get }
    /// The pinned public key: the base64 SHA-256 of its SubjectPublicKeyInfo.
    var publicKeySHA256: String? { get }
    /// The HTTP method.
    var method: String { get }
    /// Request headers, each `Name: value`.
    var headers: [String] { get }
    /// The request body.
    var body: String? { get }
    /// The allowed statuses; empty for 200–399.
    var statuses: [Int] { get }
    /// Headers the response must have, each `Name: value`.
    var expectedHeaders: [String] { get }
    /// Text the body must contain.
    var bodyContains: String? { get }
    /// A regular expression the body must match.
    var bodyMatches: String? { get }
    /// JSON paths and the values they must hold, each `$.path=value` (the value as JSON, or a bare string).
    var json: [String] { get }
    /// Whether the TLS certificate goes unverified.
    var isInsecure: Bool { get }
    /// A CA bundle to verify TLS with instead of the system's.
    var certificateAuthorityFile: String? { get }
    /// The redirects to follow.
    var maximumRedirects: Int { get }
    /// The longest the check may take, as a duration such as `2m`.
    var deadline: String? { get }
    /// The most attempts.
    var attempts: Int? { get }
    /// The wait between attempts, as a duration.
    var interval: String? { get }
    /// The longest wait between attempts when backing off, as a duration.
    var maximumInterval: String? { get }
    /// The longest one attempt may take, as a duration.
    var requestTimeout: String? { get }
    /// Passes in a row needed.
    var successThreshold: Int? { get }
    /// Failures in a row that fail the check.
    var failureThreshold: Int? { get }
}

extension AdHocCheck {
    /// Whether any check was given.
    package var isGiven: Bool { http != nil || tcp != nil || command != nil || tls != nil }

    /// The check, validated like a configured one; a usage error names the option at fault.
    package func check() throws(GantryError) -> GateCheck {
        let given = [("--http", http), ("--tcp", tcp), ("--tls", tls), ("--command", command)].filter { $0.1 != nil }
        guard given.count == 1, let (option, text) = given.first, let text else {
            throw .usage("give exactly one of --http URL, --tcp HOST:PORT, --tls HOST:PORT|URL or --command CMD")
        }
        guard option == "--tls" || (hostname == nil && minimumDaysValid == nil && publicKeySHA256 == nil) else {
            throw .usage("--hostname, --min-days-valid and --spki-sha256 apply to --tls checks only")
        }
        let template = try Self.template(text, option)
        let action: GateCheck.Action
        switch option {
        case "--http":
            var headerTemplates: [(name: String, value: ValueTemplate)] = []
            for header in headers {
                let (name, value) = try Self.split(header, option: "--header")
                headerTemplates.append((name, try Self.template(value, "--header")))
            }
            action = .http(
                HTTPCheck(
                    method: method, url: template, headers: headerTemplates,
                    body: try body.map { text throws(GantryError) in try Self.template(text, "--body") },
                    isInsecure: isInsecure, certificateAuthorityFile: certificateAuthorityFile, maximumRedirects: maximumRedirects,
                    allowsRedirectsToOtherHosts: false))
        case "--tcp": action = .tcp(address: template)
        case "--tls": action = .tls(try tlsCheck(template))
        default: action = .command(template)
        }
        guard
            option == "--http" || (statuses.isEmpty && expectedHeaders.isEmpty && bodyContains == nil && bodyMatches == nil && json.isEmpty)
        else {
            throw .usage("--expect-… options apply to --http checks only")
        }
        return GateCheck(
            name: option == "--http" ? "\(method) \(text)" : ["--tcp", "--tls"].contains(option) ? "\(option.dropFirst(2)) \(text)" : text,
            action: action,
            expectation: try expectation(), timing: try timing(), location: SourceLocation(file: "command line", line: 1, column: 1))
    }

    private func tlsCheck(_ target: ValueTemplate) throws(GantryError) -> TLSCheck {
        guard TLSProbe.address(target.text) != nil || target.text.contains("${") else {
            throw .usage("--tls must be HOST:PORT or an https:// URL, such as staging.example.com:443; got \"\(target.text)\"")
        }
        guard !isInsecure else {
            throw .usage("--insecure does not go with --tls, which exists to verify; give --ca FILE to trust a private CA")
        }
        let days = minimumDaysValid ?? TLSCheck.defaultMinimumDaysValid
        guard (0...3650).contains(days) else { throw .usage("--min-days-valid must be from 0 to 3650; got \(days)") }
        let pin = try publicKeySHA256.map { text throws(GantryError) in
            guard let pin = TLSCheck.pin(text) else {
                throw .usage(
                    "--spki-sha256 must be the base64 SHA-256 of the public key (44 characters ending in =), optionally after sha256//; got \"\(text)\""
                )
            }
            return pin
        }
        return TLSCheck(
            target: target, hostname: try hostname.map { text throws(GantryError) in try Self.template(text, "--hostname") },
            certificateAuthorityFile: certificateAuthorityFile, minimumDaysValid: days, publicKeySHA256: pin)
    }

    private func expectation() throws(GantryError) -> HTTPExpectation {
        var expectation = HTTPExpectation.success
        expectation.statuses = statuses
        for status in statuses where !HTTPExpectation.statusRange.contains(status) {
            throw .outOfRange(subject: "--expect-status", range: HTTPExpectation.statusRange, found: status)
        }
        for header in expectedHeaders { expectation.headers.append(try Self.split(header, option: "--expect-header")) }
        expectation.bodyContains = bodyContains
        if let bodyMatches {
            guard (try? NSRegularExpression(pattern: bodyMatches)) != nil else {
                throw .usage("--expect-body-matches is not a valid regular expression: \"\(bodyMatches)\"")
            }
            expectation.bodyMatches = bodyMatches
        }
        for entry in json {
            guard let equals = entry.firstIndex(of: "=") else {
                throw .invalidValue(subject: "--expect-json", expected: "be PATH=VALUE, such as '$.status=\"ok\"'", found: entry)
            }
            let path = String(entry[..<equals])
            if let problem = JSONPath.problem(with: path) { throw .usage("invalid JSON path `\(path)` in --expect-json: \(problem)") }
            let text = String(entry[entry.index(after: equals)...])
            expectation.json.append((path, JSONValue(parsing: Data(text.utf8)) ?? .string(text)))
        }
        return expectation
    }

    private func timing() throws(GantryError) -> GateTiming {
        var timing = GateTiming.defaults
        func duration(_ text: String?, _ option: String) throws(GantryError) -> Duration? {
            guard let text else { return nil }
            guard let value = DurationText.parse(text), value > .zero else {
                throw .invalidValue(subject: option, expected: "be a duration such as 500ms, 5s or 2m", found: text)
            }
            return value
        }
        if let value = try duration(deadline, "--deadline") { timing.deadline = value }
        if let attempts {
            guard GateTiming.attemptRange.contains(attempts) else {
                throw .outOfRange(subject: "--attempts", range: GateTiming.attemptRange, found: attempts)
            }
            timing.attempts = attempts
        }
        if let value = try duration(interval, "--interval") { timing.interval = value; timing.maximumInterval = value }
        if let value = try duration(maximumInterval, "--max-interval") {
            guard value >= timing.interval else { throw .usage("--max-interval must be at least the interval") }
            timing.maximumInterval = value
        }
        if let value = try duration(requestTimeout, "--request-timeout") { timing.requestTimeout = value }
        if let successThreshold {
            guard successThreshold >= 1 else { throw .usage("--success-threshold must be at least 1") }
            timing.successThreshold = successThreshold
        }
        if let failureThreshold {
            guard failureThreshold >= 1 else { throw .usage("--failure-threshold must be at least 1") }
            timing.failureThreshold = failureThreshold
        }
        return timing
    }

    private static func template(_ text: String, _ option: String) throws(GantryError) -> ValueTemplate {
        let template: ValueTemplate
        do {
            template = try ValueTemplate(parsing: text)
        } catch {
            throw .usage("\(option) \"\(text)\": \(error.message)")
        }
        guard !template.usesServiceVariables else {
            throw .usage("\(option) \"\(text)\": ${url} and ${port} need a service; write the address, or use a configuration with --url")
        }
        return template
    }

    private static func split(_ header: String, option: String) throws(GantryError) -> (name: String, value: String) {
        guard let colon = header.firstIndex(of: ":"), colon != header.startIndex else {
            throw .invalidValue(subject: option, expected: "be 'Name: value'", found: header)
        }
        return (String(header[..<colon]), String(header[header.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
    }
}
