import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A loopback address a test server can listen on.
public enum LoopbackAddress: Sendable {
    /// 127.0.0.1
    case ipv4
    /// ::1
    case ipv6
}

/// A real HTTP/1.1 server on 127.0.0.1 (or ::1) whose per-connection behaviour is a closure, so a
/// test can make it answer properly or misbehave on purpose. Each accepted connection gets its
/// own thread.
public final class TestServer: @unchecked Sendable {
    /// Runs on the connection's own thread; the connection is closed when it returns.
    public typealias Behaviour = @Sendable (TestConnection) -> Void

    /// A socket call that failed while setting the server up.
    public struct SocketError: Error, CustomStringConvertible {
        /// The call, such as `bind/listen`.
        public var call: String
        /// Its errno.
        public var code: Int32
        public var description: String { "\(call) failed: \(String(cString: strerror(code)))" }
    }

    /// The port it listens on.
    public let port: UInt16
    /// The loopback address it listens on.
    public let address: LoopbackAddress
    private let listener: Int32
    private let behaviour: Behaviour
    private let threads = DispatchGroup()
    // Guards `connections` and `isStopping`; all state below is only touched under it.
    private let lock = NSLock()
    private var connections: Set<Int32> = []
    private var isStopping = false
    private var listenerClosed = false
    private var listeningSince: ContinuousClock.Instant?

    /// Starts a server whose connections behave as `behaviour` says.
    ///
    /// - Parameter delay: How long the port refuses connections before the server listens, as a
    ///   service that is still starting: the port is bound at once (so no other process takes
    ///   it) but not listening, and the kernel answers a connection attempt with a reset.
    public init(address: LoopbackAddress = .ipv4, listeningAfter delay: Duration = .zero, _ behaviour: @escaping Behaviour) throws {
        self.behaviour = behaviour
        self.address = address
        (listener, port) = try bindLoopback(address, backlog: delay > .zero ? nil : 128)
        if delay <= .zero { listeningSince = .now }
        threads.enter()
        let thread = Thread { [self] in
            if delay > .zero { startListening(after: delay) }
            acceptLoop()
            threads.leave()
        }
        thread.name = "TestServer.accept"
        thread.start()
    }

    /// The base URL of the server, such as "http://127.0.0.1:51234" or "http://[::1]:51234".
    public var url: String { "http://\(host):\(port)" }

    /// The host as a URL writes it: "127.0.0.1" or "[::1]".
    public var host: String { address == .ipv4 ? "127.0.0.1" : "[::1]" }

    /// Whether this machine can listen on ::1 (containers sometimes have no IPv6 at all).
    public static let isIPv6LoopbackAvailable: Bool = {
        guard let (socket, _) = try? bindLoopback(.ipv6, backlog: nil) else { return false }
        close(socket)
        return true
    }()

    /// Stops accepting, breaks every open connection and waits for all server threads to finish.
    /// Returns false if some thread did not finish within a few seconds.
    public func stop() -> Bool {
        lock.withLock {
            isStopping = true
            // Shutting down (not closing) wakes threads blocked on the socket without letting
            // the descriptor number be reused while they still hold it.
            for socket in connections { _ = shutdown(socket, Int32(SHUT_RDWR)) }
        }
        return threads.wait(timeout: .now() + 5) == .success
    }

    /// When the server started accepting connections; nil while it still refuses them.
    public var startedListening: ContinuousClock.Instant? { lock.withLock { listeningSince } }

    /// The number of sockets (listener included) the server still has open.
    public var openSocketCount: Int {
        lock.withLock { connections.count + (listenerClosed ? 0 : 1) }
    }

    /// Waits out `delay` in short steps, so that `stop()` is not held up, then starts listening.
    private func startListening(after delay: Duration) {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < delay {
            if lock.withLock({ isStopping }) { return }
            sleep(for: min(.milliseconds(10), delay - (ContinuousClock.now - start)))
        }
        lock.withLock {
            _ = listen(listener, 128)
            listeningSince = .now
        }
    }

