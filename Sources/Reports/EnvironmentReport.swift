import Basics
import Config

/// How the `env` commands present an environment: text, JSON, step outputs and variables.
package struct EnvironmentReport {
    /// What happened.
    package var document: EnvironmentDocument

    /// Creates a report.
    package init(_ document: EnvironmentDocument) { self.document = document }

    /// The document as JSON.
    package func json() -> String { JSON.encode(document, pretty: true) }

    /// `environment` (its name), `urls` (a JSON object of each service's URL), `<service>-url` per
    /// service, `logs` (the log directory, for upload-artifact), `ca-bundle` (the trust bundle, when
    /// a service serves TLS) and `json` (the document, compact).
    package func stepOutputs() -> [(name: String, value: String)] {
        guard !document.name.isEmpty, document.state != .none else { return [] }
        let urls = Dictionary(document.endpoints.map { ($0.service, $0.url) }, uniquingKeysWith: { first, _ in first })
        var outputs: [(name: String, value: String)] = [
            ("environment", document.name), ("urls", JSON.encode(urls)), ("json", JSON.encode(document)),
        ]
        for endpoint in document.endpoints { outputs.append(("\(endpoint.service)-url", endpoint.url)) }
        if let bundle = document.caBundle { outputs.append(("ca-bundle", bundle)) }
        if let log = document.logs.values.sorted().first {
            outputs.append(("logs", String(log[..<(log.lastIndex(of: "/") ?? log.endIndex)])))
        }
        return outputs
    }

    /// `<SERVICE>_URL` for each service and `GANTRY_ENVIRONMENT`, for later steps (Playwright, pytest).
    package func environmentVariables() -> [(name: String, value: String)] {
        guard document.state == .up else { return [] }
        return [(ProcessSession.environmentVariable, document.name)]
            + document.endpoints.map { (Configuration.urlVariable(of: $0.service), $0.url) }
    }

    /// For people; names are escaped.
    package func text() -> String {
        var lines: [String] = []
        if !document.name.isEmpty { lines.append("environment \(document.name) (\(document.provider)): \(document.state.rawValue)") }
        for endpoint in document.endpoints { lines.append("  \(endpoint.service)  \(endpoint.url)") }
        for name in document.removed { lines.append("removed \(name)") }
        if let note = document.note { lines.append(note) }
        for problem in document.problems { lines.append("problem: \(problem)") }
        for failure in document.failures where !failure.tail.isEmpty {
            lines.append("last lines of \(failure.service)'s log\(failure.log.map { " (\($0))" } ?? ""):")
            lines += failure.tail.map { "  | \($0)" }
        }
        return lines.map(UntrustedText.escapingControlCharacters).joined(separator: "\n")
    }
}
