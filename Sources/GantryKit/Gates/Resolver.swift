import Basics
import Config
import Foundation
import HTTP

/// Turns a check's templates into a probe for one service.
struct Resolver {
    var service: String
    /// `url` and `port` of the service.
    var variables: [String: String]
    /// The process environment, for `${env.NAME}`.
    var environment: [String: String]
    /// Whether the service has an environment at all, to say so when `${url}` is missing.
    var hasEndpoint: Bool
    /// What a relative `ca` file is relative to: the repository's root for a configured check, as
    /// commands run there; nil for one from the command line, whose paths are the shell's.
    var root: String? = nil
    /// The certificate of the environment's per-run authority, when the service serves a
    /// certificate it issued (`tls: true`); nil otherwise.
    var perRunAuthority: String? = nil

    func probe(for check: GateCheck, session: HTTPSession, directory: String, environment commandEnvironment: [String: String])
        throws(GantryError) -> any Probe
    {
        switch check.action {
        case .http(let http):
            return HTTPProbe(session: session, request: try request(for: http), expectation: check.expectation)
        case .tcp(let address):
            let text = try resolve(address)
            guard let (host, port) = TCPProbe.address(text) else {
                throw .invalidValue(subject: "`tcp`", expected: "be host:port, such as 127.0.0.1:8080", found: text)
            }
            return TCPProbe(session: session, host: host, port: port)
        case .tls(let tls):
            let target = try resolve(tls.target)
            guard let (host, port) = TLSProbe.address(target) else {
                throw .invalidValue(subject: "`tls`", expected: "be an https:// URL or host:port, such as staging.example.com:443", found: target)
            }
            let file = tls.certificateAuthorityFile.map(path(of:)) ?? certificateAuthorityFile(for: target)
            return TLSProbe(
                host: host, port: port, name: try tls.hostname.map { template throws(GantryError) in try resolve(template) } ?? host,
                trust: file.map { .certificateAuthorityFile($0) } ?? .system, minimumDaysValid: tls.minimumDaysValid,
                publicKeySHA256: tls.publicKeySHA256)
        case .command(let command):
            return CommandProbe(command: try resolve(command, forShell: true), directory: directory, environment: commandEnvironment)
        }
    }

    func request(for check: HTTPCheck) throws(GantryError) -> HTTPRequest {
        let url = try resolve(check.url)
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw .invalidValue(subject: "the URL", expected: "start with http:// or https://", found: url)
        }
        var headers: [HTTPHeader] = []
        for header in check.headers { headers.append(HTTPHeader(name: header.name, value: try resolve(header.value))) }
        let body = try check.body.map { template throws(GantryError) in Array(try resolve(template).utf8) }
        let certificateAuthorityFile = check.certificateAuthorityFile.map(path(of:)) ?? certificateAuthorityFile(for: url)
        let tls: TLSVerification =
            check.isInsecure ? .insecure : certificateAuthorityFile.map { .verifyWith(certificateAuthorityFile: $0) } ?? .verify
        return HTTPRequest(
            method: check.method, url: url, headers: headers, body: body, maximumBodySize: HTTPProbe.maximumBodySize,
            maximumRedirects: check.maximumRedirects, allowsRedirectsToOtherHosts: check.allowsRedirectsToOtherHosts, tls: tls)
    }

    /// A configured file's path: relative to the repository's root, or as given on the command line.
    private func path(of file: String) -> String {
        guard let root, !file.hasPrefix("/") else { return file }
        return root + "/" + file
    }

    /// The per-run authority's certificate, for a URL of a service that serves the environment's
    /// certificates: only that authority is trusted for it. Nil for any other URL.
    private func certificateAuthorityFile(for url: String) -> String? {
        guard let authority = perRunAuthority, let own = variables["url"], url.hasPrefix("https://"),
            Self.origin(of: url) == Self.origin(of: own)
        else { return nil }
        return authority
    }

    private static func origin(of url: String) -> String? {
        URLComponents(string: url).flatMap { components in components.host.map { "\($0):\(components.port ?? 443)" } }
    }

    /// The template's text with its variables' values; `forShell`, for a command, `${env.NAME}`
    /// becomes the shell's own `${NAME}`, which the shell expands as data: a value (a pull request's
    /// title in the step's environment) is never read as shell syntax.
    private func resolve(_ template: ValueTemplate, forShell: Bool = false) throws(GantryError) -> String {
        switch template.resolve(service: variables, environment: environment) {
        case .value(let text):
            guard forShell else { return text }
            return template.parts.map { part in
                switch part {
                case .text(let text): text
                case .service(let name): variables[name] ?? ""
                case .environment(let name): "${\(name)}"
                }
            }.joined()
        case .missing(let variable):
            if variable.hasPrefix("${env.") { throw .unresolvedVariable(variable, template: template.text, reason: nil) }
            let why =
                hasEndpoint
                ? "the environment recorded no \(variable) for `\(service)`"
                : "no environment is up for `\(service)`: run gantry env up first, or pass --url \(service)=URL"
            throw .unresolvedVariable(variable, template: template.text, reason: why)
        }
    }
}