    private func acceptLoop() {
        // Polling with a short timeout lets the loop notice `stop()`; a blocked accept() is not
        // woken by shutdown() on every platform.
        while !lock.withLock({ isStopping }) {
            var pollDescriptor = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&pollDescriptor, 1, 20) > 0 else { continue }
            let socket = accept(listener, nil, nil)
            guard socket >= 0 else { continue }
            #if canImport(Darwin)
                var one: Int32 = 1
                setsockopt(socket, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
            #endif
            let accepted = lock.withLock {
                guard !isStopping else { return false }
                connections.insert(socket)
                return true
            }
            guard accepted else {
                close(socket)
                break
            }
            threads.enter()
            let thread = Thread { [self] in
                behaviour(TestConnection(socket: socket))
                lock.withLock {
                    connections.remove(socket)
                    close(socket)
                }
                threads.leave()
            }
            thread.name = "TestServer.connection"
            thread.start()
        }
        lock.withLock {
            close(listener)
            listenerClosed = true
        }
    }
}

/// Runs `body` with a server that behaves as `behaviour` says, then stops the server and checks
/// that its threads finished and its sockets closed.
public func withTestServer<Result>(
    _ behaviour: @escaping TestServer.Behaviour,
    test body: (TestServer) throws -> Result
) throws -> Result {
    let server = try TestServer(behaviour)
    defer {
        #expect(server.stop(), "server threads still running after stop()")
        #expect(server.openSocketCount == 0, "server sockets left open")
    }
    return try body(server)
}

/// `withTestServer` for async tests, optionally listening on ::1.
public func withTestServer<Result>(
    address: LoopbackAddress = .ipv4,
    _ behaviour: @escaping TestServer.Behaviour,
    test body: (TestServer) async throws -> Result
) async throws -> Result {
    let server = try TestServer(address: address, behaviour)
    defer {
        #expect(server.stop(), "server threads still running after stop()")
        #expect(server.openSocketCount == 0, "server sockets left open")
    }
    return try await body(server)
}

extension TestServer {
    /// A keep-alive server that answers every request with 200 and `body` after `delay`, as a
    /// slow backend would.
    public static func slow(delay: Duration, body: [UInt8]) -> Behaviour {
        { connection in
            while connection.readRequest() != nil {
                sleep(for: delay)
                guard connection.respond(status: 200, body: body) else { return }
            }
        }
    }
}

/// Blocks the calling thread; server behaviours run on their own threads, so blocking is what they want.
public func sleep(for duration: Duration) {
    let (seconds, attoseconds) = duration.components
    var remaining = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
    var request = remaining
    while nanosleep(&request, &remaining) != 0, errno == EINTR { request = remaining }
}

/// A port on 127.0.0.1 that is bound but not listening, so connecting to it is refused, and no
/// other process can start listening on it while the test runs.
public final class ClosedPort {
    /// The refused port.
    public let port: UInt16
    private let socket: Int32

    /// Reserves a free port.
    public init() throws {
        (socket, port) = try bindLoopback(.ipv4, backlog: nil)
    }

    deinit { close(socket) }
}

/// A port on 127.0.0.1 where connecting hangs until the client gives up: the listener never
/// accepts and its queue is already full, so the kernel drops every new SYN, as a firewall that
/// silently drops packets would. It stays on the loopback, unlike a "non-routable" address.
public final class UnresponsivePort {
    /// The port where connecting hangs.
    public let port: UInt16
    private let listener: Int32
    private var fillers: [Int32] = []

