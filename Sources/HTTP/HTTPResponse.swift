/// A complete response, whatever its status: a 404 or 503 is an answer, not an `HTTPError`.
package struct HTTPResponse: Sendable {
    /// The default for `HTTPRequest.maximumHeaderSize`: a larger header section fails with
    /// `.malformedResponse`, since no legitimate server needs more and buffering it is a risk.
    package static let maximumHeaderSize = 64 * 1024

    /// The status code, such as 200 or 503.
    package var status: Int
    /// The header fields in the order received, names in their original case. After followed
    /// redirects, only those of the final response.
    package var headers: [HTTPHeader]
    /// The body, at most `HTTPRequest.maximumBodySize` bytes.
    package var body: [UInt8]
    /// Whether the body was longer than `HTTPRequest.maximumBodySize` and was cut.
    package var isBodyTruncated: Bool
    /// Where the time went, for reports and for telling a slow server from a slow network.
    package var timings: HTTPTimings

    /// Creates a response; `HTTPSession` builds them, other code may need to for tests.
    package init(
        status: Int,
        headers: [HTTPHeader] = [],
        body: [UInt8] = [],
        isBodyTruncated: Bool = false,
        timings: HTTPTimings = HTTPTimings()
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.isBodyTruncated = isBodyTruncated
        self.timings = timings
    }

    /// The value of the first header with this name, compared case-insensitively as HTTP requires.
    package func value(forHeader name: String) -> String? {
        headers.first { $0.name.equalsIgnoringASCIICase(name) }?.value
    }

    /// The values of every header with this name, in order, for fields that may repeat (`Set-Cookie`, `Link`).
    package func values(forHeader name: String) -> [String] {
        headers.filter { $0.name.equalsIgnoringASCIICase(name) }.map(\.value)
    }
}

/// Time points of one exchange, each measured from its start, as libcurl reports them.
/// With followed redirects they cover the whole chain.
package struct HTTPTimings: Sendable, Equatable {
    /// When the host name was resolved.
    package var nameLookup: Duration
    /// When the TCP connection was established (to the proxy, if there is one).
    package var connect: Duration
    /// How long the TLS handshake took; zero for plain HTTP or a reused connection.
    package var tlsHandshake: Duration
    /// When the first response byte arrived.
    package var firstByte: Duration
    /// When the exchange ended.
    package var total: Duration

    /// Creates timings; all zero by default.
    package init(
        nameLookup: Duration = .zero,
        connect: Duration = .zero,
        tlsHandshake: Duration = .zero,
        firstByte: Duration = .zero,
        total: Duration = .zero
    ) {
        self.nameLookup = nameLookup
        self.connect = connect
        self.tlsHandshake = tlsHandshake
        self.firstByte = firstByte
        self.total = total
    }
}

extension String {
    /// Header names are ASCII tokens, so ASCII folding is exact and avoids `lowercased()`'s allocations.
    func equalsIgnoringASCIICase(_ other: String) -> Bool {
        let lhs = utf8, rhs = other.utf8
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).allSatisfy { a, b in
            a == b || (a | 0x20 == b | 0x20 && (a | 0x20) >= UInt8(ascii: "a") && (a | 0x20) <= UInt8(ascii: "z"))
        }
    }
}
