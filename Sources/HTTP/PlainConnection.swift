import Basics

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One kept-alive TCP connection that a session's loop writes requests on and reads responses
/// from itself. Loop thread only; the socket is closed when the value goes away.
final class PlainConnection {
    let address: SocketAddress
    let descriptor: Int32
    /// Whether a response has already come over it: such a connection may have been closed by
    /// the server while it sat idle, so a request that gets nothing back on it is tried again once.
    var hasCarriedAResponse = false
    /// Received bytes after the last whole line, kept until the rest of the line arrives.
    var pending: [UInt8] = []

    /// Starts a non-blocking connect; `isConnected` says whether it finished at once. Throws the
    /// system's error number when no socket could be made or the connect failed at once.
    init(connectingTo address: SocketAddress) throws(SystemError) {
        let descriptor = address.makeSocket()
        guard descriptor >= 0 else { throw SystemError(number: errno) }
        self.address = address
        self.descriptor = descriptor
        // Each request is written whole, so nothing gains from waiting to fill a segment; and
        // a response's last bytes must not wait for the acknowledgement of the previous ones.
        var one: Int32 = 1
        _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        #if canImport(Darwin)
            _ = setsockopt(descriptor, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        if address.beginConnecting(descriptor) == 0 {
            isConnected = true
        } else if errno != EINPROGRESS {
            throw SystemError(number: errno)
        }
    }

    deinit { close(descriptor) }

    /// Whether the TCP handshake is done.
    private(set) var isConnected = false

    /// Whether the connection, idle since its last response, is still open with nothing unread on
    /// it, as libcurl checks before it reuses one. Bytes that came after a response (a body the
    /// server wrote late, an unsolicited 408 before it closes) would otherwise be read as the
    /// next request's response.
    var isQuietAndOpen: Bool {
        var byte: UInt8 = 0
        let received = recv(descriptor, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        return received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
    }

    /// Finishes a connect the loop saw writable (or in error); throws the connect's error.
    func finishConnecting() throws(SystemError) {
        var error: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &size) == 0 else { throw SystemError(number: errno) }
        guard error == 0 else { throw SystemError(number: error) }
        isConnected = true
    }

    /// Writes what it can of `bytes`: how many went, 0 when the socket's buffer is full.
    func send(_ bytes: ArraySlice<UInt8>) throws(SystemError) -> Int {
        #if os(Linux)
            // A server that closed the connection must fail the write, not kill the process.
            let flags = Int32(MSG_NOSIGNAL)
        #else
            let flags: Int32 = 0
        #endif
        let written = bytes.withUnsafeBytes { systemSend(descriptor, $0.baseAddress, $0.count, flags) }
        if written >= 0 { return written }
        guard errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else { throw SystemError(number: errno) }
        return 0
    }

    /// Reads into `buffer`: how many bytes came, 0 when the server closed the connection, nil
    /// when none are there yet.
    func receive(into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int? {
        let count = recv(descriptor, buffer.baseAddress, buffer.count, 0)
        if count >= 0 { return count }
        guard errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else { throw SystemError(number: errno) }
        return nil
    }
}

/// An `errno` value, for the loop to word as libcurl would.
struct SystemError: Error {
    var number: Int32
    var text: String { String(cString: strerror(number)) }
}

#if canImport(Glibc)
    private let systemSend = Glibc.send
#else
    private let systemSend = Darwin.send
#endif
