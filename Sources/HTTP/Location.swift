internal import CCurl

/// A URL as libcurl itself understands it, so that messages name the server libcurl actually
/// tried, and a redirect is judged by the same parser that would follow it.
struct Location {
    /// The scheme in lower case, such as `https`.
    var scheme: String
    /// The host as libcurl reads it; an IPv6 address keeps its brackets, such as `[::1]`.
    var host: String
    /// The port, the scheme's default when the URL names none.
    var port: String?

    /// `host:port`, the way messages name a server.
    var endpoint: String { port.map { "\(host):\($0)" } ?? host }

    /// `scheme://host:port`: what must stay the same for a redirect to count as the same server.
    var origin: String { "\(scheme)://\(endpoint)" }

    /// Parses an absolute URL, guessing the scheme as libcurl does for a bare `host/path`.
    init?(_ url: String) {
        guard let parsed = ParsedURL() else { return nil }
        guard parsed.set(url, flags: CURLU_GUESS_SCHEME), let location = parsed.location() else { return nil }
        self = location
    }

    /// Resolves a `Location` header value against the URL it came from, with the flags libcurl
    /// uses when it follows a redirect, so the result is the URL libcurl would request next.
    init?(resolving reference: String, against base: String) {
        guard let parsed = ParsedURL(), parsed.set(base, flags: 0) else { return nil }
        guard parsed.set(reference, flags: CURLU_URLENCODE | CURLU_ALLOW_SPACE),
            let location = parsed.location()
        else { return nil }
        self = location
    }

    fileprivate init(scheme: String, host: String, port: String?) {
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    /// Whether `other` is the same server: same scheme, host (compared case-insensitively, as
    /// DNS names are) and port. `localhost` and `127.0.0.1` are different hosts on purpose:
    /// the check is about names a server controls, not where they happen to resolve.
    func isSameOrigin(as other: Location) -> Bool {
        scheme == other.scheme && port == other.port && host.equalsIgnoringASCIICase(other.host)
    }
}

/// A curl URL handle, freed when the value goes away.
final class ParsedURL {
    let handle: OpaquePointer

    init?() {
        guard let handle = curl.url() else { return nil }
        self.handle = handle
    }

    deinit { curl.urlCleanup(handle) }

    func set(_ url: String, flags: Int32) -> Bool {
        curl.urlSet(handle, CURLUPART_URL, url, UInt32(flags)) == CURLUE_OK
    }

    func location() -> Location? {
        guard let scheme = part(CURLUPART_SCHEME), let host = part(CURLUPART_HOST) else { return nil }
        return Location(scheme: scheme.lowercasedASCII, host: host, port: part(CURLUPART_PORT, flags: CURLU_DEFAULT_PORT))
    }

    func part(_ which: CURLUPart, flags: Int32 = 0) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard curl.urlGet(handle, which, &value, UInt32(flags)) == CURLUE_OK, let value else { return nil }
        defer { curl.free(value) }
        return String(cString: value)
    }
}

extension String {
    /// ASCII-only lower-casing, enough for schemes and parameter names, without Foundation.
    var lowercasedASCII: String {
        String(decoding: utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}
