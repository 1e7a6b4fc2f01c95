internal import COpenSSL
import Foundation

/// What a TLS server showed in one handshake: the protocol and cipher it chose, its certificate,
/// and whether that certificate verified. Facts only: a gate decides what they must be.
package struct ServerHandshake: Sendable {
    /// Whose certificates are trusted.
    package enum Trust: Sendable, Hashable {
        /// The system's certificate authorities.
        case system
        /// Only the certificates in this PEM file.
        case certificateAuthorityFile(String)
    }

    /// The protocol negotiated, as people write it: `TLS 1.3`, `TLS 1.0`.
    package var protocolName: String
    /// Whether it is TLS 1.2 or later.
    package var isModernProtocol: Bool
    /// The cipher suite, as OpenSSL names it: `TLS_AES_256_GCM_SHA384`.
    package var cipher: String
    /// Why the chain or the name did not verify, in OpenSSL's words; nil when both did.
    package var verificationFailure: String?
    /// OpenSSL's verification result code (`X509_V_ERR_…`), 0 when it verified.
    package var verificationCode: Int
    /// The server's certificate.
    package var subject: String
    package var issuer: String
    package var subjectAlternativeNames: [String]
    package var notBefore: Date
    package var notAfter: Date
    /// SHA-256 of its SubjectPublicKeyInfo, base64.
    package var publicKeySHA256: String
    /// The certificate whose dates failed verification (`expiredCode`, `notYetValidCode`): the
    /// server's own, or an authority above it in the chain; nil for any other result.
    package var outOfDateCertificate: ChainCertificate?

    /// A certificate of the chain the server's certificate was verified along.
    package struct ChainCertificate: Sendable, Equatable {
        /// 0 for the server's own certificate, 1 for its issuer, and so on up.
        package var depth: Int
        /// Whether it is the top of the chain and issued itself: a root.
        package var isRoot: Bool
        package var subject: String
        package var notBefore: Date
        package var notAfter: Date
    }

    /// Verification result codes a gate words itself, with the dates it knows.
    package static let expiredCode = Int(X509_V_ERR_CERT_HAS_EXPIRED)
    package static let notYetValidCode = Int(X509_V_ERR_CERT_NOT_YET_VALID)

    /// Connects to `host:port`, shakes hands, and reports what the server showed.
    ///
    /// The handshake asks for TLS 1.2 or later with OpenSSL's default security level. When that
    /// fails for any reason other than time or the connection, it is tried once more allowing
    /// TLS 1.0 and 1.1 and every cipher (`@SECLEVEL=0`), only to learn what the server speaks:
    /// a server that speaks only TLS 1.0 is reported as such (`isModernProtocol` false) rather
    /// than as "unsupported protocol". Nothing is ever sent over the connection.
    ///
    /// - Parameters:
    ///   - name: The name the certificate must carry (and the SNI sent, unless it is an address).
    ///   - timeout: For the connection and the handshake together; a server that accepts and says
    ///     nothing fails at it.
    package static func perform(host: String, port: Int, name: String, trust: Trust, timeout: Duration) throws(TLSError) -> ServerHandshake
    {
        _ = libraryInitialized
        let deadline = ContinuousClock.now + timeout
        let endpoint = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        do {
            return try attempt(host: host, port: port, endpoint: endpoint, name: name, trust: trust, legacy: false, deadline: deadline)
        } catch  where error.code == .handshake {
            guard
                let legacy = try? attempt(
                    host: host, port: port, endpoint: endpoint, name: name, trust: trust, legacy: true, deadline: deadline),
                !legacy.isModernProtocol
            else { throw error }
            return legacy
        }
    }

    private static func attempt(
        host: String, port: Int, endpoint: String, name: String, trust: Trust, legacy: Bool, deadline: ContinuousClock.Instant
    ) throws(TLSError) -> ServerHandshake {
        let context = try ClientContext(trust: trust, legacy: legacy)
        let socket = try Socket.connect(host: host, port: port, endpoint: endpoint, deadline: deadline)
        let session = try ClientSession(context: context, socket: socket, name: name)
        try withBrokenPipesIgnored { () throws(TLSError) in try session.shakeHands(endpoint: endpoint, deadline: deadline) }
        return try session.report()
    }
}

/// An `SSL_CTX` for a client: whom to trust and which protocols to offer. Owns its handle.
final class ClientContext {
    let handle: OpaquePointer

    init(trust: ServerHandshake.Trust, legacy: Bool) throws(TLSError) {
        handle = try created("create a TLS context", SSL_CTX_new(TLS_client_method()))
        if legacy {
            SSL_CTX_set_security_level(handle, 0)
            try check(.handshake, "allow old protocols", gantry_ssl_ctx_set_min_protocol(handle, TLS1_VERSION))
            try check(.handshake, "allow old ciphers", SSL_CTX_set_cipher_list(handle, "DEFAULT:@SECLEVEL=0"))
        } else {
            try check(.handshake, "require TLS 1.2", gantry_ssl_ctx_set_min_protocol(handle, TLS1_2_VERSION))
        }
        switch trust {
        case .system:
            try check(.certificate, "load the system's certificate authorities", SSL_CTX_set_default_verify_paths(handle))
        case .certificateAuthorityFile(let file):
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw TLSError(.certificate, "the CA file \(file) does not exist or cannot be read")
            }
            try check(.certificate, "load the CA file \(file)", SSL_CTX_load_verify_locations(handle, file, nil))
        }
        // The handshake goes on whatever the verification finds, so that the certificate can be
        // reported; the result is read afterwards and decides.
        SSL_CTX_set_verify(handle, SSL_VERIFY_NONE, nil)
    }

    deinit { SSL_CTX_free(handle) }
}

