import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Loopback ports: a free one for a service without a fixed port, and whether a fixed one is free.
package enum LoopbackPort {
    /// A port the kernel reports free on 127.0.0.1 now. Another process could take it before the
    /// service binds it; the service's health gate then says so.
    package static func free() throws(GantryError) -> Int {
        guard let port = bind(0) else { throw .io(action: "find a free port on 127.0.0.1", reason: String(cString: strerror(errno))) }
        return port
    }

    /// Whether `port` on 127.0.0.1 can be bound now by a server, which sets `SO_REUSEADDR` as
    /// servers do: a port that only the TIME-WAIT sockets of a previous run hold is free, one with a
    /// listener is not.
    package static func isFree(_ port: Int) -> Bool { bind(port) != nil }

    private static func bind(_ port: Int) -> Int? {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var reuse: Int32 = 1
        guard setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size)) == 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Foundation.bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { return nil }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return named == 0 ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }
}
