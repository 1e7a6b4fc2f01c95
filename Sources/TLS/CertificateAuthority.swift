internal import COpenSSL
import Foundation

/// A throwaway certificate authority held in memory: its key is never written anywhere, and goes
/// with the value. Its certificate is name-constrained to loopback (`localhost`, `127.0.0.1`,
/// `::1`), so that even if it leaked it could vouch for no real name: verifiers that trust it
/// (OpenSSL, and so Python, Node and curl) reject any certificate it signs for another name.
package struct CertificateAuthority {
    /// The names the authority may vouch for.
    package static let permittedNames = "DNS:localhost, IP:127.0.0.1/32, IP:::1/128"

    /// Its certificate, to be trusted by clients.
    package let certificate: Certificate
    private let key: PrivateKey

    /// A fresh authority, valid from a few minutes ago (clocks differ) for `lifetime`.
    package init(commonName: String, lifetime: Duration) throws(TLSError) {
        key = try PrivateKey.generate()
        certificate = try CertificateBuilder(subject: commonName, lifetime: lifetime, publicKey: key).build(
            extensions: [
                (NID_basic_constraints, "critical,CA:TRUE,pathlen:0"),
                (NID_key_usage, "critical,keyCertSign,cRLSign"),
                (NID_subject_key_identifier, "hash"),
                (
                    NID_name_constraints,
                    "critical,permitted;DNS:localhost,permitted;IP:127.0.0.1/255.255.255.255,"
                        + "permitted;IP:::1/ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
                ),
            ],
            signedBy: nil, issuerKey: key)
    }

    /// A server certificate for `dnsNames` and `ipAddresses` with a key of its own, signed by
    /// this authority (which signs whatever it is asked to: the name constraints are what limit it).
    package func issueServerCertificate(commonName: String, dnsNames: [String], ipAddresses: [String], lifetime: Duration)
        throws(TLSError) -> (certificate: Certificate, key: PrivateKey)
    {
        let leafKey = try PrivateKey.generate()
        let names = (dnsNames.map { "DNS:\($0)" } + ipAddresses.map { "IP:\($0)" }).joined(separator: ",")
        let leaf = try CertificateBuilder(subject: commonName, lifetime: lifetime, publicKey: leafKey).build(
            extensions: [
                (NID_basic_constraints, "critical,CA:FALSE"),
                (NID_key_usage, "critical,digitalSignature"),
                (NID_ext_key_usage, "serverAuth"),
                (NID_subject_key_identifier, "hash"),
                (NID_authority_key_identifier, "keyid:always"),
                (NID_subject_alt_name, names),
            ],
            signedBy: certificate, issuerKey: key)
        return (leaf, leafKey)
    }
}

/// Builds and signs one certificate: a random serial, the validity period, the subject's public
/// key, the extensions written as OpenSSL's configuration syntax, SHA-256.
private struct CertificateBuilder {
    var subject: String
    var lifetime: Duration
    var publicKey: PrivateKey

    func build(extensions: [(Int32, String)], signedBy issuer: Certificate?, issuerKey: PrivateKey) throws(TLSError) -> Certificate {
        let certificate = Certificate(handle: try created("create a certificate", X509_new()))
        let handle = certificate.handle
        try check(.certificate, "set the version", X509_set_version(handle, Int(X509_VERSION_3)))
        try setRandomSerial(handle)
        // Five minutes back, so that a clock a little behind still accepts it at once.
        X509_gmtime_adj(X509_getm_notBefore(handle), -300)
        X509_gmtime_adj(X509_getm_notAfter(handle), Int(lifetime.components.seconds))
        let name = try created("create a name", X509_NAME_new())
        defer { X509_NAME_free(name) }
        try check(.certificate, "set the common name", X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, subject, -1, -1, 0))
        try check(.certificate, "set the subject", X509_set_subject_name(handle, name))
        try check(.certificate, "set the issuer", X509_set_issuer_name(handle, issuer.map { X509_get_subject_name($0.handle) } ?? name))
        try check(.certificate, "set the public key", X509_set_pubkey(handle, publicKey.handle))
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuer?.handle ?? handle, handle, nil, nil, 0)
        for (nid, value) in extensions {
            let created = try created("make the extension \(value)", X509V3_EXT_nconf_nid(nil, &context, nid, value))
            defer { X509_EXTENSION_free(created) }
            try check(.certificate, "add the extension \(value)", X509_add_ext(handle, created, -1))
        }
        guard X509_sign(handle, issuerKey.handle, EVP_sha256()) > 0 else { throw TLSError(.certificate, failedTo: "sign the certificate") }
        return certificate
    }

    /// 16 random bytes, positive: RFC 5280 wants serials unpredictable and at most 20 bytes.
    private func setRandomSerial(_ handle: OpaquePointer) throws(TLSError) {
        var bytes = [UInt8](repeating: 0, count: 16)
        try check(.certificate, "draw a random serial", RAND_bytes(&bytes, Int32(bytes.count)))
        bytes[0] = bytes[0] & 0x7F | 0x01
        let number = try created("make the serial", BN_bin2bn(bytes, Int32(bytes.count), nil))
        defer { BN_free(number) }
        guard BN_to_ASN1_INTEGER(number, X509_get_serialNumber(handle)) != nil else {
            throw TLSError(.certificate, failedTo: "set the serial")
        }
    }
}

extension CertificateAuthority {
    /// The file of trusted roots OpenSSL reads by default (`X509_get_default_cert_file`,
    /// `/usr/lib/ssl/cert.pem` on Debian, a link to the system bundle).
    package static var systemTrustFile: String { String(cString: X509_get_default_cert_file()) }
}
