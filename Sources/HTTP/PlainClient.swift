internal import CCurl

/// The exchanges a session's loop makes itself over plain HTTP/1.1 (`Submission.Kind.plainExchange`),
/// on kept-alive connections it pools as libcurl pools its own: a repeated exchange's request
/// costs a `send`, a `recv` and its share of the loop's `poll`, where libcurl's costs about
/// 70,000 instructions of its own (see the README's Benchmarks).
///
/// Loop thread only. An exchange never ends inside `begin`: a report may begin the next
/// exchange, and ending synchronously there would recurse once per request.
final class PlainClient {
    /// Idle connections kept for reuse; beyond that a finished connection is closed.
    private let maximumIdleConnections: Int
    private var exchanges: [PlainExchange] = []
    private var idle: [PlainConnection] = []
    /// Where `watch(into:)` put the idle connections' sockets in the poll's list.
    private var idleSocketsStart = 0
    /// Every response is read into this one buffer: the loop reads one socket at a time.
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 1)

    init(maximumIdleConnections: Int) {
        self.maximumIdleConnections = maximumIdleConnections
    }

    deinit { buffer.deallocate() }

    /// Takes `submission` on; it starts at the loop's next `advance`.
    func begin(_ submission: Submission, _ request: PlainRequest, now: ContinuousClock.Instant) {
        exchanges.append(PlainExchange(submission: submission, request: request, start: now))
    }

    /// Starts the exchanges that are waiting and ends those whose timeout passed.
    func advance(now: ContinuousClock.Instant) {
        for exchange in exchanges where exchange.ending == nil {
            if now >= exchange.deadline {
                exchange.ending = .failed(exchange.timeoutError())
            } else if exchange.phase == .waiting {
                start(exchange, now: now, reusing: true)
            }
        }
        reportEnded()
    }

    /// Appends the sockets to poll: an exchange's for what it waits for, and the idle
    /// connections' for reading, which only a server closing them (or talking out of turn) makes ready.
    func watch(into sockets: inout [curl_waitfd]) {
        for exchange in exchanges {
            exchange.socketIndex = nil
            guard let connection = exchange.connection, exchange.ending == nil else { continue }
            let events = exchange.phase == .reading ? CURL_WAIT_POLLIN : CURL_WAIT_POLLOUT
            exchange.socketIndex = sockets.count
            sockets.append(curl_waitfd(fd: connection.descriptor, events: Int16(events), revents: 0))
        }
        idleSocketsStart = sockets.count
        for connection in idle {
            sockets.append(curl_waitfd(fd: connection.descriptor, events: Int16(CURL_WAIT_POLLIN), revents: 0))
        }
    }

    /// Moves on the exchanges whose sockets the poll found ready, and drops idle connections
    /// that became readable.
    func socketsAreReady(_ sockets: [curl_waitfd], now: ContinuousClock.Instant) {
        // First, while `idle` is still the list that was watched.
        let idleSockets = sockets[idleSocketsStart...]
        if idleSockets.contains(where: { $0.revents != 0 }) {
            let readable = Set(idleSockets.lazy.filter { $0.revents != 0 }.map(\.fd))
            idle.removeAll { readable.contains($0.descriptor) }
        }
        for exchange in exchanges {
            if let index = exchange.socketIndex, sockets[index].revents != 0, exchange.ending == nil { proceed(exchange, now: now) }
        }
        reportEnded()
    }

    /// The latest moment the loop may sleep until: the earliest deadline, or now while an
    /// exchange waits to start.
    var wakeUp: ContinuousClock.Instant? {
        exchanges.lazy.map { $0.phase == .waiting ? $0.start : $0.deadline }.min()
    }

    /// Ends `submission` with `error` unless it has ended already.
    func abandon(_ submission: Submission, with error: HTTPError) {
        guard let exchange = exchanges.first(where: { $0.submission === submission && $0.ending == nil }) else { return }
        exchange.ending = .failed(error)
        reportEnded()
    }

    /// Ends every exchange under way with `error` and closes every connection.
    func abandonAll(with error: (Submission) -> HTTPError) {
        for exchange in exchanges where exchange.ending == nil { exchange.ending = .failed(error(exchange.submission)) }
        reportEnded()
        idle.removeAll()
    }

    // MARK: One exchange

    private func start(_ exchange: PlainExchange, now: ContinuousClock.Instant, reusing: Bool) {
        let endpoint = exchange.request.address.endpoint
        while reusing, let index = idle.lastIndex(where: { $0.address.endpoint == endpoint }) {
            let connection = idle.remove(at: index)
            // One that was closed or sent more is dropped (and closed) here, not written on.
            guard connection.isQuietAndOpen else { continue }
            exchange.connection = connection
            exchange.phase = .writing
            write(exchange, now: now)
            return
        }
        do {
            let connection = try PlainConnection(connectingTo: exchange.request.address)
            exchange.connection = connection
            exchange.phase = connection.isConnected ? .writing : .connecting
            if connection.isConnected {
                exchange.connected = now - exchange.start
                write(exchange, now: now)
            }
        } catch {
            exchange.ending = .failed(
                HTTPError(connectingTo: endpoint, systemError: error.number, timeout: exchange.request.timeout))
        }
    }

    private func proceed(_ exchange: PlainExchange, now: ContinuousClock.Instant) {
        guard let connection = exchange.connection else { return }
        switch exchange.phase {
        case .waiting:
            return
        case .connecting:
            do throws(SystemError) {
                try connection.finishConnecting()
            } catch {
                exchange.ending = .failed(
                    HTTPError(
                        connectingTo: exchange.request.address.endpoint, systemError: error.number, timeout: exchange.request.timeout))
                return
            }
            exchange.connected = now - exchange.start
            exchange.phase = .writing
            write(exchange, now: now)
        case .writing:
            write(exchange, now: now)
        case .reading:
            read(exchange, now: now)
        }
    }

    private func write(_ exchange: PlainExchange, now: ContinuousClock.Instant) {
        guard let connection = exchange.connection else { return }
        let bytes = exchange.request.bytes
        do throws(SystemError) {
            exchange.written += try connection.send(bytes[exchange.written...])
        } catch {
            guard !retryIfStale(exchange, now: now) else { return }
            exchange.ending = .failed(
                HTTPError(code: .other, message: "sending to \(exchange.request.address.endpoint) failed: \(error.text)"))
            return
        }
        // The response is read when the poll sees it: it cannot have come yet.
        if exchange.written == bytes.count { exchange.phase = .reading }
    }

    private func read(_ exchange: PlainExchange, now: ContinuousClock.Instant) {
        guard let connection = exchange.connection else { return }
        let count: Int
        do throws(SystemError) {
            guard let received = try connection.receive(into: buffer) else { return }
            count = received
        } catch {
            guard exchange.framing.hasReceivedAnything || !retryIfStale(exchange, now: now) else { return }
            exchange.ending = .failed(
                HTTPError(code: .other, message: "receiving from \(exchange.request.address.endpoint) failed: \(error.text)"))
            return
        }
        guard count > 0 else {
            let progress = exchange.framing.readEndOfStream()
            if progress == .failed(.closedWithoutResponse), retryIfStale(exchange, now: now) { return }
            end(exchange, progress, leftover: false, now: now)
            return
        }
        if exchange.firstByte == nil { exchange.firstByte = now - exchange.start }
        let received = UnsafeRawBufferPointer(rebasing: buffer[..<count])
        let used: Int
        let progress: ResponseFraming.Progress
        if connection.pending.isEmpty {
            (used, progress) = exchange.framing.read(received)
            if progress == .needsMore { connection.pending.append(contentsOf: received[used...]) }
        } else {
            connection.pending.append(contentsOf: received)
            (used, progress) = connection.pending.withUnsafeBytes { exchange.framing.read($0) }
            connection.pending.removeFirst(used)
        }
        guard progress != .needsMore else { return }
        end(exchange, progress, leftover: used < count || !connection.pending.isEmpty, now: now)
    }

    /// Ends `exchange` with what the framing found; bytes past the response (`leftover`) are
    /// not the next one's, so the connection is not reused then.
    private func end(_ exchange: PlainExchange, _ progress: ResponseFraming.Progress, leftover: Bool, now: ContinuousClock.Instant) {
        switch progress {
        case .needsMore:
            return
        case .complete(let status, let reusable):
            let total = now - exchange.start
            let timings = HTTPTimings(
                connect: exchange.connected, firstByte: exchange.firstByte ?? total, total: total)
            exchange.ending = .answered(HTTPExchangeSummary(status: status, timings: timings))
            if reusable, !leftover, let connection = exchange.connection, idle.count < maximumIdleConnections {
                connection.hasCarriedAResponse = true
                connection.pending.removeAll(keepingCapacity: true)
                idle.append(connection)
            }
        case .failed(let failure):
            exchange.ending = .failed(HTTPError(failure, from: exchange.request))
        }
        exchange.connection = nil
    }

    /// Sends the request again on a new connection when a reused one turned out closed before
    /// anything of the response came, once per exchange; says whether it did.
    private func retryIfStale(_ exchange: PlainExchange, now: ContinuousClock.Instant) -> Bool {
        guard let connection = exchange.connection, connection.hasCarriedAResponse, !exchange.hasRetried else { return false }
        exchange.restart()
        start(exchange, now: now, reusing: false)
        return true
    }

    /// Reports the exchanges that ended, after taking them off the list: a report may begin
    /// the next exchange, which then finds the list as it should be.
    private func reportEnded() {
        guard exchanges.contains(where: { $0.ending != nil }) else { return }
        let ended = exchanges.filter { $0.ending != nil }
        exchanges.removeAll { $0.ending != nil }
        for exchange in ended {
            exchange.connection = nil
            if let ending = exchange.ending { exchange.submission.end(ending) }
        }
    }
}

