import Basics

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A TCP connect that a session's loop makes itself, with a non-blocking socket, for a
/// connection check or to watch a port until it accepts.
///
/// A libcurl transfer costs a handle, its options and its state machine for every attempt; this
/// costs a socket and a `connect`, and a refused connection to a local port ends inside that one
/// system call, which is why a port can be watched every few milliseconds for next to nothing.
///
/// Loop thread only; the socket is closed when the attempt ends or the value goes away.
final class SocketConnect {
    let address: SocketAddress
    /// When the last attempt must have connected.
    let deadline: ContinuousClock.Instant
    /// How long after a failed attempt to try again, until the deadline; nil for one attempt only.
    let retryDelay: Duration?

    /// What an attempt came to.
    enum Progress {
        /// Connected, after this long since the first attempt.
        case connected(Duration)
        /// Waiting: for the socket to become writable, or for the next attempt.
        case pending
        /// Failed for good, with the system's error number, or 0 when the deadline passed.
        case failed(Int32)
    }

    /// The socket of the attempt under way, -1 between attempts.
    private(set) var descriptor: Int32 = -1
    /// When to start the next attempt, while there is none under way.
    private(set) var nextAttempt: ContinuousClock.Instant
    private let start: ContinuousClock.Instant
    /// The error of the last failed attempt, reported when the deadline passes.
    private var lastError: Int32 = 0

    init(address: SocketAddress, timeout: Duration, retryDelay: Duration?, now: ContinuousClock.Instant) {
        self.address = address
        self.retryDelay = retryDelay
        start = now
        nextAttempt = now
        deadline = now + timeout
    }

    deinit { closeSocket() }

    /// The latest moment the loop may wake up at for this connect: the next attempt or the deadline.
    var wakeUp: ContinuousClock.Instant { descriptor < 0 ? min(nextAttempt, deadline) : deadline }

    /// Starts an attempt if one is due, and ends the connect at the deadline.
    func advance(now: ContinuousClock.Instant) -> Progress {
        if now >= deadline {
            closeSocket()
            return .failed(lastError == 0 ? ETIMEDOUT : lastError)
        }
        guard descriptor < 0, now >= nextAttempt else { return .pending }
        let created = address.makeSocket()
        guard created >= 0 else { return failed(errno, now: now) }
        descriptor = created
        if address.beginConnecting(created) == 0 { return connected(now: now) }
        let error = errno
        return error == EINPROGRESS ? .pending : failed(error, now: now)
    }

    /// Finishes the attempt under way once the loop saw its socket writable (or in error).
    func socketIsReady(now: ContinuousClock.Instant) -> Progress {
        var error: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &size) == 0 else { return failed(errno, now: now) }
        return error == 0 ? connected(now: now) : failed(error, now: now)
    }

    private func connected(now: ContinuousClock.Instant) -> Progress {
        closeSocket()
        return .connected(now - start)
    }

    private func failed(_ error: Int32, now: ContinuousClock.Instant) -> Progress {
        closeSocket()
        lastError = error
        guard let retryDelay else { return .failed(error) }
        // At the deadline, `advance` ends the connect with this error.
        nextAttempt = min(now + retryDelay, deadline)
        return .pending
    }

    private func closeSocket() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }
}
