import Foundation

/// The embedded provider: each service's `run` command as a process group of its own on loopback,
/// its output in a log file, started in `depends_on` order, each after the services it depends on
/// pass their health gates.
struct ProcessProvider: EnvironmentProvider {
    /// How dependencies are waited for: their health gates, given the endpoints so far and why a
    /// service can no longer pass (its process is gone). Returns why a dependency is not healthy, or
    /// nil when it is.
    var awaitHealth: HealthWaiter.Wait

    func up(_ request: EnvironmentRequest, journal: Journal) async throws(EnvironmentFailure) -> [ServiceEndpoint] {
        let selected = Set(request.services.map(\.name))
        var endpoints: [ServiceEndpoint] = []
        var healthy = Set<String>()
        for service in request.configuration.servicesInDependencyOrder where selected.contains(service.name) {
            try Task.checkCancellation(or: EnvironmentFailure(message: "stopped before `\(service.name)` started", service: service.name))
            guard let process = service.process else {
                throw EnvironmentFailure(
                    message: "service `\(service.name)` has no `run` command: the process provider needs one to start it", service: service.name)
            }
            for dependency in request.configuration.serviceDependencies(of: service) where selected.contains(dependency) && !healthy.contains(dependency) {
                guard let other = request.configuration.service(named: dependency) else { continue }
                let sessions = Self.sessions(in: journal.ledger)
                let liveness: @Sendable (String) -> String? = { name in
                    guard let id = sessions[name], !ProcessSession(id: id).isAlive else { return nil }
                    return "`\(name)` exited"
                }
                if let problem = await awaitHealth(other, endpoints, liveness) {
                    throw failure(of: other, "`\(dependency)`, which `\(service.name)` depends on, is not healthy: \(problem)", request: request)
                }
                healthy.insert(dependency)
            }
            endpoints.append(try start(service, process, request: request, endpoints: endpoints, journal: journal))
        }
        return endpoints
    }

    private func start(
        _ service: Service, _ process: ServiceProcess, request: EnvironmentRequest, endpoints: [ServiceEndpoint], journal: Journal
    ) throws(EnvironmentFailure) -> ServiceEndpoint {
        let port: Int
        do {
            if let fixed = process.port {
                guard LoopbackPort.isFree(fixed) else {
                    throw EnvironmentFailure(
                        message: "port \(fixed) of `\(service.name)` is already in use on 127.0.0.1: stop what holds it, or drop `port` to get a free one",
                        service: service.name)
                }
                port = fixed
            } else {
                port = try LoopbackPort.free()
            }
        } catch let error as EnvironmentFailure {
            throw error
        } catch {
            throw EnvironmentFailure(message: "\(error)", service: service.name)
        }
        let log = request.logDirectory + "/\(service.name).log"
        let directory = request.root + (process.workingDirectory == "." ? "" : "/" + process.workingDirectory)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw EnvironmentFailure(
                message: "the working directory of `\(service.name)`, \(process.workingDirectory), does not exist; set `working_directory`",
                service: service.name)
        }
        let substitute = { (text: String) in text.replacingOccurrences(of: "${port}", with: String(port)) }
        var environment = request.environment
        for endpoint in endpoints { environment["\(Configuration.environmentName(of: endpoint.service))_URL"] = endpoint.url }
        for (name, value) in process.environment { environment[name] = substitute(value) }
        environment["PORT"] = String(port)
        // Marks every process of the environment, so that `down` recognises them even if their
        // session id has been reused by the time it runs.
        environment[ProcessProvider.marker] = request.name
        do {
            try FileManager.default.createDirectory(atPath: request.logDirectory, withIntermediateDirectories: true)
            let index = try journal.plan(Ledger.Resource(kind: "process", service: service.name, status: .planned, log: log, port: port))
            let child = try ChildProcess.start(
                substitute(process.command), in: directory, environment: environment, output: .file(log))
            try journal.update(resource: index) { resource in
                resource.status = .created
                resource.session = child.id
            }
        } catch let error as GantryError {
            throw EnvironmentFailure(message: "cannot start `\(service.name)`: \(error)", service: service.name, logPath: log)
        } catch {
            throw EnvironmentFailure(message: "cannot start `\(service.name)`: \(error)", service: service.name, logPath: log)
        }
        return ServiceEndpoint(service: service.name, url: "http://127.0.0.1:\(port)", port: port)
    }

    private func failure(of service: Service, _ message: String, request: EnvironmentRequest) -> EnvironmentFailure {
        let log = request.logDirectory + "/\(service.name).log"
        return EnvironmentFailure(message: message, service: service.name, logTail: LogTail.lines(of: log), logPath: log)
    }

    func down(_ ledger: Ledger, journal: Journal) async -> [String] {
        var problems: [String] = []
        let grace = Duration.milliseconds(Int64(ledger.gracePeriod * 1000))
        // Dependents first: the reverse of the order they were started in.
        let stopping = ledger.resources.indices.reversed().filter { ledger.resources[$0].status != .removed }
        await withTaskGroup(of: (Int, String?).self) { group in
            for index in stopping {
                let resource = ledger.resources[index]
                group.addTask {
                    guard let id = resource.session else { return (index, nil) }
                    let session = ProcessSession(id: id)
                    guard session.belongs(to: ledger.name) else { return (index, nil) }
                    let left = await session.terminate(grace: grace)
                    return (index, left.isEmpty ? nil : "`\(resource.service ?? "?")` left processes \(left.map(String.init).joined(separator: ", ")) running")
                }
            }
            for await (index, problem) in group {
                if let problem {
                    problems.append(problem)
                } else {
                    try? journal.update(resource: index) { $0.status = .removed }
                }
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

    /// The variable that marks an environment's processes.
    static let marker = "GANTRY_ENVIRONMENT"
}

extension Task where Success == Never, Failure == Never {
    /// Throws `failure` when the current task is cancelled.
    static func checkCancellation<Problem: Error>(or failure: @autoclosure () -> Problem) throws(Problem) {
        if Task.isCancelled { throw failure() }
    }
}
