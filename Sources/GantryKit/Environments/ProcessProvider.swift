import Basics
import Config
import Foundation

/// The embedded provider: each service's `run` command as a process group of its own on loopback,
/// its output in a log file, started in `depends_on` order, each after the services it depends on
/// pass their health gates.
package struct ProcessProvider: EnvironmentProvider {
    /// How dependencies are waited for: their health gates, given the endpoints so far and why a
    /// service can no longer pass (its process is gone). Returns why a dependency is not healthy, or
    /// nil when it is.
    var awaitHealth: HealthWait
    /// Whether `up` returns only once every service has passed its health gates (`gantry env up`,
    /// after which a workflow's next step uses the services), rather than once each has started
    /// (`gantry run`, whose gates phase waits for them next).
    var awaitsEveryService = false

    /// How long a service without health gates must stay alive after it starts to count as up:
    /// long enough for a command that fails at once (not found, a bad flag, a port in use) to
    /// fail `up` rather than the next step, as a service with nothing to check is otherwise up as
    /// soon as it starts (as compose and Kubernetes count it).
    static let settlingTime = Duration.milliseconds(100)

    func up(_ request: EnvironmentRequest, journal: Journal) async throws(EnvironmentFailure) -> [ServiceEndpoint] {
        let selected = Set(request.services.map(\.name))
        let configuration = request.configuration
        let dependencies = { (service: Service) in configuration.serviceDependencies(of: service).filter { selected.contains($0) } }
        var remaining = configuration.servicesInDependencyOrder.filter { selected.contains($0.name) }[...]
        // A variable without a value would be found only when its service's turn came, after the
        // services before it started: every service's are checked before anything starts.
        for service in remaining {
            if let problem = Self.unsetVariable(of: service, in: request.environment) {
                throw EnvironmentFailure(message: problem, service: service.name)
            }
        }
        let certificates = try makeCertificates(for: Array(remaining), request: request, journal: journal)
        var endpoints: [ServiceEndpoint] = []
        var healthy = Set<String>()
        // When the last service without health gates started: it settles from then on, while
        // later waves start and their health is awaited.
        var lastUncheckedStart: ContinuousClock.Instant?
        while let first = remaining.first {
            // A wave: the services whose dependencies all started in earlier waves. They start together,
            // with one ledger write before and one after, once those dependencies are healthy.
            let started = Set(endpoints.map(\.service))
            let wave = Array(remaining.prefix { dependencies($0).allSatisfy(started.contains) })
            remaining = remaining.dropFirst(wave.count)
            try Task.checkCancellation(or: EnvironmentFailure(message: "stopped before `\(first.name)` started", service: first.name))
            let awaited = configuration.services.filter { service in
                !healthy.contains(service.name) && wave.contains { dependencies($0).contains(service.name) }
            }
            try await awaitHealth(of: awaited, endpoints: endpoints, request: request, journal: journal) { service in
                "`\(service.name)`, which `\(wave.first { dependencies($0).contains(service.name) }?.name ?? "?")` depends on, is not healthy"
            }
            healthy.formUnion(awaited.map(\.name))
            endpoints += try start(wave, request: request, endpoints: endpoints, certificates: certificates, journal: journal)
            if wave.contains(where: { $0.gates.health.isEmpty }) { lastUncheckedStart = .now }
        }
        if awaitsEveryService {
            try await awaitReadiness(
                of: request.services, except: healthy, settledAt: lastUncheckedStart.map { $0 + Self.settlingTime },
                endpoints: endpoints, request: request, journal: journal)
        }
        return endpoints
    }

    /// The per-run certificates, when a service serves one (`tls: true`): recorded in the ledger
    /// before they are made, so that `down` deletes them whatever happens next.
    private func makeCertificates(for services: [Service], request: EnvironmentRequest, journal: Journal)
        throws(EnvironmentFailure) -> PerRunCertificates?
    {
        let settings = request.configuration.environment
        let serving = services.filter { $0.process?.servesPerRunCertificate(in: settings) == true }.map(\.name)
        guard !serving.isEmpty else { return nil }
        let certificates = PerRunCertificates(directory: request.logDirectory + "/tls")
        var index = 0
        do {
            try journal.update { ledger in
                index = ledger.resources.count
                ledger.resources.append(
                    Ledger.Resource(kind: PerRunCertificates.resourceKind, status: .planned, log: certificates.directory))
            }
        } catch {
            throw EnvironmentFailure(message: "cannot record the environment: \(error)")
        }
        try certificates.create(for: serving, lifetime: settings.timeToLive, environment: request.name)
        try? journal.update { ledger in ledger.resources[index].status = .created }
        return certificates
    }

    /// Waits for the health gates of every service not yet seen healthy and, if the services
    /// without health gates have not settled yet, until `settledAt`; then checks that every
    /// service still runs.
    private func awaitReadiness(
        of services: [Service], except healthy: Set<String>, settledAt: ContinuousClock.Instant?, endpoints: [ServiceEndpoint],
        request: EnvironmentRequest, journal: Journal
    ) async throws(EnvironmentFailure) {
        try await awaitHealth(of: services.filter { !healthy.contains($0.name) }, endpoints: endpoints, request: request, journal: journal)
        { service in
            "`\(service.name)` is not healthy"
        }
        if let settledAt { await pause(for: settledAt - .now) }
        let liveness = Self.liveness(in: journal.ledger)
        for service in services {
            if let problem = liveness(service.name) { throw failure(of: service, "\(problem) after it started", request: request) }
        }
    }

    /// Waits for the health gates of `services` together; throws for the first that does not pass,
    /// with what `describe` says of it and why.
    private func awaitHealth(
        of services: [Service], endpoints: [ServiceEndpoint], request: EnvironmentRequest, journal: Journal,
        describe: (Service) -> String
    ) async throws(EnvironmentFailure) {
        guard !services.isEmpty else { return }
        let liveness = Self.liveness(in: journal.ledger)
        let awaitHealth = self.awaitHealth
        let unhealthy = await withTaskGroup(of: (Service, String?).self) { group -> (Service, String)? in
            for service in services { group.addTask { (service, await awaitHealth(service, endpoints, liveness)) } }
            for await (service, problem) in group {
                guard let problem else { continue }
                // One unhealthy dependency fails the environment: the others need not be waited for.
                group.cancelAll()
                return (service, problem)
            }
            return nil
        }
        guard let (service, problem) = unhealthy else { return }
        throw failure(of: service, "\(describe(service)): \(problem)", request: request)
    }

    /// A service about to start: everything that can fail before its process exists, checked first.
    private struct Launch {
        var service: Service
        var command: String
        var port: Int
        var url: String
        var directory: String
        var log: String
        var environment: [String: String]
        var certificateAuthority: String?
    }

    /// Starts a wave: checks every service's port and directory, writes them all to the ledger as
    /// planned, starts them, and writes their sessions.
    private func start(
        _ wave: [Service], request: EnvironmentRequest, endpoints: [ServiceEndpoint], certificates: PerRunCertificates?,
        journal: Journal
    ) throws(EnvironmentFailure) -> [ServiceEndpoint] {
        var launches: [Launch] = []
        var known = endpoints
        for service in wave {
            let launch = try prepare(
                service, request: request, endpoints: known, certificates: certificates, taken: Set(known.compactMap(\.port)))
            launches.append(launch)
            known.append(
                ServiceEndpoint(
                    service: service.name, url: launch.url, port: launch.port, certificateAuthority: launch.certificateAuthority))
        }
        var first = 0
        do {
            try FileManager.default.createDirectory(atPath: request.logDirectory, withIntermediateDirectories: true)
            try journal.update { ledger in
                first = ledger.resources.count
                ledger.resources += launches.map {
                    Ledger.Resource(kind: "process", service: $0.service.name, status: .planned, log: $0.log, port: $0.port)
                }
            }
        } catch {
            throw EnvironmentFailure(message: "cannot record the environment: \(error)", service: wave.first?.name)
        }
        var sessions: [pid_t] = []
        // Whatever started must be in the ledger, also when a later start fails.
        defer {
            try? journal.update { ledger in
                for (offset, session) in sessions.enumerated() {
                    ledger.resources[first + offset].status = .created
                    ledger.resources[first + offset].session = session
                }
            }
        }
        for launch in launches {
            do {
                sessions.append(
                    try ChildProcess.start(launch.command, in: launch.directory, environment: launch.environment, output: .file(launch.log))
                        .id)
            } catch {
                throw EnvironmentFailure(
                    message: "cannot start `\(launch.service.name)`: \(error)", service: launch.service.name, logPath: launch.log)
            }
        }
        return Array(known.suffix(launches.count))
    }

    private func prepare(
        _ service: Service, request: EnvironmentRequest, endpoints: [ServiceEndpoint], certificates: PerRunCertificates?, taken: Set<Int>
    ) throws(EnvironmentFailure) -> Launch {
        guard let process = service.process else {
            throw EnvironmentFailure(
                message: "service `\(service.name)` has no `run` command: the process provider needs one to start it", service: service.name
            )
        }
        let port: Int
        do {
            if let fixed = process.port {
                guard LoopbackPort.isFree(fixed) else {
                    throw EnvironmentFailure(
                        message:
                            "port \(fixed) of `\(service.name)` is already in use on 127.0.0.1: stop what holds it, or drop `port` to get a free one",
                        service: service.name)
                }
                port = fixed
            } else {
                // The kernel may hand out a port again once it is released; the services of a wave
                // have not bound theirs yet, so each must get one the others did not.
                var candidate = try LoopbackPort.free()
                for _ in 0..<16 where taken.contains(candidate) { candidate = try LoopbackPort.free() }
                port = candidate
            }
        } catch let error as EnvironmentFailure {
            throw error
        } catch {
            throw EnvironmentFailure(message: "\(error)", service: service.name)
        }
        let directory = request.root + (process.workingDirectory == "." ? "" : "/" + process.workingDirectory)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw EnvironmentFailure(
                message: "the working directory of `\(service.name)`, \(process.workingDirectory), does not exist; set `working_directory`",
                service: service.name)
        }
        let substitute = { (text: String) in text.replacingOccurrences(of: "${port}", with: String(port)) }
        let url = process.url(port: port, settings: request.configuration.environment)
        let own = ServiceEndpoint(service: service.name, url: url, port: port).variables
        var environment = request.environment
        let serves = certificates != nil && process.servesPerRunCertificate(in: request.configuration.environment)
        if let certificates {
            environment.merge(certificates.clientVariables) { _, new in new }
            if serves { environment.merge(certificates.serverVariables(of: service.name)) { _, new in new } }
        }
        for endpoint in endpoints { environment[Configuration.urlVariable(of: endpoint.service)] = endpoint.url }
        for (name, template) in process.environment {
            guard case .value(let value) = template.resolve(service: own, environment: request.environment) else {
                throw EnvironmentFailure(
                    message: Self.unsetVariable(of: service, in: request.environment) ?? "`\(name)` has no value", service: service.name)
            }
            environment[name] = value
        }
        environment["PORT"] = String(port)
        // Marks every process of the environment, so that `down` recognises them even if their
        // session id has been reused by the time it runs.
        environment[ProcessSession.environmentVariable] = request.name
        return Launch(
            service: service, command: substitute(process.command), port: port, url: url, directory: directory,
            log: request.logDirectory + "/\(service.name).log", environment: environment,
            certificateAuthority: serves ? certificates?.authorityFile : nil)
    }

    /// Why one of the service's `env` values cannot be made, or nil: `${url}` and `${port}` always
    /// have values, `${env.NAME}` only when gantry's environment has `NAME`.
    private static func unsetVariable(of service: Service, in environment: [String: String]) -> String? {
        let own = ["url": "", "port": ""]
        for (name, template) in (service.process?.environment ?? [:]).sorted(by: { $0.key < $1.key }) {
            if case .missing(let variable) = template.resolve(service: own, environment: environment) {
                return
                    "`services.\(service.name).env.\(name)` uses \(variable), which is not set in gantry's environment; set it, or remove it from \"\(template.text)\""
            }
        }
        return nil
    }

    private func failure(of service: Service, _ message: String, request: EnvironmentRequest) -> EnvironmentFailure {
        let log = request.logDirectory + "/\(service.name).log"
        return EnvironmentFailure(message: message, service: service.name, logTail: LogTail.lines(of: log), logPath: log)
    }

    func down(_ ledger: Ledger, journal: Journal) async -> [String] {
        let grace = Duration(seconds: ledger.gracePeriod)
        let standing = ledger.resources.indices.filter { ledger.resources[$0].status != .removed }
        // A session that is gone, or whose id now belongs to someone else, has nothing to stop.
        let ours = ProcessSession.sessions(standing.compactMap { ledger.resources[$0].session }, belongingTo: ledger.name)
        // All at once: the grace periods of services that ignore SIGTERM run together.
        let left = await ProcessSession.terminate(ours, grace: grace)
        let problems = standing.compactMap { index -> String? in
            let resource = ledger.resources[index]
            guard let session = resource.session, let members = left[session] else { return nil }
            return "`\(resource.service ?? "?")` left processes \(members.map(String.init).joined(separator: ", ")) running"
        }
        // The keys go with the services that used them.
        for index in standing where ledger.resources[index].kind == PerRunCertificates.resourceKind {
            if let directory = ledger.resources[index].log { try? FileManager.default.removeItem(atPath: directory) }
        }
        try? journal.update { ledger in
            for index in standing {
                if let session = ledger.resources[index].session, left[session] != nil { continue }
                ledger.resources[index].status = .removed
            }
        }
        return problems
    }

    /// The session of each service's process, by service name.
    static func sessions(in ledger: Ledger) -> [String: Int32] {
        Dictionary(
            ledger.resources.compactMap { resource in resource.service.flatMap { name in resource.session.map { (name, $0) } } },
            uniquingKeysWith: { _, last in last })
    }

    /// Why a service of the ledger can no longer pass a gate: its process is gone. Nil for a
    /// service that runs, or that the ledger (if any) has no process for.
    package static func liveness(in ledger: Ledger?) -> @Sendable (String) -> String? {
        let sessions = ledger.map(sessions(in:)) ?? [:]
        return { service in
            guard let id = sessions[service], !ProcessSession(id: id).isAlive else { return nil }
            return "`\(service)` exited"
        }
    }
}

extension Task where Success == Never, Failure == Never {
    /// Throws `failure` when the current task is cancelled.
    static func checkCancellation<Thrown: Error>(or failure: @autoclosure () -> Thrown) throws(Thrown) {
        if Task.isCancelled { throw failure() }
    }
}
