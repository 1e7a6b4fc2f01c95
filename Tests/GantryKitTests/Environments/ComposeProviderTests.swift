import Foundation
import TestSupport
import Testing

@testable import Basics
@testable import Config
@testable import GantryKit

/// The compose provider against a stub `docker`: no Docker engine runs here, so a real executable
/// records each command line it is given (one JSON array per call) and plays a scripted outcome.
/// What is proven is the exact command lines and gantry's reaction to each outcome; Docker's own
/// behaviour is not.
@Suite("Compose provider", .serialized)
struct ComposeProviderTests {
    /// The stub: records its arguments and the compose files as they were when `up` ran, then
    /// answers from files beside it (`up.exit`, `up.output`, `up.hang`, `port.SERVICE`, `down.exit`).
    static let stub = #"""
        #!/usr/bin/env python3
        import json, os, sys, time
        here = os.path.dirname(os.path.abspath(__file__))
        arguments = sys.argv[1:]
        with open(os.path.join(here, "calls.jsonl"), "a") as calls:
            calls.write(json.dumps(arguments) + "\n")
        def scripted(name, default=""):
            path = os.path.join(here, name)
            return open(path).read() if os.path.exists(path) else default
        index = 1
        while index < len(arguments) and arguments[index].startswith("-"):
            index += 2
        verb = arguments[index]
        if verb == "up" and os.path.exists(os.path.join(here, "up.hang")):
            with open(os.path.join(here, "up.session"), "w") as out:
                out.write(str(os.getsid(0)))
        if verb == "up":
            import yaml
            files = [arguments[i + 1] for i in range(1, index, 2) if arguments[i] == "-f"]
            with open(os.path.join(here, "files-at-up.json"), "w") as out:
                json.dump([yaml.safe_load(open(f)) for f in files], out)
            sys.stdout.write(scripted("up.output"))
            sys.stdout.flush()
            if os.path.exists(os.path.join(here, "up.hang")):
                time.sleep(60)
            sys.exit(int(scripted("up.exit", "0")))
        if verb == "port":
            sys.stdout.write(scripted("port." + arguments[index + 1]))
            sys.exit(0)
        if verb == "down":
            sys.stdout.write(scripted("down.output"))
            sys.exit(int(scripted("down.exit", "0")))
        sys.exit(64)
        """#

    static let composeFile = """
        services:
          api: {image: api, ports: ["8000"]}
          web: {image: web, ports: ["127.0.0.1::80/tcp"]}
          cache: {image: redis}
        networks:
          backend: {}
        volumes:
          data: {}

