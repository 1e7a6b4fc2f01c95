internal import COpenSSL

/// Why a TLS operation failed: what gantry was doing, and OpenSSL's own explanation from its
/// error queue, or the system's when the failure was the connection's.
package struct TLSError: Error, CustomStringConvertible, Sendable {
    /// The kinds of failure callers react to differently.
    package enum Code: Sendable, Hashable {
        /// The connection or the handshake did not finish within the time given.
        case timeout
        /// No connection could be made: refused, unreachable, or the name did not resolve.
        case couldNotConnect
        /// The handshake failed: the server closed it, or client and server share no protocol.
        case handshake
        /// A certificate or key could not be read, made or written.
        case certificate
    }

    /// The kind of failure.
    package let code: Code
    /// What happened, in plain words, naming the server or the file.
    package let message: String

    package var description: String { message }

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `operation` failed; OpenSSL's queued errors for this thread (the earliest, which names the
    /// cause) say why, and the queue is left empty for the next call.
    init(_ code: Code, failedTo operation: String) {
        self.init(code, "\(operation): \(Self.drainQueue() ?? "OpenSSL gave no reason")")
    }

    /// The earliest of OpenSSL's queued errors for this thread, as text, emptying the queue.
    static func drainQueue() -> String? {
        var first: String?
        var code = ERR_get_error()
        var count = 0
        // The queue holds at most 16 entries; the bound only guards against a library that misbehaves.
        while code != 0 && count < 64 {
            if first == nil {
                var buffer = [CChar](repeating: 0, count: 256)
                ERR_error_string_n(code, &buffer, buffer.count)
                first = Self.reason(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
            code = ERR_get_error()
            count += 1
        }
        return first
    }

    /// "error:0A000102:SSL routines::unsupported protocol" says "unsupported protocol" to a person.
    private static func reason(_ text: String) -> String {
        guard let last = text.split(separator: ":", omittingEmptySubsequences: false).last, !last.isEmpty else { return text }
        return String(last)
    }
}

/// Runs an OpenSSL call that returns 1 on success, and turns anything else into a `TLSError`.
func check(_ code: TLSError.Code, _ operation: @autoclosure () -> String, _ result: Int32) throws(TLSError) {
    guard result == 1 else { throw TLSError(code, failedTo: operation()) }
}

/// Returns an OpenSSL handle, or throws the queued error when the call returned none.
func created(_ operation: @autoclosure () -> String, _ handle: OpaquePointer?) throws(TLSError) -> OpaquePointer {
    guard let handle else { throw TLSError(.certificate, failedTo: operation()) }
    return handle
}

/// OpenSSL initialises itself on first use, but explicitly and once is cheaper to reason about:
/// a lazy global runs exactly once, thread-safely, before the first handle is made.
let libraryInitialized: Bool = {
    OPENSSL_init_ssl(UInt64(OPENSSL_INIT_LOAD_SSL_STRINGS | OPENSSL_INIT_LOAD_CRYPTO_STRINGS), nil) == 1
}()