/// One client `SSL` over a connected socket. Owns its handle; the socket stays the caller's.
final class ClientSession {
    let handle: OpaquePointer
    private let socket: Socket
    private let context: ClientContext

    init(context: ClientContext, socket: Socket, name: String) throws(TLSError) {
        self.context = context
        self.socket = socket
        handle = try created("create a TLS session", SSL_new(context.handle))
        try check(.handshake, "attach the socket", SSL_set_fd(handle, socket.descriptor))
        let expected = ExpectedName(name)
        if !expected.isIPAddress { try check(.handshake, "set the server name", gantry_ssl_set_server_name(handle, name)) }
        try expected.apply(to: SSL_get0_param(handle))
        SSL_set_connect_state(handle)
    }

    deinit { SSL_free(handle) }

    func shakeHands(endpoint: String, deadline: ContinuousClock.Instant) throws(TLSError) {
        ERR_clear_error()
        // Each round trip of the handshake is one turn; a server cannot keep it going for ever,
        // as the deadline ends it.
        while true {
            let result = SSL_do_handshake(handle)
            if result == 1 { return }
            let events: Int16
            switch SSL_get_error(handle, result) {
            case SSL_ERROR_WANT_READ: events = Int16(POLLIN)
            case SSL_ERROR_WANT_WRITE: events = Int16(POLLOUT)
            case let error:
                let reason = TLSError.drainQueue()
                // OpenSSL 3 reports a connection closed mid-handshake as an SSL error with this reason.
                if error != SSL_ERROR_SSL || reason == "unexpected eof while reading" {
                    throw TLSError(.handshake, "\(endpoint) closed the connection during the TLS handshake")
                }
                throw TLSError(.handshake, "TLS handshake with \(endpoint) failed: \(reason ?? "OpenSSL gave no reason")")
            }
            guard socket.wait(for: events, until: deadline) else {
                throw TLSError(.timeout, "TLS handshake with \(endpoint) not complete in time: the server did not answer")
            }
        }
    }

    func report() throws(TLSError) -> ServerHandshake {
        guard let peer = SSL_get1_peer_certificate(handle) else { throw TLSError(.handshake, "the server sent no certificate") }
        let certificate = Certificate(handle: peer)
        let version = SSL_version(handle)
        let code = SSL_get_verify_result(handle)
        return ServerHandshake(
            protocolName: Self.protocolName(version), isModernProtocol: version >= TLS1_2_VERSION,
            cipher: SSL_get_current_cipher(handle).flatMap { SSL_CIPHER_get_name($0) }.map { String(cString: $0) } ?? "",
            verificationFailure: code == X509_V_OK ? nil : String(cString: X509_verify_cert_error_string(code)),
            verificationCode: code,
            subject: certificate.subject, issuer: certificate.issuer, subjectAlternativeNames: certificate.subjectAlternativeNames,
            notBefore: certificate.notBefore, notAfter: certificate.notAfter, publicKeySHA256: certificate.publicKeySHA256,
            outOfDateCertificate: outOfDateCertificate(code: code))
    }

    /// The certificate a date failure concerns, which may be any of the chain: OpenSSL keeps the
    /// chain it built even when verification fails, and checks dates from the top down, so the
    /// first out of date from the top is the one its code reports.
    private func outOfDateCertificate(code: Int) -> ServerHandshake.ChainCertificate? {
        let expired = code == ServerHandshake.expiredCode
        guard expired || code == ServerHandshake.notYetValidCode, let chain = SSL_get0_verified_chain(handle) else { return nil }
        let now = Date()
        // The chain comes from the server: it is read up to a bound.
        let count = min(Int(gantry_certificates_count(chain)), 100)
        for depth in (0..<count).reversed() {
            guard let handle = gantry_certificate(chain, Int32(depth)), X509_up_ref(handle) == 1 else { continue }
            let certificate = Certificate(handle: handle)
            guard expired ? certificate.notAfter < now : certificate.notBefore > now else { continue }
            return ServerHandshake.ChainCertificate(
                depth: depth, isRoot: depth == count - 1 && certificate.subject == certificate.issuer, subject: certificate.subject,
                notBefore: certificate.notBefore, notAfter: certificate.notAfter)
        }
        return nil
    }

    private static func protocolName(_ version: Int32) -> String {
        switch version {
        case TLS1_3_VERSION: "TLS 1.3"
        case TLS1_2_VERSION: "TLS 1.2"
        case TLS1_1_VERSION: "TLS 1.1"
        case TLS1_VERSION: "TLS 1.0"
        case SSL3_VERSION: "SSL 3.0"
        default: "protocol 0x\(String(version, radix: 16))"
        }
    }
}