    /// Reserves a free port and fills its queue.
    public init() throws {
        (listener, port) = try bindLoopback(.ipv4, backlog: 0)
        // A backlog of 0 still queues a connection or two; these take those places.
        for _ in 0..<3 {
            #if canImport(Glibc)
                let filler = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            #else
                let filler = Darwin.socket(AF_INET, SOCK_STREAM, 0)
            #endif
            guard filler >= 0 else { throw TestServer.SocketError(call: "socket", code: errno) }
            fillers.append(filler)
            _ = fcntl(filler, F_SETFL, fcntl(filler, F_GETFL) | O_NONBLOCK)
            var address = loopbackAddress(port: port)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(filler, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        // Lets the handshakes that can complete do so before the test connects.
        sleep(for: .milliseconds(100))
    }

    deinit {
        for filler in fillers { close(filler) }
        close(listener)
    }
}

private func loopbackAddress(port: UInt16) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
    #if canImport(Darwin)
        address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
    #endif
    return address
}

/// Binds a TCP socket to a free port on the loopback, listening with `backlog` unless it is nil.
private func bindLoopback(_ family: LoopbackAddress, backlog: Int32?) throws -> (socket: Int32, port: UInt16) {
    let domain = family == .ipv4 ? AF_INET : AF_INET6
    #if canImport(Glibc)
        let socket = Glibc.socket(domain, Int32(SOCK_STREAM.rawValue), 0)
    #else
        let socket = Darwin.socket(domain, SOCK_STREAM, 0)
    #endif
    guard socket >= 0 else { throw TestServer.SocketError(call: "socket", code: errno) }
    var storage = sockaddr_storage()
    var length: socklen_t
    switch family {
    case .ipv4:
        var address = loopbackAddress(port: 0)
        length = socklen_t(MemoryLayout<sockaddr_in>.size)
        memcpy(&storage, &address, Int(length))
    case .ipv6:
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_port = 0
        address.sin6_addr = in6addr_loopback
        #if canImport(Darwin)
            address.sin6_len = UInt8(MemoryLayout<sockaddr_in6>.size)
        #endif
        length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        memcpy(&storage, &address, Int(length))
    }
    let bound = withUnsafeMutablePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(socket, pointer, length) == 0 && getsockname(socket, pointer, &length) == 0
        }
    }
    guard bound, backlog.map({ listen(socket, $0) == 0 }) ?? true else {
        let code = errno
        close(socket)
        throw TestServer.SocketError(call: "bind/listen", code: code)
    }
    let port = withUnsafePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
    }
    return (socket, port)
}

/// A request as the test server received it.
public struct ReceivedRequest: Sendable {
    /// The method, such as GET.
    public var method: String
    /// The request target, such as `/health`.
    public var target: String
    /// The header fields, in order.
    public var headers: [(name: String, value: String)]
    /// The body, as long as its Content-Length said.
    public var body: [UInt8]

    /// The first value of the header `name`, compared without case.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// One accepted connection, with blocking helpers to read requests and write raw bytes.
public final class TestConnection: @unchecked Sendable {
    /// The connected socket.
    public let socket: Int32
    private var buffer: [UInt8] = []

    /// Wraps an accepted socket.
    public init(socket: Int32) {
        self.socket = socket
    }

    /// Reads the next request (head and Content-Length body), or nil when the peer closed the
    /// connection or the server is stopping.
    public func readRequest() -> ReceivedRequest? {
        let terminator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while true {
            if let end = buffer.firstRange(of: terminator) {
                headEnd = end.upperBound
                break
            }
            guard receiveMore() else { return nil }
        }
        guard let headEnd else { return nil }
        let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
        buffer.removeFirst(headEnd)
        var lines = head.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        guard !lines.isEmpty else { return nil }
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        let headers = lines.compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var request = ReceivedRequest(
            method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: [])
        let length = Int(request.header("Content-Length") ?? "0") ?? 0
        while buffer.count < length {
            guard receiveMore() else { return nil }
        }
        request.body = Array(buffer[..<length])
        buffer.removeFirst(length)
        return request
    }

    /// Writes all of `bytes`; false once the peer has gone away.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        #if os(Linux)
            // Writing to a socket the client closed must fail with EPIPE, not kill the test process.
            let flags = Int32(MSG_NOSIGNAL)
        #else
            let flags: Int32 = 0
        #endif
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { systemSend(socket, $0.baseAddress, $0.count, flags) }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    /// Writes `text` as UTF-8; false once the peer has gone away.
    @discardableResult
    public func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Writes a complete response with a Content-Length.
    @discardableResult
    public func respond(
        status: Int,
        reason: String = "OK",
        headers: [(String, String)] = [],
        body: [UInt8] = []
    ) -> Bool {
        var head = "HTTP/1.1 \(status) \(reason)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body.count)\r\n\r\n"
        return send(Array(head.utf8) + body)
    }

    /// Blocks until the peer closes the connection or the server stops, discarding anything read.
    public func waitUntilClosed() {
        while receiveMore() { buffer.removeAll() }
    }

    private func receiveMore() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[..<count])
        return true
    }
}

/// The C `send`, which the `send` methods above shadow.
private func systemSend(_ socket: Int32, _ bytes: UnsafeRawPointer?, _ count: Int, _ flags: Int32) -> Int {
    send(socket, bytes, count, flags)
}
