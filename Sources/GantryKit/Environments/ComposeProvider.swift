import Basics
import Config
import Foundation
import Yams

/// `docker compose`: a project named after the environment, every container, network and volume
/// labelled with the environment's name, creation time and time to live, ports read back with
/// `docker compose port`, and `down -v --remove-orphans` to remove it.
struct ComposeProvider: EnvironmentProvider {
    /// The compose file, relative to the repository root.
    var file: String
    /// The `docker` executable: `docker` on PATH unless `GANTRY_DOCKER` names another.
    var docker: String
    /// How long `up --wait` may take.
    var timeout: Duration

    /// The label keys gantry puts on every resource, so that `docker ps --filter label=…` finds them.
    static let labelPrefix = "dev.gantry.environment"

    func up(_ request: EnvironmentRequest, journal: Journal) async throws(EnvironmentFailure) -> [ServiceEndpoint] {
        let file = request.root + "/" + self.file
        let layout = try ComposeLayout(file: file, name: self.file)
        let ledger = journal.ledger
        let labels = layout.labelOverride(labels: [
            Self.labelPrefix: request.name,
            "\(Self.labelPrefix).created": ISO8601DateFormatter().string(from: ledger.createdAt),
            "\(Self.labelPrefix).expires": ISO8601DateFormatter().string(from: ledger.expiresAt),
            "\(Self.labelPrefix).ttl": String(Int(ledger.expiresAt.timeIntervalSince(ledger.createdAt))),
        ])
        let override = request.logDirectory + "/compose.labels.yml"
        let log = request.logDirectory + "/compose.log"
        do {
            try AtomicFile.write(labels, to: override, what: "the compose label override")
            try journal.update { $0.composeFiles = [file, override] }
            _ = try journal.plan(Ledger.Resource(kind: "compose", status: .planned, log: log))
        } catch {
            throw EnvironmentFailure(message: "\(error)")
        }
        let up = try await run(
            ["up", "-d", "--wait"], name: request.name, files: [file, override], root: request.root, environment: request.environment,
            log: log)
        // Created or half-created: either way `down` must remove it from now on.
        try? journal.update(resource: 0) { $0.status = .created }
        guard up.status == 0 else {
            throw EnvironmentFailure(message: "docker compose up \(up.ending(timeout: timeout))", logTail: up.lastLines(30), logPath: log)
        }
        var endpoints: [ServiceEndpoint] = []
        for service in request.services {
            guard let target = layout.ports[service.name] else { continue }
            let port = try await run(
                ["port", service.name, String(target)], name: request.name, files: [file, override], root: request.root,
                environment: request.environment, log: log)
            guard port.status == 0, let published = Self.publishedPort(port.output) else {
                throw EnvironmentFailure(
                    message:
                        "docker compose port \(service.name) \(target) gave no port: \(port.output.trimmingCharacters(in: .whitespacesAndNewlines))",
                    service: service.name, logPath: log)
            }
            endpoints.append(ServiceEndpoint(service: service.name, url: "http://127.0.0.1:\(published)", port: published))
        }
        return endpoints
    }

    func down(_ ledger: Ledger, journal: Journal) async -> [String] {
        guard ledger.resources.contains(where: { $0.kind == "compose" && $0.status != .removed }) else { return [] }
        let log = ledger.resources.first { $0.kind == "compose" }?.log ?? NSTemporaryDirectory() + "/gantry-\(ledger.name)-compose.log"
        do {
            let outcome = try await run(
                ["down", "-v", "--remove-orphans"], name: ledger.name, files: ledger.composeFiles, root: ledger.root,
                environment: ProcessInfo.processInfo.environment, log: log)
            guard outcome.status == 0 else {
                return ["docker compose down \(outcome.ending(timeout: timeout)): " + outcome.lastLines(5).joined(separator: " / ")]
            }
            try? journal.markRemoved(kind: "compose")
            return []
        } catch {
            return ["docker compose down could not run: \(error)"]
        }
    }

