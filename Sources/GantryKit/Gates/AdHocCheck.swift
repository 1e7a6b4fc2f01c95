import Foundation
import Basics

/// A check given on the command line (`gantry gate --http URL …`), to gate a deployment that has
/// no configuration, such as staging.
package struct AdHocCheck: Sendable {
    /// `--http URL`.
    package var http: String?
    /// `--tcp HOST:PORT`.
    package var tcp: String?
    /// `--command CMD`.
    package var command: String?
    /// `--method`.
    package var method: String = "GET"
    /// `--header 'Name: value'`, repeatable.
    package var headers: [String] = []
    /// `--body`.
    package var body: String?
    /// `--expect-status`, repeatable.
    package var statuses: [Int] = []
    /// `--expect-header 'Name: value'`, repeatable.
    package var expectedHeaders: [String] = []
    /// `--expect-body-contains`.
    package var bodyContains: String?
    /// `--expect-body-matches`.
    package var bodyMatches: String?
    /// `--expect-json '$.path=value'` (value as JSON, or a bare string), repeatable.
    package var json: [String] = []
    /// `--insecure`.
    package var isInsecure = false
    /// `--ca FILE`.
    package var certificateAuthorityFile: String?
    /// `--follow-redirects N`.
    package var maximumRedirects = 0
    /// Timing overrides: `--deadline`, `--interval`, `--max-interval`, `--request-timeout` as text.
    package var deadline: String?
    /// `--attempts`.
    package var attempts: Int?
    /// `--interval`.
    package var interval: String?
    /// `--max-interval`.
    package var maximumInterval: String?
    /// `--request-timeout`.
    package var requestTimeout: String?
    /// `--success-threshold`.
    package var successThreshold: Int?
    /// `--failure-threshold`.
    package var failureThreshold: Int?

    /// Creates empty options.
    package init() {}

    /// Whether any check was given.
    package var isGiven: Bool { http != nil || tcp != nil || command != nil }

    /// The check, validated like a configured one; a usage error names the option at fault.
    package func check() throws(GantryError) -> GateCheck {
        let given = [("--http", http), ("--tcp", tcp), ("--command", command)].filter { $0.1 != nil }
        guard given.count == 1, let (option, text) = given.first, let text else {
            throw .usage("give exactly one of --http URL, --tcp HOST:PORT or --command CMD")
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
                    method: method, url: template, headers: headerTemplates, body: try body.map { text throws(GantryError) in try Self.template(text, "--body") },
                    isInsecure: isInsecure, certificateAuthorityFile: certificateAuthorityFile, maximumRedirects: maximumRedirects,
                    allowsRedirectsToOtherHosts: false))
        case "--tcp": action = .tcp(address: template)
        default: action = .command(template)
        }
        guard option == "--http" || (statuses.isEmpty && expectedHeaders.isEmpty && bodyContains == nil && bodyMatches == nil && json.isEmpty) else {
            throw .usage("--expect-… options apply to --http checks only")
        }
        return GateCheck(
            name: option == "--http" ? "\(method) \(text)" : option == "--tcp" ? "tcp \(text)" : text, action: action,
            expectation: try expectation(), timing: try timing(), location: SourceLocation(file: "command line", line: 1, column: 1))
    }

    private func expectation() throws(GantryError) -> HTTPExpectation {
        var expectation = HTTPExpectation.success
        expectation.statuses = statuses
        for status in statuses where !(100...599).contains(status) { throw .usage("--expect-status must be from 100 to 599; got \(status)") }
        for header in expectedHeaders { expectation.headers.append(try Self.split(header, option: "--expect-header")) }
        expectation.bodyContains = bodyContains
        if let bodyMatches {
            guard (try? NSRegularExpression(pattern: bodyMatches)) != nil else {
                throw .usage("--expect-body-matches is not a valid regular expression: \"\(bodyMatches)\"")
            }
            expectation.bodyMatches = bodyMatches
        }
        for entry in json {
            guard let equals = entry.firstIndex(of: "=") else { throw .usage("--expect-json must be PATH=VALUE, such as '$.status=\"ok\"'; got \"\(entry)\"") }
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
            guard let value = DurationText.parse(text), value > .zero else { throw .usage("\(option) must be a duration such as 500ms, 5s or 2m; got \"\(text)\"") }
            return value
        }
        if let value = try duration(deadline, "--deadline") { timing.deadline = value }
        if let attempts {
            guard (1...100_000).contains(attempts) else { throw .usage("--attempts must be from 1 to 100000; got \(attempts)") }
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
            throw .usage("\(option) must be 'Name: value'; got \"\(header)\"")
        }
        return (String(header[..<colon]), String(header[header.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
    }
}
