import Foundation

/// Where a running service answers: what `${url}` and `${port}` stand for in its checks.
package struct ServiceEndpoint: Codable, Sendable, Equatable {
    /// The service's name.
    package var service: String
    /// Its base URL, such as `http://127.0.0.1:8000`.
    package var url: String
    /// Its port, when known.
    package var port: Int?
    /// The certificate of the environment's own authority, which alone is trusted for `url`,
    /// when the service serves a per-run certificate.
    package var certificateAuthority: String?

    /// Creates an endpoint; the port defaults to the URL's (or its scheme's).
    package init(service: String, url: String, port: Int? = nil, certificateAuthority: String? = nil) {
        self.service = service
        self.url = url
        self.certificateAuthority = certificateAuthority
        let components = URLComponents(string: url)
        self.port = port ?? components?.port ?? (components?.scheme == "https" ? 443 : components?.scheme == "http" ? 80 : nil)
    }

    /// The values of `${url}` and `${port}`.
    var variables: [String: String] {
        var variables = ["url": url.hasSuffix("/") ? String(url.dropLast()) : url]
        if let port { variables["port"] = String(port) }
        return variables
    }
}
