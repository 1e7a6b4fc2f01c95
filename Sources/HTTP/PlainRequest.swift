import Basics
internal import CCurl

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A request the session's loop writes itself, as plain HTTP/1.1 bytes on a kept-alive socket,
/// instead of handing it to libcurl: built once, then sent as it is for every exchange.
///
/// Only what needs nothing of libcurl qualifies: an `http://` URL to a numeric address, no
/// proxy, no redirects to follow, no connect timeout, no credentials in the URL. Anything else
/// makes `init` return nil and the request goes through libcurl, which also reports whatever
/// is wrong with it.
struct PlainRequest: Sendable {
    /// Where to connect.
    let address: SocketAddress
    /// The request line, the header section and the body, exactly as sent.
    let bytes: [UInt8]
    /// Whether the response has no body whatever its header fields say.
    let isHead: Bool
    let timeout: Duration
    let maximumHeaderSize: Int
    let maximumBodySize: Int

    /// The wire form of `request`, or nil when libcurl must send it. `environment` reads a
    /// variable as libcurl does (unset and empty alike are nil).
    init?(_ request: HTTPRequest, environment: (String) -> String?) {
        guard request.maximumRedirects == 0, request.connectTimeout == nil, (try? request.validate()) != nil,
            !request.headers.contains(where: { Self.framingHeaders.contains($0.name.lowercasedASCII) })
        else { return nil }
        guard let url = ParsedURL(), url.set(request.url, flags: 0), url.part(CURLUPART_SCHEME)?.lowercasedASCII == "http",
            url.part(CURLUPART_USER) == nil, url.part(CURLUPART_PASSWORD) == nil, url.part(CURLUPART_ZONEID) == nil,
            // Percent-encoded as libcurl sends it: `/é` goes as `/%c3%a9` (the query goes as written).
            let host = url.part(CURLUPART_HOST), let path = url.part(CURLUPART_PATH, flags: CURLU_URLENCODE),
            let port = url.part(CURLUPART_PORT, flags: CURLU_DEFAULT_PORT).flatMap({ Int($0) })
        else { return nil }
        let bareHost = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        guard !Self.proxyApplies(to: bareHost, environment: environment),
            let address = SocketAddress(numericHost: bareHost, port: port)
        else { return nil }
        self.address = address
        isHead = request.method == "HEAD"
        timeout = request.timeout
        maximumHeaderSize = request.maximumHeaderSize
        maximumBodySize = request.maximumBodySize
        let target = path + (url.part(CURLUPART_QUERY).map { "?\($0)" } ?? "")
        // libcurl names the port only when it is not the scheme's default.
        let hostField = url.part(CURLUPART_PORT) == nil || port == 80 ? host : "\(host):\(port)"
        bytes = Self.wireForm(of: request, target: target, host: hostField)
    }

    /// Request header fields that frame the body; the loop writes those itself.
    private static let framingHeaders: Set<String> = ["content-length", "transfer-encoding"]

    /// The header section libcurl would send: its own `Host` and `Accept`, and for a body its
    /// `Content-Type` and `Content-Length`, each unless the request gives the field itself.
    private static func wireForm(of request: HTTPRequest, target: String, host: String) -> [UInt8] {
        func given(_ name: String) -> Bool { request.headers.contains { $0.name.equalsIgnoringASCIICase(name) } }
        var head = "\(request.method) \(target) HTTP/1.1\r\n"
        if !given("Host") { head += "Host: \(host)\r\n" }
        if !given("Accept") { head += "Accept: */*\r\n" }
        for header in request.headers {
            head += header.value.isEmpty ? "\(header.name):\r\n" : "\(header.name): \(header.value)\r\n"
        }
        if let body = request.body {
            if !given("Content-Type") { head += "Content-Type: application/x-www-form-urlencoded\r\n" }
            head += "Content-Length: \(body.count)\r\n"
        }
        return Array((head + "\r\n").utf8) + (request.body ?? [])
    }

    /// Whether libcurl would send a request for `host` (a numeric address) through a proxy:
    /// `http_proxy` (lower case only, as libcurl reads it for http), else `all_proxy` or
    /// `ALL_PROXY`, unless `no_proxy` (or `NO_PROXY`) is `*` or lists `host` as it is written.
    /// Any other entry (a CIDR range, a bracketed IPv6) counts as the proxy applying, so that
    /// libcurl, which sends through the proxy or not, decides as it always did.
    static func proxyApplies(to host: String, environment: (String) -> String?) -> Bool {
        guard environment("http_proxy") ?? environment("all_proxy") ?? environment("ALL_PROXY") != nil else { return false }
        guard let exceptions = environment("no_proxy") ?? environment("NO_PROXY") else { return true }
        if exceptions == "*" { return false }
        // Commas only: libcurl has deprecated blanks as separators, and an entry with a blank in it
        // is one no host matches here, so libcurl decides.
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        let entries = exceptions.split(separator: ",").map { String($0.drop(while: isBlank).reversed().drop(while: isBlank).reversed()) }
        return !entries.contains { !$0.contains(where: isBlank) && $0.equalsIgnoringASCIICase(host) }
    }

    /// The process's environment as libcurl reads it.
    static func processEnvironment(_ name: String) -> String? {
        guard let value = getenv(name), value.pointee != 0 else { return nil }
        return String(cString: value)
    }
}
