internal import CCurl

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why an exchange produced no response, from libcurl's result code and error text.
package struct HTTPError: Error, CustomStringConvertible, Sendable {
    /// The kinds of failure callers react to differently, such as retrying a timeout but not a TLS failure.
    package enum Code: Sendable, Hashable {
        /// The request's `timeout` or `connectTimeout` ran out.
        case timeout
        /// The server refused the connection or could not be reached.
        case couldNotConnect
        /// The host name (or proxy name) did not resolve.
        case couldNotResolve
        /// The TLS handshake or the certificate check failed.
        case tls
        /// The server redirected more often than `maximumRedirects` allows.
        case tooManyRedirects
        /// A followed redirect led to another scheme, host or port and the request's
        /// `allowsRedirectsToOtherHosts` is off.
        case redirectToOtherHost
        /// The server answered with something that is not a usable HTTP response.
        case malformedResponse
        /// The calling task was cancelled, or the `HTTPSession` was shut down, before the exchange ended.
        case cancelled
        /// Anything else, including a request that could not be sent as given.
        case other
    }

    /// The kind of failure.
    package let code: Code
    /// What happened, in plain words, naming the server, such as "connection to 127.0.0.1:8123 refused".
    package let message: String
    /// libcurl's own explanation, kept for logs; `message` is the one meant for people.
    package let detail: String

    /// The plain-words message.
    package var description: String { message }

    /// Creates an error; `HTTPSession` builds them from libcurl, other code may
    /// need to for tests.
    ///
    /// Credentials in any `scheme://` URL in `message` or `detail` are redacted here, whoever
    /// builds the error, since messages end up in logs: `user:password@` becomes `***@` and the
    /// values of query parameters named like a token, key, secret, password or signature become `***`.
    package init(code: Code, message: String, detail: String = "") {
        self.code = code
        self.message = Redaction.redactingURLs(in: message)
        self.detail = Redaction.redactingURLs(in: detail)
    }
}

/// What was known when a transfer failed: libcurl's result alone cannot tell, for example, a
/// connect timeout from a server that accepted and went silent, or a bad URL scheme from a
/// server that answered with something other than HTTP.
struct TransferFailure {
    var result: CURLcode
    /// The error buffer's text, or `curl_easy_strerror` when the buffer is empty.
    var curlText: String
    /// The URL of the last hop, which after redirects may not be the requested one.
    var url: String
    /// `host:port` of the last hop, or the URL itself when libcurl cannot parse it.
    var endpoint: String
    var host: String
    var systemError: Int
    var connected: Bool
    /// An https exchange whose TLS handshake had not finished.
    var handshaking: Bool
    var requestSent: Bool
    var responseStarted: Bool
    var headerSectionTooLarge: Bool
    var maximumHeaderSize: Int
    /// Set when the header callback refused to let libcurl follow a redirect.
    var refusedRedirect: RefusedRedirect?
    var timeout: Duration
    var connectTimeout: Duration?
    var maximumRedirects: Int
}

extension HTTPError {
    init(_ failure: TransferFailure) {
        let (code, message) = Self.explain(failure)
        self.init(code: code, message: message, detail: failure.curlText)
    }

    /// The exchange was abandoned before it ended, because the task was cancelled or the session stopped.
    init(cancelledRequestTo url: String, reason: String) {
        self.init(code: .cancelled, message: "request to \(Redaction.redactingURL(url)) cancelled: \(reason)")
    }

    /// A connect the session's loop made itself failed with `systemError`, ETIMEDOUT when its
    /// `timeout` passed; the messages are those of a libcurl connect.
    init(connectingTo endpoint: String, systemError: Int32, timeout: Duration) {
        switch systemError {
        case ETIMEDOUT: self.init(code: .timeout, message: "could not connect to \(endpoint) within \(timeout.readable)")
        case ECONNREFUSED: self.init(code: .couldNotConnect, message: "connection to \(endpoint) refused")
        case ENETUNREACH, EHOSTUNREACH: self.init(code: .couldNotConnect, message: "\(endpoint) is unreachable")
        default: self.init(code: .couldNotConnect, message: "could not connect to \(endpoint): \(String(cString: strerror(systemError)))")
        }
    }

    /// An option libcurl refused: the request (or this libcurl build) cannot express it.
    init(rejectedOption name: String, result: CURLcode) {
        let text = curl.text(of: result)
        self.init(code: .other, message: "libcurl rejected \(name): \(text)", detail: text)
    }

