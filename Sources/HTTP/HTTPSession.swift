import Basics
internal import CCurl

/// Runs many HTTP exchanges at once from async code, on one dedicated thread that drives them
/// all with libcurl's multi interface, except the repeated exchanges of a latency gate that it
/// can write itself (`RepeatedRequest`).
///
/// Connections, DNS results and TLS sessions are shared by every request of a session, so keep
/// one session for the life of the program rather than one per request. Any number of tasks
/// may call it at once; each call suspends its task, not a thread, until the exchange ends.
///
/// The thread runs until `shutdown()` or until the session is released.
package final class HTTPSession: Sendable {
    private let loop: SessionLoop

    /// Starts the session's thread.
    ///
    /// - Parameter maximumCachedConnections: How many connections, idle or in use, the session
    ///   keeps open for reuse; when a transfer ends with more open, the oldest idle one is
    ///   closed. Set it to at least the number of requests usually running at once, or
    ///   connections will be closed and opened again.
    /// - Throws: `.other` if libcurl or the system cannot provide the handle or the thread.
    package init(maximumCachedConnections: Int = 64) throws(HTTPError) {
        loop = try SessionLoop(maximumCachedConnections: maximumCachedConnections)
    }

    deinit { loop.shutdown() }

    /// Sends `request` and returns the whole response, or fails within `request.timeout`.
    ///
    /// Any status is a response; only a failure to get one throws. A body longer than
    /// `request.maximumBodySize` is cut, not an error, and the rest is never read. Cancelling
    /// the calling task abandons the exchange at once and throws `.cancelled`.
    package func perform(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        try await run(Submission(kind: .exchange, request: request)) { ending in
            switch ending {
            case .finished(let transfer, let result): transfer.response(after: result)
            case .failed(let error): .failure(error)
            case .connected, .answered: preconditionFailure("an exchange ended as a connect or a plain exchange")
            }
        }.get()
    }

    /// Sends `request` `count` times, `concurrency` at a time, and returns every outcome, in the
    /// order they ended, keeping the status and timings of each response but not its body.
    ///
    /// The session's loop starts each next exchange itself as soon as one ends, so the requests
    /// cost no task switch between them: for a latency gate, many requests to one server. The
    /// request's `client` sends them. Cancelling the calling task abandons the exchanges under
    /// way and starts no more.
    package func performRepeatedly(_ request: RepeatedRequest, count: Int, concurrency: Int) async -> [Result<
        HTTPExchangeSummary, HTTPError
    >] {
        let exchange = RepeatedExchange(request: request, count: count, loop: loop)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                exchange.start(concurrency: concurrency) { continuation.resume(returning: $0) }
            }
        } onCancel: {
            exchange.cancel()
        }
    }

    /// `performRepeatedly(_:count:concurrency:)` for a request prepared here.
    package func performRepeatedly(_ request: HTTPRequest, count: Int, concurrency: Int) async -> [Result<HTTPExchangeSummary, HTTPError>] {
        await performRepeatedly(RepeatedRequest(request), count: count, concurrency: concurrency)
    }

    /// Sends `request` once, through its `client`, and returns the status and timings of the
    /// response, not its body: one exchange of a latency gate whose requests fall due on a schedule.
    package func performOnce(_ request: RepeatedRequest) async throws(HTTPError) -> HTTPExchangeSummary {
        try await run(request.submission()) { ending in
            switch ending {
            case .finished(let transfer, let result): transfer.summary(after: result)
            case .answered(let summary): .success(summary)
            case .failed(let error): .failure(error)
            case .connected: preconditionFailure("an exchange ended as a connect")
            }
        }.get()
    }

    /// Checks that a TCP connection to `host` and `port` can be opened within `timeout`, then
    /// closes it without sending anything.
    ///
    /// - Parameters:
    ///   - host: A host name or an IP address; IPv6 addresses may be written with or without
    ///     brackets, such as `::1`.
    ///   - port: The TCP port, from 1 to 65535.
    ///   - timeout: The longest name lookup and connecting may take together.
    /// - Returns: When the name was resolved and the connection established.
    /// - Throws: `.couldNotConnect`, `.couldNotResolve` or `.timeout` as for a request,
    ///   `.cancelled` if the task is cancelled, `.other` for an invalid host or port.
    ///
    /// An IP address is connected to by the session's loop with a plain non-blocking socket; a
    /// name goes through libcurl, which resolves it within the timeout.
    package func connect(host: String, port: Int, timeout: Duration) async throws(HTTPError) -> HTTPTimings {
        let url = try Self.connectionCheckURL(host: host, port: port)
        let request = HTTPRequest(url: url, timeout: timeout, connectTimeout: timeout)
        let kind: Submission.Kind =
            SocketAddress(numericHost: Self.bare(host), port: port).map { .socketConnect($0, retryDelay: nil) } ?? .connectionCheck
        return try await run(Submission(kind: kind, request: request)) { ending in
            switch ending {
            case .finished(let transfer, let result): transfer.connectionTimings(after: result)
            case .connected(let timings): .success(timings)
            case .failed(let error): .failure(error)
            case .answered: preconditionFailure("a connect ended as an exchange")
            }
        }.get()
    }

    /// How often `waitUntilAccepting` tries to connect: a refused connection to a local port
    /// costs a few microseconds, so a port is watched this often for next to nothing.
    package static let acceptWatchInterval = Duration.milliseconds(5)

    /// Tries to connect to `host` and `port` every `acceptWatchInterval` until a connection is
    /// accepted, and says whether one was before `deadline`.
    ///
    /// It watches IP addresses and `localhost` (as 127.0.0.1) only: a name would need a lookup
    /// for every attempt. For a name it returns false at once, as it does when the task is cancelled.
    package func waitUntilAccepting(host: String, port: Int, until deadline: ContinuousClock.Instant) async -> Bool {
        let bare = Self.bare(host)
        let timeout = deadline - .now
        guard timeout > .zero, let url = try? Self.connectionCheckURL(host: host, port: port),
            let address = SocketAddress(numericHost: bare.equalsIgnoringASCIICase("localhost") ? "127.0.0.1" : bare, port: port)
        else { return false }
        let request = HTTPRequest(url: url, timeout: timeout, connectTimeout: timeout)
        let ending = await run(Submission(kind: .socketConnect(address, retryDelay: Self.acceptWatchInterval), request: request)) {
            ending in
            if case .connected = ending { return .success(()) }
            return .failure(HTTPError(code: .couldNotConnect, message: "not accepting"))
        }
        return (try? ending.get()) != nil
    }

    /// `waitUntilAccepting(host:port:until:)` for the server `url` names (not its proxy).
    package func waitUntilAccepting(serverOf url: String, until deadline: ContinuousClock.Instant) async -> Bool {
        guard let location = Location(url), let port = location.port.flatMap({ Int($0) }) else { return false }
        return await waitUntilAccepting(host: location.host, port: port, until: deadline)
    }

    /// Stops the session's thread: every unfinished request fails with `.cancelled`, every
    /// libcurl handle and open connection is released, and later requests fail with
    /// `.cancelled` at once. Returns when the thread has ended; calling it again does nothing.
    package func shutdown() {
        loop.shutdown()
    }

    /// Hands `submission` to the loop and suspends until the loop reports its end, which it
    /// does exactly once on every path: finished, failed to start, cancelled or shut down.
    private func run<Value: Sendable>(
        _ submission: Submission,
        outcome: @escaping @Sendable (Submission.Ending) -> Result<Value, HTTPError>
    ) async -> Result<Value, HTTPError> {
        let loop = self.loop
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                // Set before the loop can see the submission, so the loop never finds it unset.
                submission.report = { ending in
                    continuation.resume(returning: outcome(ending))
                }
                loop.submit(submission)
            }
        } onCancel: {
            loop.cancel(submission)
        }
    }

    /// `http://host:port/`, with an IPv6 address in brackets. The host is checked first, since
    /// characters such as `/` or `@` would turn it into a different URL, and another server.
    private static func connectionCheckURL(host: String, port: Int) throws(HTTPError) -> String {
        guard (1...65535).contains(port) else {
            throw HTTPError(code: .other, message: "invalid port \(port): it must be from 1 to 65535")
        }
        let bare = Substring(bare(host))
        let isIPv6 = bare.contains(":")
        let allowed = bare.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"):
                return true
            // ":" only separates IPv6 groups; "%" starts an IPv6 zone, such as "fe80::1%eth0".
            case UInt8(ascii: ":"), UInt8(ascii: "%"):
                return isIPv6
            default:
                return false
            }
        }
        guard !bare.isEmpty, allowed else {
            throw HTTPError(code: .other, message: "invalid host '\(host)' for a connection check")
        }
        // A zone's "%" must itself be percent-encoded inside a URL.
        let hostPart = isIPv6 ? "[\(bare.split(separator: "%", omittingEmptySubsequences: false).joined(separator: "%25"))]" : String(bare)
        return "http://\(hostPart):\(port)/"
    }

    /// `host` without the brackets of an IPv6 address.
    private static func bare(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }
}
