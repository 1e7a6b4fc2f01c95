internal import COpenSSL
import Foundation

extension Certificate {
    /// Why OpenSSL does not accept this certificate for `name` (a host name or an IP address)
    /// when only `roots` are trusted, or nil when it does. The whole chain is checked: signatures,
    /// validity periods, CA constraints and name constraints.
    package func verificationFailure(trusting roots: [Certificate], for name: String) throws(TLSError) -> String? {
        let store = try created("create a certificate store", X509_STORE_new())
        defer { X509_STORE_free(store) }
        for root in roots { try check(.certificate, "trust a certificate", X509_STORE_add_cert(store, root.handle)) }
        let context = try created("create a verification context", X509_STORE_CTX_new())
        defer { X509_STORE_CTX_free(context) }
        try check(.certificate, "start verifying", X509_STORE_CTX_init(context, store, handle, nil))
        try ExpectedName(name).apply(to: X509_STORE_CTX_get0_param(context))
        guard X509_verify_cert(context) != 1 else { return nil }
        ERR_clear_error()
        return String(cString: X509_verify_cert_error_string(Int(X509_STORE_CTX_get_error(context))))
    }
}

/// The name a certificate must carry: an IP address is matched against the IP SANs, anything
/// else as a host name against the DNS SANs.
struct ExpectedName {
    var text: String

    init(_ text: String) { self.text = text }

    var isIPAddress: Bool {
        var buffer = [UInt8](repeating: 0, count: 16)
        return inet_pton(AF_INET, text, &buffer) == 1 || inet_pton(AF_INET6, text, &buffer) == 1
    }

    func apply(to parameters: OpaquePointer?) throws(TLSError) {
        if isIPAddress {
            try check(.certificate, "expect the address \(text)", X509_VERIFY_PARAM_set1_ip_asc(parameters, text))
        } else {
            try check(.certificate, "expect the name \(text)", X509_VERIFY_PARAM_set1_host(parameters, text, 0))
        }
    }
}
