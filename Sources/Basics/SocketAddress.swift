#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 or IPv6 address with a port, in the form `connect` takes, and the non-blocking TCP
/// connect to it that both the HTTP loop and the TLS handshake start from.
package struct SocketAddress: Sendable {
    private var storage = sockaddr_storage()
    private(set) var length: socklen_t = 0
    package private(set) var family: Int32 = 0
    /// `host:port`, IPv6 in brackets, for messages.
    package let endpoint: String

    /// The address, or nil when `host` is not a numeric address (a name needs a lookup, which
    /// this never does). `host` is bare: `::1`, not `[::1]`; an IPv6 zone such as `%eth0` is allowed.
    package init?(numericHost host: String, port: Int) {
        guard let address = Self.addresses(of: host, port: port, flags: AI_NUMERICHOST, limit: 1).first else { return nil }
        self = address
    }

    /// The addresses `host` resolves to, in the resolver's order, at most `limit`; empty when it
    /// resolves to none. The system's resolver has timeouts of its own (resolv.conf's); a numeric
    /// address needs no lookup.
    package static func resolving(_ host: String, port: Int, limit: Int = 16) -> [SocketAddress] {
        addresses(of: host, port: port, flags: 0, limit: limit)
    }

    private static func addresses(of host: String, port: Int, flags: Int32, limit: Int) -> [SocketAddress] {
        guard (1...65535).contains(port) else { return [] }
        var hints = addrinfo()
        hints.ai_flags = flags | AI_NUMERICSERV
        hints.ai_socktype = streamType
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &found) == 0 else { return [] }
        defer { freeaddrinfo(found) }
        let endpoint = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        var addresses: [SocketAddress] = []
        var next = found
        while let info = next?.pointee, addresses.count < limit {
            next = info.ai_next
            guard let address = info.ai_addr, Int(info.ai_addrlen) <= MemoryLayout<sockaddr_storage>.size else { continue }
            var resolved = SocketAddress(endpoint: endpoint)
            withUnsafeMutableBytes(of: &resolved.storage) { target in
                target.copyMemory(from: UnsafeRawBufferPointer(start: address, count: Int(info.ai_addrlen)))
            }
            resolved.length = info.ai_addrlen
            resolved.family = info.ai_family
            addresses.append(resolved)
        }
        return addresses
    }

    private init(endpoint: String) { self.endpoint = endpoint }

    #if canImport(Darwin)
        static let streamType = SOCK_STREAM
    #else
        static let streamType = Int32(SOCK_STREAM.rawValue)
    #endif

    /// A non-blocking, close-on-exec TCP socket for this address's family, or -1 with `errno` set.
    package func makeSocket() -> Int32 {
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

    /// Starts a non-blocking connect of `descriptor` to this address: 0 when it connected at once,
    /// else -1 with `errno` set (`EINPROGRESS` while it is under way).
    package func beginConnecting(_ descriptor: Int32) -> Int32 {
        withUnsafeBytes(of: storage) { bytes in
            connect(descriptor, bytes.baseAddress!.assumingMemoryBound(to: sockaddr.self), length)
        }
    }
}
