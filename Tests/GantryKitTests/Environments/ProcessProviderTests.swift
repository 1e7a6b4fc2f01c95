import Foundation
import TestSupport
import Testing

@testable import Basics
@testable import Config
@testable import GantryKit

/// The process provider with real processes: services that start slowly, exit at once, ignore
/// SIGTERM, fork children and grandchildren, or find their port taken. After each test no process
/// of any environment session is left.
@Suite("Process provider", .serialized)
struct ProcessProviderTests {
    static let server = "exec python3 -m http.server ${port} --bind 127.0.0.1"

    let repository: TemporaryDirectory
    let state: TemporaryDirectory
    let registry: TemporaryDirectory

    init() throws {
        repository = try TemporaryDirectory(prefix: "gantry-env")
        for directory in ["db", "api", "s", "f"] {
            try FileManager.default.createDirectory(atPath: repository.url(directory), withIntermediateDirectories: true)
        }
        state = try TemporaryDirectory(prefix: "gantry-env-state")
        registry = try TemporaryDirectory(prefix: "gantry-env-registry")
    }

    func manager(_ services: String, extra: String = "") throws -> EnvironmentManager {
        let yaml = "version: 1\n\(extra)services:\n" + services
        try yaml.write(toFile: repository.url("gantry.yml"), atomically: true, encoding: .utf8)
        let configuration = try Configuration(parsing: yaml, file: "gantry.yml")
        return EnvironmentManager(
            configuration: configuration, root: repository.path,
            store: LedgerStore(stateDirectory: StateDirectory(path: state.path), registry: registry.path), context: nil,
            environment: ProcessInfo.processInfo.environment)
    }

    func sessions(_ ledger: Ledger?) -> [ProcessSession] {
        (ledger?.resources ?? []).compactMap { $0.session.map(ProcessSession.init(id:)) }
    }

    func expectNoStrays(_ sessions: [ProcessSession], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        for session in sessions {
            #expect(session.members().isEmpty, "session \(session.id) left \(session.members())", sourceLocation: sourceLocation)
        }
    }

    @Test("up starts every service on its own port in depends_on order, down stops them all")
    func upAndDown() async throws {
        let manager = try manager(
            """
              db: {paths: [db/**], run: "\(Self.server)", health: ["${url}/"]}
              api: {paths: [api/**], depends_on: [db], run: "echo \\"db at $DB_URL\\"; \(Self.server)"}

            """)
        let ledger = try await manager.up(
            services: manager.configuration.services,
            awaitHealth: HealthWaiter.waiter(configuration: manager.configuration, root: repository.path, environment: [:]))
        #expect(ledger.state == .up)
        #expect(ledger.endpoints.map(\.service) == ["db", "api"])
        #expect(Set(ledger.endpoints.compactMap(\.port)).count == 2)
        let sessions = sessions(ledger)
        #expect(sessions.count == 2 && sessions.allSatisfy { $0.isAlive })
        let log = try String(contentsOfFile: try #require(ledger.resources[1].log), encoding: .utf8)
        #expect(
            log.contains("db at http://127.0.0.1:\(ledger.endpoints[0].port ?? 0)"), "a service gets the URLs of those started before it")

        let down = await manager.down()
        #expect(down.problems.isEmpty)
        #expect(down.removed == [ledger.name])
        expectNoStrays(sessions)
        let again = await manager.down()
        #expect(again.removed.isEmpty && again.problems.isEmpty)
        #expect(again.note?.contains("nothing to take down") == true)
    }