/// One plain exchange under way. Loop thread only.
final class PlainExchange {
    enum Phase { case waiting, connecting, writing, reading }

    let submission: Submission
    let request: PlainRequest
    /// When it began on the loop: its timings and its timeout count from here, as libcurl's do.
    let start: ContinuousClock.Instant
    let deadline: ContinuousClock.Instant
    var phase = Phase.waiting
    var connection: PlainConnection?
    /// Where its socket is in the loop's poll list this turn; nil when it is not watched.
    var socketIndex: Int?
    var written = 0
    var framing: ResponseFraming
    var connected = Duration.zero
    var firstByte: Duration?
    private(set) var hasRetried = false
    /// Set once it has ended, before it is reported.
    var ending: Submission.Ending?

    init(submission: Submission, request: PlainRequest, start: ContinuousClock.Instant) {
        self.submission = submission
        self.request = request
        self.start = start
        deadline = start + request.timeout
        framing = Self.framing(for: request)
    }

    /// Forgets the stale connection's attempt, to send the request again from the start.
    func restart() {
        hasRetried = true
        connection = nil
        written = 0
        framing = Self.framing(for: request)
        phase = .waiting
    }

    /// The timeout as libcurl words it for the phase the exchange was in.
    func timeoutError() -> HTTPError {
        let endpoint = request.address.endpoint
        let limit = request.timeout.readable
        if phase == .waiting || phase == .connecting {
            return HTTPError(code: .timeout, message: "could not connect to \(endpoint) within \(limit)")
        }
        if framing.hasReceivedAnything {
            return HTTPError(code: .timeout, message: "response from \(endpoint) not complete within \(limit)")
        }
        return HTTPError(code: .timeout, message: "no response from \(endpoint) within \(limit)")
    }

