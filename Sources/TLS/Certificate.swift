internal import COpenSSL
import Foundation

/// An X.509 certificate. Owns its OpenSSL handle, freed with the value.
package final class Certificate {
    let handle: OpaquePointer

    /// Takes ownership of `handle`.
    init(handle: OpaquePointer) { self.handle = handle }

    deinit { X509_free(handle) }

    /// Every certificate in PEM text, in order; a PEM bundle such as a CA file holds several.
    /// Stops at the first block that is not a certificate, and reads at most `limit`.
    package static func all(inPEM text: String, limit: Int = 10_000) throws(TLSError) -> [Certificate] {
        _ = libraryInitialized
        return try MemoryBIO.read(text) { bio in
            var certificates: [Certificate] = []
            while certificates.count < limit, let handle = PEM_read_bio_X509(bio, nil, nil, nil) {
                certificates.append(Certificate(handle: handle))
            }
            // Reading past the last certificate queues an "no start line" error; it is no error here.
            ERR_clear_error()
            return certificates
        }
    }

    /// The first certificate of PEM text.
    package convenience init(pem text: String) throws(TLSError) {
        guard let first = try Self.all(inPEM: text, limit: 1).first else {
            throw TLSError(.certificate, "no PEM certificate (-----BEGIN CERTIFICATE-----) found")
        }
        self.init(handle: X509_dup(first.handle))
    }

    /// The certificate as PEM.
    package func pem() throws(TLSError) -> String {
        try MemoryBIO.write("write the certificate") { bio in PEM_write_bio_X509(bio, handle) }
    }

    /// The subject's distinguished name, as RFC 2253 writes it: `CN=localhost,O=gantry`.
    package var subject: String { Self.text(of: X509_get_subject_name(handle)) }

    /// The issuer's distinguished name.
    package var issuer: String { Self.text(of: X509_get_issuer_name(handle)) }

    /// The start of the validity period.
    package var notBefore: Date { Self.date(X509_get0_notBefore(handle)) }

    /// The end of the validity period.
    package var notAfter: Date { Self.date(X509_get0_notAfter(handle)) }

    /// The subject alternative names: `DNS:name` and `IP:address`, as OpenSSL prints them.
    package var subjectAlternativeNames: [String] {
        guard let names = gantry_subject_alternative_names(handle) else { return [] }
        defer { gantry_general_names_free(names) }
        // A certificate comes from a server: its list is read up to a bound.
        return (0..<min(gantry_general_names_count(names), 1000)).compactMap { index in
            guard let name = gantry_general_name(names, index), let value = gantry_general_name_value(name) else { return nil }
            let bytes = UnsafeBufferPointer(start: ASN1_STRING_get0_data(value), count: Int(ASN1_STRING_length(value)))
            switch gantry_general_name_type(name) {
            case GEN_DNS: return "DNS:" + String(decoding: bytes, as: UTF8.self)
            case GEN_IPADD: return addressText(bytes).map { "IP:" + $0 }
            default: return nil
            }
        }
    }

    /// The SHA-256 of the DER SubjectPublicKeyInfo, in base64: the pin of HPKP and of curl's
    /// `--pinnedpubkey sha256//…`, which stays the same when a certificate is renewed with its key.
    package var publicKeySHA256: String {
        var der: UnsafeMutablePointer<UInt8>?
        let length = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(handle), &der)
        guard length > 0, let der else { return "" }
        defer { gantry_openssl_free(der) }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var size: UInt32 = 0
        guard EVP_Digest(der, Int(length), &digest, &size, EVP_sha256(), nil) == 1 else { return "" }
        return Data(digest.prefix(Int(size))).base64EncodedString()
    }

    private static func text(of name: OpaquePointer?) -> String {
        (try? MemoryBIO.write("print a name") { bio in
            X509_NAME_print_ex(bio, name, 0, gantry_rfc2253_name_flags()) >= 0 ? 1 : 0
        }) ?? ""
    }

    private static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date {
        var parts = tm()
        guard ASN1_TIME_to_tm(time, &parts) == 1 else { return .distantPast }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }
}

/// An IPv4 or IPv6 address from its 4 or 16 bytes, as `inet_ntop` writes it.
private func addressText(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
    let family: Int32
    switch bytes.count {
    case 4: family = AF_INET
    case 16: family = AF_INET6
    default: return nil
    }
    var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
    guard inet_ntop(family, bytes.baseAddress, &buffer, socklen_t(buffer.count)) != nil else { return nil }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
