import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A real `openssl s_server -www` on 127.0.0.1 with a fresh self-signed certificate for
/// `localhost` and `127.0.0.1`, for checking certificate verification against a real TLS stack.
///
/// The process is always ended by `withTLSTestServer`; `timeout` ends it too if the test
/// process itself dies, so no server outlives a test run by more than a minute.
public final class TLSTestServer: @unchecked Sendable {
    /// The port it listens on.
    public let port: UInt16
    /// The PEM certificate, which is its own certificate authority.
    public let certificateFile: String
    private let process: pid_t
    private let directory: TemporaryDirectory
    private var isStopped = false

    /// Generates the certificate and starts the server; returns once it accepts connections.
    public init() throws {
        directory = try TemporaryDirectory(prefix: "gantry-tls")
        certificateFile = directory.url("cert.pem")
        let keyFile = directory.url("key.pem")
        let generated = try runCommand(
            "openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-days", "1",
                "-keyout", keyFile, "-out", certificateFile,
            ])
        guard generated.status == 0 else { throw TestFailure("openssl req failed: \(generated.standardError)") }

        port = try Self.freePort()
        process = try spawnWithDefaultSignals([
            "timeout", "60", "openssl", "s_server", "-accept", "127.0.0.1:\(port)",
            "-cert", certificateFile, "-key", keyFile, "-www", "-quiet",
        ])
        do {
            try waitUntilAccepting()
        } catch {
            stop()
            throw error
        }
    }

    /// "https://127.0.0.1:PORT/"
    public var url: String { "https://127.0.0.1:\(port)/" }

    /// Ends the server process and waits for it, so none is left behind (`terminateAndReap`).
    public func stop() {
        guard !isStopped else { return }
        isStopped = true
        terminateAndReap(process)
    }

    private var hasExited: Bool {
        var status: Int32 = 0
        return waitpid(process, &status, WNOHANG) == process
    }

    private func waitUntilAccepting() throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            guard !hasExited else {
                isStopped = true
                throw TestFailure("openssl s_server exited early")
            }
            let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(probe, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            close(probe)
            if connected { return }
            usleep(20_000)
        }
        throw TestFailure("openssl s_server did not start listening on port \(port)")
    }

    /// A port that was free a moment ago; openssl must bind it itself, so the small race with
    /// other processes is accepted.
    private static func freePort() throws -> UInt16 {
        let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(probe) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(probe, $0, length) == 0 && getsockname(probe, $0, &length) == 0
            }
        }
        guard bound else { throw TestFailure("could not find a free port") }
        return UInt16(bigEndian: address.sin_port)
    }
}

/// Runs `body` with a TLS server and always stops the server afterwards.
public func withTLSTestServer<Result>(test body: (TLSTestServer) async throws -> Result) async throws -> Result {
    let server = try TLSTestServer()
    defer { server.stop() }
    return try await body(server)
}