    private static func framing(for request: PlainRequest) -> ResponseFraming {
        ResponseFraming(isHead: request.isHead, maximumHeaderSize: request.maximumHeaderSize, maximumBodySize: request.maximumBodySize)
    }
}

extension HTTPError {
    /// A response the plain client could not use, in the words libcurl's failures use.
    init(_ failure: ResponseFraming.Failure, from request: PlainRequest) {
        let endpoint = request.address.endpoint
        switch failure {
        case .notHTTP: self.init(code: .malformedResponse, message: "\(endpoint) did not answer with valid HTTP")
        case .malformed(let what): self.init(code: .malformedResponse, message: "malformed response from \(endpoint): \(what)")
        case .headerSectionTooLarge:
            self.init(
                code: .malformedResponse,
                message: "response headers from \(endpoint) exceed \(Self.readableSize(request.maximumHeaderSize))")
        case .tooManyHeaderFields:
            self.init(
                code: .malformedResponse,
                message: "response headers from \(endpoint) exceed \(ResponseFraming.maximumHeaderFields) fields")
        case .closedWithoutResponse: self.init(code: .malformedResponse, message: "\(endpoint) closed the connection without responding")
        case .closedInHeaderSection:
            self.init(code: .malformedResponse, message: "\(endpoint) closed the connection before the response headers were complete")
        case .closedInBody:
            self.init(code: .malformedResponse, message: "\(endpoint) closed the connection before the body was complete")
        }
    }
}
