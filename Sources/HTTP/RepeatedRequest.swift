/// A request prepared once to be sent many times, as a latency gate sends it, and which client
/// sends it, decided once: the session's loop writes it itself over plain HTTP/1.1 when it can
/// (`PlainRequest`), and libcurl sends it otherwise (https, a proxy, a host name to resolve,
/// redirects to follow). Either way an exchange yields the same status and timings.
package struct RepeatedRequest: Sendable {
    /// Which client sends the request.
    package enum Client: Sendable, Equatable {
        /// The session's loop, on kept-alive sockets of its own.
        case plain
        case libcurl
    }

    private let request: HTTPRequest
    private let plain: PlainRequest?

    /// Prepares `request`; `environment` reads a variable (nil: the process's), to tell whether
    /// libcurl would send it through a proxy.
    package init(_ request: HTTPRequest, environment: ((String) -> String?)? = nil) {
        self.request = request
        plain = PlainRequest(request, environment: environment ?? PlainRequest.processEnvironment)
    }

    /// Which client sends it.
    package var client: Client { plain == nil ? .libcurl : .plain }

    /// A submission of one exchange of it.
    func submission() -> Submission {
        Submission(kind: plain.map { .plainExchange($0) } ?? .statusExchange, request: request)
    }
}
