import Basics
import Config
import HTTP

/// The gates of a run, ready to go: every variable resolved and every probe made, so that an
/// unresolved variable or a bad URL is an error before the first request.
package struct PreparedGates: Sendable {
    /// A check and the probe that carries it out.
    struct PreparedCheck: Sendable {
        var service: String
        var gate: String
        var check: GateCheck
        var probe: any Probe
    }

    /// One service's prepared gates.
    struct PreparedService: Sendable {
        var name: String
        /// Gated services whose health gates must pass before this one's start.
        var dependencies: [String]
        var health: [PreparedCheck]
        var smoke: [PreparedCheck]
        var latency: (gate: LatencyGate, request: HTTPRequest)?
    }

    /// The services, dependencies first.
    var services: [PreparedService]
    /// The connection loop every HTTP and TCP check shares.
    let session: HTTPSession

    /// Prepares the gates of `services`, whose `${url}` and `${port}` come from `endpoints` and
    /// `${env.NAME}` from `environment`. Commands run in `directory`, with every service's URL in
    /// their environment as `<NAME>_URL`. `session`, when given, is shared with other gates.
    package static func prepare(
        configuration: Configuration, services: [Service], endpoints: [ServiceEndpoint], environment: [String: String], directory: String
    ) throws(GantryError) -> PreparedGates {
        try prepare(
            configuration: configuration, services: services, endpoints: endpoints, environment: environment, directory: directory,
            session: nil)
    }

    static func prepare(
        configuration: Configuration, services: [Service], endpoints: [ServiceEndpoint], environment: [String: String], directory: String,
        session shared: HTTPSession?
    ) throws(GantryError) -> PreparedGates {
        let session: HTTPSession
        if let shared { session = shared } else { session = try makeSession() }
        var commandEnvironment = environment
        for endpoint in endpoints { commandEnvironment[Configuration.urlVariable(of: endpoint.service)] = endpoint.url }
        let selected = Dictionary(services.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var prepared: [PreparedService] = []
        var problems: [Diagnostic] = []
        let ordered = configuration.servicesInDependencyOrder.compactMap { selected[$0.name] }
        for service in ordered where !service.gates.isEmpty {
            let endpoint = endpoints.first { $0.service == service.name }
            let resolver = Resolver(
                service: service.name, variables: endpoint?.variables ?? [:], environment: environment, hasEndpoint: endpoint != nil,
                root: directory, perRunAuthority: endpoint?.certificateAuthority)
            func prepare(_ checks: [GateCheck], gate: String) -> [PreparedCheck] {
                checks.compactMap { check in
                    do {
                        let probe = try resolver.probe(for: check, session: session, directory: directory, environment: commandEnvironment)
                        return PreparedCheck(service: service.name, gate: gate, check: check, probe: probe)
                    } catch {
                        problems.append(Diagnostic("\(error)", at: check.location, kind: .invalidValue))
                        return nil
                    }
                }
            }
            var entry = PreparedService(
                name: service.name,
                dependencies: configuration.serviceDependencies(of: service).filter { name in
                    selected[name]?.gates.isEmpty == false
                },
                health: prepare(service.gates.health, gate: "health"), smoke: prepare(service.gates.smoke, gate: "smoke"))
            if let latency = service.gates.latency {
                do {
                    entry.latency = (latency, try resolver.request(for: latency.check))
                } catch {
                    problems.append(Diagnostic("\(error)", at: latency.location, kind: .invalidValue))
                }
            }
            prepared.append(entry)
        }
        if !problems.isEmpty { throw .invalidConfiguration(problems) }
        return PreparedGates(services: prepared, session: session)
    }

    /// One check given on the command line, not tied to a service: `${env.NAME}` only.
    package static func adHoc(_ check: GateCheck, environment: [String: String], directory: String) throws(GantryError) -> PreparedGates {
        let session = try makeSession()
        let resolver = Resolver(service: "", variables: [:], environment: environment, hasEndpoint: false)
        let probe = try resolver.probe(for: check, session: session, directory: directory, environment: environment)
        let prepared = PreparedCheck(service: "", gate: "check", check: check, probe: probe)
        return PreparedGates(services: [PreparedService(name: "", dependencies: [], health: [prepared], smoke: [])], session: session)
    }

    /// Whether there is anything to run.
    package var isEmpty: Bool { services.isEmpty }

    static func makeSession() throws(GantryError) -> HTTPSession {
        do {
            return try HTTPSession()
        } catch {
            throw .io(action: "start the HTTP client", reason: error.message)
        }
    }
}