    @Test("a second up of the same environment is refused")
    func secondUp() async throws {
        let manager = try manager("  api: {paths: [api/**], run: \"\(Self.server)\"}\n")
        let ledger = try await manager.up(services: manager.configuration.services)
        defer { expectNoStrays(sessions(ledger)) }
        await #expect {
            _ = try await manager.up(services: manager.configuration.services)
        } throws: { error in
            (error as? EnvironmentFailure)?.message.contains("already up") == true
        }
        _ = await manager.down()
    }

    @Test("a service that ignores SIGTERM is killed after the grace period")
    func ignoresTerm() async throws {
        // Healthy means the server listens, which it does only after the trap is set.
        let manager = try manager(
            "  stubborn: {paths: [s/**], run: \"trap '' TERM; \(Self.server)\", health: [\"${url}/\"]}\n",
            extra: "environment: {grace: 1s}\n")
        let ledger = try await manager.up(
            services: manager.configuration.services,
            awaitHealth: HealthWaiter.waiter(configuration: manager.configuration, root: repository.path, environment: [:]))
        let clock = ContinuousClock()
        let start = clock.now
        let down = await manager.down()
        let took = clock.now - start
        #expect(down.problems.isEmpty)
        #expect(took >= .milliseconds(900) && took < .seconds(3), "took \(took)")
        expectNoStrays(sessions(ledger))
    }

    @Test("children and grandchildren go down with the service")
    func forks() async throws {
        let manager = try manager(
            "  forker: {paths: [f/**], run: \"sleep 300 & sh -c 'sleep 300 & sleep 300' & \(Self.server)\"}\n")
        let ledger = try await manager.up(services: manager.configuration.services)
        let session = try #require(sessions(ledger).first)
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(5)
        while session.members().count < 4 && clock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(session.members().count >= 4, "the server, two sleeps and a shell")
        _ = await manager.down()
        expectNoStrays([session])
    }

    @Test("a missing working directory fails up clearly, before anything starts")
    func missingDirectory() async throws {
        let manager = try manager("  web: {paths: [web/**], run: \"\(Self.server)\"}\n")
        await #expect {
            _ = try await manager.up(services: manager.configuration.services)
        } throws: { error in
            (error as? EnvironmentFailure)?.message.contains("the working directory of `web`, web, does not exist") == true
        }
        _ = await manager.down()
    }

    @Test("a fixed port that is taken fails up before anything starts, naming the port")
    func portTaken() async throws {
        let blocker = try TestListener()
        let manager = try manager("  api: {paths: [api/**], port: \(blocker.port), run: \"\(Self.server)\"}\n")
        await #expect {
            _ = try await manager.up(services: manager.configuration.services)
        } throws: { error in
            (error as? EnvironmentFailure)?.message.contains("port \(blocker.port)") == true
        }
        #expect(manager.store.ledgers().first?.state == .failed)
        #expect(manager.store.ledgers().first?.resources.isEmpty == true)
        _ = await manager.down()
    }

    @Test("env values expand ${url}, ${port} and ${env.NAME}; run stays the shell's")
    func environmentExpanded() async throws {
        let manager = try manager(
            """
              api:
                paths: [api/**]
                run: 'echo "home=$HOME_COPY self=$SELF port=$P literal=$HOME"; \(Self.server)'
                env: {HOME_COPY: "${env.HOME}", SELF: "${url}/api", P: "${port}"}

            """)
        let ledger = try await manager.up(services: manager.configuration.services)
        defer { expectNoStrays(sessions(ledger)) }
        let url = try #require(ledger.endpoints.first?.url)
        let port = try #require(ledger.endpoints.first?.port)
        let home = try #require(ProcessInfo.processInfo.environment["HOME"])
        let logged = await waitForLine(in: try #require(ledger.resources.first?.log))
        #expect(logged == "home=\(home) self=\(url)/api port=\(port) literal=\(home)")
        _ = await manager.down()
    }

    @Test("an env value whose ${env.NAME} is not set fails up before any service starts")
    func environmentUnset() async throws {
        let manager = try manager(
            """
              db: {paths: [db/**], run: "\(Self.server)"}
              api: {paths: [api/**], depends_on: [db], run: "\(Self.server)", env: {TOKEN: "Bearer ${env.GANTRY_TEST_NEVER_SET}"}}

            """)
        let failure = try #require(await manager.upFailure())
        #expect(failure.service == "api")
        #expect(
            failure.message.contains("`services.api.env.TOKEN` uses ${env.GANTRY_TEST_NEVER_SET}, which is not set"), "\(failure.message)")
        #expect(failure.ledger?.resources.isEmpty == true, "not even db started")
    }

    /// The first line of a log, once a service has written it.
    func waitForLine(in log: String) async -> String? {
        for _ in 0..<250 {
            if let text = try? String(contentsOfFile: log, encoding: .utf8), let line = text.split(separator: "\n").first {
                return String(line)
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    @Test("a service that serves HTTPS with its own certificate declares its scheme and base path, and its health gate passes")
    func httpsService() async throws {
        let generated = try runCommand(
            "openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1",
                "-days", "1",
                "-keyout", repository.url("key.pem"), "-out", repository.url("cert.pem"),
            ])
        try #require(generated.status == 0, "\(generated.standardError)")
        let manager = try manager(
            """
              api:
                paths: [api/**]
                working_directory: "."
                run: "exec openssl s_server -accept 127.0.0.1:${port} -cert cert.pem -key key.pem -www -quiet"
                scheme: https
                base_path: /app/
                env: {SELF: "${url}"}
                health: [{http: "${url}/health", ca: cert.pem, deadline: 10s}]

            """)
        let ledger = try await manager.up(
            services: manager.configuration.services,
            awaitHealth: HealthWaiter.waiter(configuration: manager.configuration, root: repository.path, environment: [:]),
            awaitsEveryService: true)
        defer { expectNoStrays(sessions(ledger)) }
        let port = try #require(ledger.endpoints.first?.port)
        #expect(ledger.endpoints.first?.url == "https://127.0.0.1:\(port)/app")
        _ = await manager.down()
    }

    @Test("a fixed port that only TIME-WAIT sockets of an earlier run hold is free, so back-to-back runs start")
    func portInTimeWait() async throws {
        // The server side closes first, so its end, on the fixed port, waits in TIME-WAIT for a minute.
        let script = """
            import socket, time
            server = socket.socket(); server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            server.bind(("127.0.0.1", 0)); server.listen(1); port = server.getsockname()[1]
            client = socket.create_connection(("127.0.0.1", port)); accepted, _ = server.accept()
            accepted.close(); time.sleep(0.05); client.close(); server.close(); time.sleep(0.05)
            print(port)
            """
        let made = try runCommand("python3", ["-c", script])
        let port = try #require(Int(made.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)), "\(made.standardError)")
        let states = try runCommand("ss", ["-Htan", "state", "time-wait", "sport", "= :\(port)"])
        #expect(!states.standardOutput.isEmpty, "no TIME-WAIT socket on \(port) to test with")
        let manager = try manager("  api: {paths: [api/**], port: \(port), run: \"\(Self.server)\", health: [\"${url}/\"]}\n")
        let ledger = try await manager.up(
            services: manager.configuration.services,
            awaitHealth: HealthWaiter.waiter(configuration: manager.configuration, root: repository.path, environment: [:]))
        #expect(ledger.endpoints.first?.port == port)
        _ = await manager.down()
        expectNoStrays(sessions(ledger))
    }

    @Test("a dependency that exits at once fails up with the end of its log, and nothing is left")
    func exitsAtOnce() async throws {
        let manager = try manager(
            """
              db: {paths: [db/**], run: "echo starting; echo cannot open the database >&2; exit 3", health: [{http: "${url}/", deadline: 2s}]}
              api: {paths: [api/**], depends_on: [db], run: "\(Self.server)"}

            """)
        var failure: EnvironmentFailure?
        do {
            _ = try await manager.up(
                services: manager.configuration.services,
                awaitHealth: HealthWaiter.waiter(configuration: manager.configuration, root: repository.path, environment: [:]))
        } catch {
            failure = error
        }
        let error = try #require(failure)
        #expect(error.service == "db")
        #expect(error.logTail.contains("cannot open the database"))
        #expect(error.message.contains("`db`, which `api` depends on, is not healthy"))
        #expect(error.ledger?.resources.map(\.service) == ["db"], "api never started")
        let sessions = sessions(error.ledger)
        _ = await manager.down()
        expectNoStrays(sessions)
    }

    @Test("gc removes an environment past its time to live, of any run, and leaves a younger one")
    func garbageCollection() async throws {
        let old = try manager(
            "  api: {paths: [api/**], run: \"\(Self.server)\"}\n", extra: "environment: {ttl: 1s, name: \"old-{run_id}\"}\n")
        let oldLedger = try await old.up(services: old.configuration.services)
        let young = try manager(
            "  api: {paths: [api/**], run: \"\(Self.server)\"}\n", extra: "environment: {ttl: 1h, name: \"young-{run_id}\"}\n")
        let youngLedger = try await young.up(services: young.configuration.services)
        // Another run's gc: its own state directory, the machine's registry.
        let otherState = try TemporaryDirectory(prefix: "gantry-other")
        let other = EnvironmentManager(
            configuration: young.configuration, root: repository.path,
            store: LedgerStore(stateDirectory: StateDirectory(path: otherState.path), registry: registry.path),
            context: nil, environment: [:])
        let report = await other.collectGarbage(now: Date().addingTimeInterval(5))
        #expect(report.removed == [oldLedger.name])
        expectNoStrays(sessions(oldLedger))
        #expect(sessions(youngLedger).allSatisfy { $0.isAlive })
        _ = await young.down()
        expectNoStrays(sessions(youngLedger))
    }
}

/// A socket listening on a free loopback port, holding it until released.
final class TestListener {
    let port: Int
    private let descriptor: Int32

    init() throws {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        listen(socketDescriptor, 1)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketDescriptor, $0, &length) }
        }
        descriptor = socketDescriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}
