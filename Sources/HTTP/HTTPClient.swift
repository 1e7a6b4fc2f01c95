import CCurl

/// Performs HTTP requests with libcurl, one at a time, blocking the calling thread.
///
/// A client keeps one libcurl handle across requests so that connections, DNS results and TLS
/// sessions are reused; make one client per task rather than one per request. To run many
/// requests at once, use `HTTPSession`.
///
/// Not thread-safe: a libcurl handle must never be used by two threads at once, so a client must
/// not be shared between concurrently running tasks or threads without outside locking.
public final class HTTPClient {
    /// Created on first use after a failure, so that `init` cannot fail.
    private var handle: EasyHandle?

    /// Creates a client with no open connections.
    public init() {
        handle = try? EasyHandle()
    }

    /// Sends `request` and waits for the whole response, or fails within `request.timeout`.
    ///
    /// Any status is a response; only a failure to get one throws. A body longer than
    /// `request.maximumBodySize` is cut, not an error, and the rest is never read.
    public func perform(_ request: HTTPRequest) throws(HTTPError) -> HTTPResponse {
        let handle = try readyHandle()
        // Options stick to the handle, so a previous request's method or body would leak into this one.
        handle.reset()
        let transfer = Transfer(request: request, handle: handle)
        // The reset runs while the transfer (and its header list) is still alive, so the handle
        // never points at freed memory.
        defer { withExtendedLifetime(transfer) { handle.reset() } }
        try transfer.configureExchange()
        let result = curl.easyPerform(handle.pointer)
        return try transfer.response(after: result).get()
    }

    private func readyHandle() throws(HTTPError) -> EasyHandle {
        if let handle { return handle }
        let created = try EasyHandle()
        handle = created
        return created
    }
}
