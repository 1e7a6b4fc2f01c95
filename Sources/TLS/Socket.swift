import Basics
import Foundation

/// A TCP connection made with a deadline: a non-blocking connect to each address the name
/// resolves to, in turn, each awaited with `poll`. Owns its descriptor.
final class Socket {
    let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { close(descriptor) }

    /// Connects to `host:port` before `deadline`, trying each address the name resolves to in turn.
    static func connect(host: String, port: Int, endpoint: String, deadline: ContinuousClock.Instant) throws(TLSError) -> Socket {
        guard (1...65535).contains(port) else { throw TLSError(.couldNotConnect, "\(port) is no TCP port: expected 1 to 65535") }
        let addresses = SocketAddress.resolving(host, port: port)
        guard !addresses.isEmpty else { throw TLSError(.couldNotConnect, "could not resolve host '\(host)'") }
        var lastError: Int32 = ETIMEDOUT
        for address in addresses {
            let descriptor = address.makeSocket()
            guard descriptor >= 0 else {
                lastError = errno
                continue
            }
            let socket = Socket(descriptor: descriptor)
            if address.beginConnecting(descriptor) == 0 { return socket }
            guard errno == EINPROGRESS else {
                lastError = errno
                continue
            }
            guard socket.wait(for: Int16(POLLOUT), until: deadline) else {
                throw TLSError(.timeout, "could not connect to \(endpoint) in time")
            }
            var error: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &size)
            if error == 0 { return socket }
            lastError = error
        }
        switch lastError {
        case ECONNREFUSED: throw TLSError(.couldNotConnect, "connection to \(endpoint) refused")
        case ENETUNREACH, EHOSTUNREACH: throw TLSError(.couldNotConnect, "\(endpoint) is unreachable")
        default: throw TLSError(.couldNotConnect, "could not connect to \(endpoint): \(String(cString: strerror(lastError)))")
        }
    }

    /// Waits until the socket is ready for `events`; false when the deadline passed first.
    func wait(for events: Int16, until deadline: ContinuousClock.Instant) -> Bool {
        while true {
            let remaining = deadline - .now
            guard remaining > .zero else { return false }
            let (seconds, attoseconds) = remaining.components
            let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
            var entry = pollfd(fd: descriptor, events: events, revents: 0)
            let ready = poll(&entry, 1, milliseconds)
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return true }  // the next call on the socket reports the error
        }
    }
}

/// Runs `body` with SIGPIPE blocked on this thread, then discards a SIGPIPE it raised.
///
/// OpenSSL writes to its socket with `write`, and a write to a connection the server has closed
/// (one that drops the handshake) raises SIGPIPE, whose default ends the process. Blocked, the
/// signal stays pending on this thread and `write` fails with EPIPE instead, which the handshake
/// reports; the pending signal is then taken, so that it is never delivered.
func withBrokenPipesIgnored<Result>(_ body: () throws(TLSError) -> Result) throws(TLSError) -> Result {
    var pipe = sigset_t()
    sigemptyset(&pipe)
    sigaddset(&pipe, SIGPIPE)
    var previous = sigset_t()
    pthread_sigmask(SIG_BLOCK, &pipe, &previous)
    defer {
        var pending = sigset_t()
        sigpending(&pending)
        if sigismember(&pending, SIGPIPE) == 1 && sigismember(&previous, SIGPIPE) == 0 {
            var immediately = timespec(tv_sec: 0, tv_nsec: 0)
            _ = sigtimedwait(&pipe, nil, &immediately)
        }
        pthread_sigmask(SIG_SETMASK, &previous, nil)
    }
    return try body()
}