        """

    let repository: TemporaryDirectory
    let state: TemporaryDirectory
    let registry: TemporaryDirectory
    let docker: TemporaryDirectory

    init() throws {
        repository = try TemporaryDirectory(prefix: "gantry-compose")
        state = try TemporaryDirectory(prefix: "gantry-compose-state")
        registry = try TemporaryDirectory(prefix: "gantry-compose-registry")
        docker = try TemporaryDirectory(prefix: "gantry-docker-stub")
        try FileManager.default.createDirectory(atPath: repository.url("deploy"), withIntermediateDirectories: true)
        try Self.composeFile.write(toFile: repository.url("deploy/compose.ci.yml"), atomically: true, encoding: .utf8)
        try writeExecutable(Self.stub, to: docker.url("docker"))
    }

    func manager(timeout: String = "10s") throws -> EnvironmentManager {
        let yaml = """
            version: 1
            services:
              api: {paths: [api/**]}
              web: {paths: [web/**]}
            environment: {provider: compose, ttl: 2h, compose: {file: deploy/compose.ci.yml, timeout: \(timeout)}}

            """
        let configuration = try Configuration(parsing: yaml, file: "gantry.yml")
        var environment = ProcessInfo.processInfo.environment
        environment["GANTRY_DOCKER"] = docker.url("docker")
        return EnvironmentManager(
            configuration: configuration, root: repository.path,
            store: LedgerStore(stateDirectory: StateDirectory(path: state.path), registry: registry.path), context: nil,
            environment: environment)
    }

    /// Scripts one outcome of the stub.
    func script(_ file: String, _ contents: String) throws {
        try contents.write(toFile: docker.url(file), atomically: true, encoding: .utf8)
    }

    /// Every command line the stub was given, in order.
    func calls() throws -> [[String]] {
        guard let text = try? String(contentsOfFile: docker.url("calls.jsonl"), encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String])
        }
    }

    /// `compose -p NAME -f FILE -f OVERRIDE`: what every call starts with.
    func prefix(_ name: String) -> [String] {
        ["compose", "-p", name, "-f", repository.url("deploy/compose.ci.yml"), "-f", state.url("environments/\(name)/compose.labels.yml")]
    }

    @Test("up, port and down run the exact command lines, every resource is labelled, ports are read back")
    func commandLines() async throws {
        try script("port.api", "0.0.0.0:49153\n[::]:49153\n")
        try script("port.web", "[::]:49154\n")
        let manager = try manager()
        let ledger = try await manager.up(services: manager.configuration.services)
        let name = ledger.name
        #expect(
            try calls() == [
                prefix(name) + ["up", "-d", "--wait"],
                prefix(name) + ["port", "api", "8000"],
                prefix(name) + ["port", "web", "80"],
            ])
        #expect(
            ledger.endpoints == [
                ServiceEndpoint(service: "api", url: "http://127.0.0.1:49153", port: 49153),
                ServiceEndpoint(service: "web", url: "http://127.0.0.1:49154", port: 49154),
            ])
        #expect(ledger.state == .up)

        let files = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: docker.url("files-at-up.json"))))
                as? [[String: Any]])
        #expect(files.count == 2, "the compose file and the label override")
        let override = try #require(files.last)
        let formatter = ISO8601DateFormatter()
        let labels = [
            "dev.gantry.environment": name, "dev.gantry.environment.created": formatter.string(from: ledger.createdAt),
            "dev.gantry.environment.expires": formatter.string(from: ledger.expiresAt), "dev.gantry.environment.ttl": "7200",
        ]
        for (section, names) in [("services", ["api", "web", "cache"]), ("networks", ["backend"]), ("volumes", ["data"])] {
            let entries = try #require(override[section] as? [String: [String: [String: String]]], "\(section) in \(override)")
            #expect(Set(entries.keys) == Set(names), "\(section)")
            for entry in names { #expect(entries[entry]?["labels"] == labels, "\(section).\(entry)") }
        }

        let down = await manager.down()
        #expect(down.problems.isEmpty)
        #expect(down.removed == [name])
        #expect(try calls().last == prefix(name) + ["down", "-v", "--remove-orphans"], "down names the same files as up")
        #expect(manager.store.ledgers().first?.state == .down)
    }

    @Test("up that exits non-zero fails with the end of its output, and down still runs compose down")
    func upFails() async throws {
        try script("up.output", "pulling api\nError response from daemon: pull access denied for api\n")
        try script("up.exit", "18")
        let manager = try manager()
        let failure = try #require(await manager.upFailure())
        #expect(failure.message == "docker compose up exited with 18")
        #expect(failure.logTail.last == "Error response from daemon: pull access denied for api")
        let ledger = try #require(manager.store.ledgers().first)
        #expect(ledger.state == .failed)
        #expect(ledger.resources.map(\.status) == [.created], "a half-created project is still removed by down")
        #expect(try calls().count == 1, "no port is asked of a project that did not come up")

        let down = await manager.down()
        #expect(down.problems.isEmpty && down.removed == [ledger.name])
        #expect(try calls().last == prefix(ledger.name) + ["down", "-v", "--remove-orphans"])
    }

    @Test("up that hangs past the timeout is stopped, with everything it started, and fails")
    func upHangs() async throws {
        try script("up.hang", "")
        let manager = try manager(timeout: "2s")
        let clock = ContinuousClock()
        let start = clock.now
        let failure = try #require(await manager.upFailure())
        let took = clock.now - start
        #expect(failure.message == "docker compose up did not finish within 2.0 s")
        #expect(took >= .seconds(2) && took < .seconds(8), "took \(took)")
        let session = try #require(pid_t(try String(contentsOfFile: docker.url("up.session"), encoding: .utf8)))
        #expect(sessionMembers(session).isEmpty, "the stub's session is gone")
        #expect(manager.store.ledgers().first?.resources.map(\.status) == [.created])
        _ = await manager.down()
        #expect(try calls().last?.suffix(3) == ["down", "-v", "--remove-orphans"])
    }

    @Test("a port that is not published fails up, naming the service")
    func noPort() async throws {
        try script("port.web", "[::]:49154\n")
        let manager = try manager()
        let failure = try #require(await manager.upFailure())
        #expect(failure.service == "api")
        #expect(failure.message.hasPrefix("docker compose port api 8000 gave no port"), "\(failure.message)")
        let down = await manager.down()
        #expect(down.problems.isEmpty)
        #expect(try calls().map { $0[7] } == ["up", "port", "down"])
    }

    @Test("a failing down is reported and leaves the ledger not down, so the next down retries; then down is a no-op")
    func downFails() async throws {
        try script("port.api", "0.0.0.0:49153\n")
        try script("port.web", "0.0.0.0:49154\n")
        try script("down.output", "Error response from daemon: error while removing network: network backend has active endpoints\n")
        try script("down.exit", "1")
        let manager = try manager()
        let ledger = try await manager.up(services: manager.configuration.services)

        let failed = await manager.down()
        #expect(failed.removed.isEmpty)
        #expect(
            failed.problems == [
                "\(ledger.name): docker compose down exited with 1: Error response from daemon: error while removing network: network backend has active endpoints"
            ])
        #expect(manager.store.ledgers().first?.state == .up)
        #expect(FileManager.default.fileExists(atPath: registry.url("\(ledger.name).json")), "gc can still find it")

        try FileManager.default.removeItem(atPath: docker.url("down.exit"))
        let retried = await manager.down()
        #expect(retried.problems.isEmpty && retried.removed == [ledger.name])
        #expect(manager.store.ledgers().first?.state == .down)
        #expect(!FileManager.default.fileExists(atPath: registry.url("\(ledger.name).json")))

        let again = await manager.down()
        #expect(again.removed.isEmpty && again.problems.isEmpty)
        #expect(again.note == "nothing to take down: no environment of this run is up")
        #expect(try calls().filter { $0[7] == "down" }.count == 2, "the no-op runs no docker command")
    }
}
