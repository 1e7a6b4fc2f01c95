import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A TLS server on 127.0.0.1 made with Python's `ssl` module, serving a certificate chain the test
/// made, and misbehaving on request. Ended by `stop()` (or `timeout` after a minute).
public final class PythonTLSServer: @unchecked Sendable {
    /// How it behaves once a connection is accepted.
    public enum Behaviour: String, Sendable {
        /// Completes the handshake, then closes.
        case handshake
        /// Speaks TLS 1.0 only (with `@SECLEVEL=0`, since OpenSSL 3 refuses it otherwise).
        case onlyTLS10 = "tls10"
        /// Accepts the connection and says nothing, holding it open.
        case silent
        /// Closes the connection at once, before any handshake.
        case drop
    }

    public let port: Int
    private let process: pid_t
    private let directory: TemporaryDirectory
    private var isStopped = false

    /// Starts the server with `chainFile` (the leaf first, then any intermediates) and `keyFile`;
    /// returns once it listens.
    public init(chainFile: String, keyFile: String, behaviour: Behaviour = .handshake) throws {
        directory = try TemporaryDirectory(prefix: "gantry-pytls")
        let portFile = directory.url("port")
        process = try spawnWithDefaultSignals(
            ["timeout", "60", "python3", "-c", Self.script, chainFile, keyFile, portFile, behaviour.rawValue],
            standardError: directory.url("stderr"))
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), text.hasSuffix("\n"),
                let port = Int(text.dropLast())
            {
                self.port = port
                return
            }
            usleep(10_000)
        }
        kill(process, SIGTERM)
        var status: Int32 = 0
        waitpid(process, &status, 0)
        let error = (try? String(contentsOfFile: directory.url("stderr"), encoding: .utf8)) ?? ""
        throw TestFailure("the Python TLS server did not start: \(error)")
    }

    deinit { stop() }

    /// Ends the server and reaps it (`terminateAndReap`).
    public func stop() {
        guard !isStopped else { return }
        isStopped = true
        terminateAndReap(process)
    }

    private static let script = #"""
        import socket, ssl, sys
        chain, key, port_file, behaviour = sys.argv[1:5]
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        if behaviour == "tls10":
            context.set_ciphers("DEFAULT:@SECLEVEL=0")
            context.minimum_version = ssl.TLSVersion.TLSv1
            context.maximum_version = ssl.TLSVersion.TLSv1
        context.load_cert_chain(chain, key)
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        with open(port_file + ".tmp", "w") as f:
            f.write(f"{listener.getsockname()[1]}\n")
        import os; os.rename(port_file + ".tmp", port_file)
        held = []
        while True:
            connection, _ = listener.accept()
            if behaviour == "silent":
                held.append(connection)
            elif behaviour == "drop":
                connection.close()
            else:
                try:
                    connection.settimeout(5)
                    context.wrap_socket(connection, server_side=True).close()
                except Exception:
                    connection.close()
        """#
}
