/// One HTTP header field, kept as sent or received: name case and order matter to some servers
/// and to anyone reading a log, so nothing is normalised.
package struct HTTPHeader: Sendable, Hashable {
    /// The field name, such as `Content-Type`, in the case it was written.
    package var name: String
    /// The field value, without the whitespace around it.
    package var value: String

    /// Creates a header field.
    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A request for `HTTPSession.perform(_:)`.
///
/// Every limit has a default, because a CI tool talks to servers it does not control and must
/// neither hang on them nor buffer whatever they choose to send.
package struct HTTPRequest: Sendable {
    /// The request method, such as `GET`, `POST` or `HEAD`.
    package var method: String
    /// The absolute `http://` or `https://` URL to request; other schemes are refused.
    package var url: String
    /// Header fields to send, in order. An empty value sends the header with no value.
    package var headers: [HTTPHeader]
    /// The request body, sent with a `Content-Length`; nil sends none.
    package var body: [UInt8]?
    /// The longest the whole exchange may take, redirects included, before it fails with `.timeout`.
    package var timeout: Duration
    /// The longest connecting (name lookup and TLS handshake included) may take; nil leaves only `timeout`.
    package var connectTimeout: Duration?
    /// The most body bytes to keep. A longer body is cut to this size and marked
    /// `isBodyTruncated` rather than failing, since its start is often all a caller needs.
    package var maximumBodySize: Int
    /// How many redirects to follow; 0 returns a redirect response as it is.
    package var maximumRedirects: Int
    /// The most bytes accepted in one response's header section; more fails with `.malformedResponse`.
    /// libcurl refuses a single header line over 100 KiB whatever this says.
    package var maximumHeaderSize: Int
    /// Whether a followed redirect may lead to another scheme, host or port. Off by default,
    /// because the request's headers (an `Authorization` in particular) would go along to a
    /// server the caller never named; such a redirect then fails with `.redirectToOtherHost`.
    package var allowsRedirectsToOtherHosts: Bool
    /// How the certificate of an `https://` server is checked.
    package var tls: TLSVerification

    /// Creates a request; the defaults suit a small API call.
    package init(
        method: String = "GET",
        url: String,
        headers: [HTTPHeader] = [],
        body: [UInt8]? = nil,
        timeout: Duration = .seconds(30),
        connectTimeout: Duration? = nil,
        maximumBodySize: Int = 1 << 20,
        maximumRedirects: Int = 0,
        maximumHeaderSize: Int = HTTPResponse.maximumHeaderSize,
        allowsRedirectsToOtherHosts: Bool = false,
        tls: TLSVerification = .verify
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.maximumBodySize = maximumBodySize
        self.maximumRedirects = maximumRedirects
        self.maximumHeaderSize = maximumHeaderSize
        self.allowsRedirectsToOtherHosts = allowsRedirectsToOtherHosts
        self.tls = tls
    }
}