    private static func explain(_ f: TransferFailure) -> (Code, String) {
        let endpoint = f.endpoint
        // A URL may carry credentials the caller never meant to log; messages get the redacted form.
        let url = Redaction.redactingURL(f.url)
        if let refused = f.refusedRedirect, f.result == CURLE_WRITE_ERROR {
            switch refused {
            case .otherHost(let from, let to):
                return (
                    .redirectToOtherHost,
                    "\(from.origin) redirected to another host, \(to.origin), which is not followed "
                        + "because allowsRedirectsToOtherHosts is off"
                )
            case .unreadableLocation(let from, let location):
                return (
                    .malformedResponse,
                    "\(from) redirected to '\(Redaction.redactingURL(location))', which is not a valid URL"
                )
            }
        }
        switch f.result {
        case CURLE_OPERATION_TIMEDOUT:
            // libcurl's connect timeout covers the TLS handshake too.
            let connectLimit = f.connectTimeout.map { min($0, f.timeout) } ?? f.timeout
            if !f.connected {
                return (.timeout, "could not connect to \(endpoint) within \(connectLimit.readable)")
            } else if f.handshaking {
                return (.timeout, "TLS handshake with \(endpoint) not complete within \(connectLimit.readable)")
            } else if !f.responseStarted {
                return (.timeout, "no response from \(endpoint) within \(f.timeout.readable)")
            } else {
                return (.timeout, "response from \(endpoint) not complete within \(f.timeout.readable)")
            }

        case CURLE_COULDNT_RESOLVE_HOST:
            return (.couldNotResolve, "could not resolve host '\(f.host)'")
        case CURLE_COULDNT_RESOLVE_PROXY:
            return (.couldNotResolve, "could not resolve the proxy for \(url): \(f.curlText)")

        case CURLE_COULDNT_CONNECT:
            switch Int32(truncatingIfNeeded: f.systemError) {
            case ECONNREFUSED: return (.couldNotConnect, "connection to \(endpoint) refused")
            case ENETUNREACH, EHOSTUNREACH: return (.couldNotConnect, "\(endpoint) is unreachable")
            default: return (.couldNotConnect, "could not connect to \(endpoint): \(f.curlText)")
            }

        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS:
            return (.tls, "certificate of \(endpoint) not trusted: \(f.curlText)")
        case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE,
            CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED,
            CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_CLIENTCERT,
            CURLE_USE_SSL_FAILED:
            return (.tls, "TLS with \(endpoint) failed: \(f.curlText)")

        case CURLE_TOO_MANY_REDIRECTS:
            return (.tooManyRedirects, "more than \(f.maximumRedirects) redirects, the last one to \(url)")

        case CURLE_WRITE_ERROR where f.headerSectionTooLarge:
            return (
                .malformedResponse,
                "response headers from \(endpoint) exceed \(readableSize(f.maximumHeaderSize))"
            )
        case CURLE_GOT_NOTHING:
            return (.malformedResponse, "\(endpoint) closed the connection without responding")
        case CURLE_PARTIAL_FILE:
            return (.malformedResponse, "\(endpoint) closed the connection before the body was complete")
        case CURLE_WEIRD_SERVER_REPLY, CURLE_BAD_CONTENT_ENCODING, CURLE_HTTP2, CURLE_HTTP2_STREAM,
            CURLE_HTTP3:
            return (.malformedResponse, "malformed response from \(endpoint): \(f.curlText)")
        // libcurl reports bytes that do not start like HTTP as forbidden HTTP/0.9; the same
        // code before anything was sent means the URL's scheme was refused.
        case CURLE_UNSUPPORTED_PROTOCOL where f.requestSent:
            return (.malformedResponse, "\(endpoint) did not answer with valid HTTP")
        case CURLE_UNSUPPORTED_PROTOCOL:
            return (.other, "unsupported URL '\(url)': only http and https are allowed")
        case CURLE_URL_MALFORMAT:
            return (.other, "malformed URL '\(url)'")
        // A header line too long for libcurl's own buffer surfaces as an allocation refusal.
        case CURLE_OUT_OF_MEMORY where f.responseStarted:
            return (.malformedResponse, "a response header line from \(endpoint) is too long")

        case CURLE_SEND_ERROR:
            return (.other, "sending to \(endpoint) failed: \(f.curlText)")
        case CURLE_RECV_ERROR:
            return (.other, "receiving from \(endpoint) failed: \(f.curlText)")
        default:
            return (.other, "request to \(url) failed: \(f.curlText)")
        }
    }

    /// "64 KiB" for whole kibibytes, else "1000 bytes".
    static func readableSize(_ bytes: Int) -> String {
        bytes >= 1024 && bytes % 1024 == 0 ? "\(bytes / 1024) KiB" : "\(bytes) bytes"
    }
}

/// Why the header callback stopped libcurl from following a redirect.
enum RefusedRedirect {
    /// The target is on another origin and the request does not allow that.
    case otherHost(from: Location, to: Location)
    /// The `Location` value could not be resolved into a URL, so its target could not be checked.
    case unreadableLocation(from: String, location: String)
}

extension Duration {
    /// Durations as people read them in messages: "250 ms", "2.0 s".
    var readable: String {
        let milliseconds = self.wholeMilliseconds
        if milliseconds < 1000 { return "\(milliseconds) ms" }
        let tenths = (milliseconds + 50) / 100
        return "\(tenths / 10).\(tenths % 10) s"
    }

    /// Whole milliseconds, rounded up so that a short positive duration never becomes libcurl's
    /// "0 = no limit", and saturated instead of overflowing.
    var wholeMilliseconds: Int {
        let (seconds, attoseconds) = components
        guard seconds >= 0, seconds > 0 || attoseconds > 0 else { return 0 }
        let (scaled, overflow) = Int(clamping: seconds).multipliedReportingOverflow(by: 1000)
        if overflow { return .max }
        let extra = Int((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
        let (sum, overflowed) = scaled.addingReportingOverflow(extra)
        return overflowed ? .max : sum
    }
}
