#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A numeric IPv4 or IPv6 address with a port, in the form `connect` takes.
struct SocketAddress: Sendable {
    private var storage = sockaddr_storage()
    private(set) var length: socklen_t = 0
    private(set) var family: Int32 = 0
    /// `host:port`, IPv6 in brackets, for messages.
    let endpoint: String

    /// The address, or nil when `host` is not a numeric address (a name needs a lookup, which
    /// this never does). `host` is bare: `::1`, not `[::1]`; an IPv6 zone such as `%eth0` is allowed.
    init?(numericHost host: String, port: Int) {
        guard (1...65535).contains(port) else { return nil }
        var hints = addrinfo()
        hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV
        hints.ai_socktype = Self.streamType
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &found) == 0, let first = found else { return nil }
        defer { freeaddrinfo(found) }
        let info = first.pointee
        guard let address = info.ai_addr, Int(info.ai_addrlen) <= MemoryLayout<sockaddr_storage>.size else { return nil }
        withUnsafeMutableBytes(of: &storage) { target in
            target.copyMemory(from: UnsafeRawBufferPointer(start: address, count: Int(info.ai_addrlen)))
        }
        length = info.ai_addrlen
        family = info.ai_family
        endpoint = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    #if canImport(Darwin)
        static let streamType = SOCK_STREAM
    #else
        static let streamType = Int32(SOCK_STREAM.rawValue)
    #endif

    /// A non-blocking, close-on-exec TCP socket for this address's family, or -1 with `errno` set.
    func makeSocket() -> Int32 {
        #if canImport(Darwin)
            let descriptor = socket(family, Self.streamType, 0)
            guard descriptor >= 0 else { return -1 }
            guard fcntl(descriptor, F_SETFL, O_NONBLOCK) == 0, fcntl(descriptor, F_SETFD, FD_CLOEXEC) == 0 else {
                let error = errno
                close(descriptor)
                errno = error
                return -1
            }
            return descriptor
        #else
            return socket(family, Self.streamType | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #endif
    }

    /// Starts a non-blocking connect of `descriptor` to this address.
    func beginConnecting(_ descriptor: Int32) -> Int32 {
        withUnsafeBytes(of: storage) { bytes in
            connect(descriptor, bytes.baseAddress!.assumingMemoryBound(to: sockaddr.self), length)
        }
    }
}