    /// The exact command line: `docker compose -p NAME -f FILE… ARGUMENTS…`, each part quoted.
    static func commandLine(docker: String, name: String, files: [String], arguments: [String]) -> String {
        ([docker, "compose", "-p", name] + files.flatMap { ["-f", $0] } + arguments).map(ShellCommand.quote).joined(separator: " ")
    }

    private func run(
        _ arguments: [String], name: String, files: [String], root: String, environment: [String: String], log: String
    ) async throws(EnvironmentFailure) -> ShellCommand.Outcome {
        let command = Self.commandLine(docker: docker, name: name, files: files, arguments: arguments)
        do {
            return try await ShellCommand(command: command, directory: root, environment: environment, log: log).run(timeout: timeout)
        } catch {
            throw EnvironmentFailure(message: "cannot run docker compose: \(error)", logPath: log)
        }
    }

    /// The port of `0.0.0.0:49153`, `[::]:49153` or `127.0.0.1:49153`, the first line that has one.
    static func publishedPort(_ output: String) -> Int? {
        for line in output.split(separator: "\n") {
            if let colon = line.lastIndex(of: ":"), let port = Int(line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)),
                (1...65535).contains(port)
            {
                return port
            }
        }
        return nil
    }
}

/// What gantry needs of a compose file: its services' first container ports, and its networks and
/// volumes, to label them all.
struct ComposeLayout {
    /// Each service's first container port.
    var ports: [String: Int] = [:]
    var services: [String] = []
    var networks: [String] = []
    var volumes: [String] = []

    /// Reads the compose file at `file`; `name` is how messages call it, its path in the repository.
    init(file: String, name: String) throws(EnvironmentFailure) {
        func unreadable(_ why: String) -> EnvironmentFailure { EnvironmentFailure(message: "cannot read the compose file \(name): \(why)") }
        guard let data = FileManager.default.contents(atPath: file) else { throw unreadable("the file is missing or unreadable") }
        let text = String(decoding: data, as: UTF8.self)
        // The compose file comes from the repository, as gantry.yml does: the same bounds apply.
        if let problem = YAMLShape.problem(in: text, file: file) { throw unreadable(problem.description) }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw unreadable("\(error)")
        }
        guard let root, case .mapping(let top) = root else { throw unreadable("expected a mapping with `services`") }
        for (key, value) in top {
            guard case .mapping(let entries) = value else { continue }
            let names = Array(entries.keys.compactMap(\.string))
            switch key.string {
            case "services":
                services = names
                for (name, service) in entries {
                    guard let name = name.string, case .mapping(let settings) = service, let ports = settings["ports"],
                        case .sequence(let list) = ports,
                        let first = list.first, let target = Self.containerPort(first)
                    else { continue }
                    self.ports[name] = target
                }
            case "networks": networks = names
            case "volumes": volumes = names
            default: break
            }
        }
    }

    /// The container port of a `ports:` entry: `"8000"`, `"8080:8000"`, `"127.0.0.1:8080:8000/tcp"`, `{target: 8000}`.
    static func containerPort(_ node: Node) -> Int? {
        if case .mapping(let mapping) = node { return mapping["target"]?.int }
        guard let text = node.string else { return nil }
        let last = text.split(separator: ":").last.map { $0.split(separator: "/").first.map(String.init) ?? "" } ?? ""
        return Int(last.split(separator: "-").first ?? "")
    }

    /// A compose file that adds `labels` to every service, network and volume of the project.
    func labelOverride(labels: [String: String]) -> String {
        var root: [String: Any] = [:]
        let labelled: [String: [String: String]] = ["labels": labels]
        if !services.isEmpty { root["services"] = Dictionary(uniqueKeysWithValues: services.map { ($0, labelled) }) }
        if !networks.isEmpty { root["networks"] = Dictionary(uniqueKeysWithValues: networks.map { ($0, labelled) }) }
        if !volumes.isEmpty { root["volumes"] = Dictionary(uniqueKeysWithValues: volumes.map { ($0, labelled) }) }
        return (try? Yams.dump(object: root, sortKeys: true)) ?? ""
    }
}
