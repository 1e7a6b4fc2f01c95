internal import CCurl

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The thread behind an `HTTPSession`: one libcurl multi handle driving every transfer, and
/// beside it the loop's own sockets (its connects, and the plain exchanges of `PlainClient`) in
/// the same poll.
///
/// Tasks hand work over through two lock-guarded queues (new submissions, cancellations) and
/// wake the thread with `curl_multi_wakeup`; everything else (the multi handle, the easy handles,
/// the transfers and libcurl's callbacks) is touched only on the loop thread, because libcurl
/// handles must never be used by two threads at once.
final class SessionLoop: @unchecked Sendable {
    /// How many reset easy handles are kept for reuse; beyond that a finished handle is freed.
    /// As many as the connections the session keeps: a busy session at that concurrency sees
    /// many of its handles finish in one turn of the loop, and a pool of 16 freed them only for
    /// the next turn to create them again: a latency gate of 20,000 requests 50 at a time created
    /// 11,368 handles, and now 56. Each is a few kilobytes, like the connection it serves.
    let maximumIdleHandles: Int

    /// Freed by the loop thread as it stops; only used under `lock` by other threads, and only
    /// while `isStopping` is false, so no thread can reach it after it is freed.
    private let multi: UnsafeMutableRawPointer
    private let lock = Lock()
    // Guarded by `lock`.
    private var incoming: [Submission] = []
    private var cancellations: [Submission] = []
    private var isStopping = false

    // Loop thread only.
    private var running: [UnsafeMutableRawPointer: Submission] = [:]
    /// The loop's own connects (`.socketConnect`), beside libcurl's transfers.
    private var connecting: [Submission] = []
    /// The loop's own exchanges (`.plainExchange`), beside libcurl's transfers.
    private let plain: PlainClient
    private let clock = ContinuousClock()
    private var idleHandles: [EasyHandle] = []

    // Guarded by `joinLock`, which serialises callers of `shutdown` so every one returns only
    // once the thread has ended.
    private let joinLock = Lock()
    private var thread: pthread_t?
    private var isJoined = false

    init(maximumCachedConnections: Int) throws(HTTPError) {
        guard let multi = try LibCurl.load().multiInit() else {
            throw HTTPError(code: .other, message: "libcurl could not create a multi handle")
        }
        self.multi = multi
        maximumIdleHandles = max(1, maximumCachedConnections)
        plain = PlainClient(maximumIdleConnections: maximumIdleHandles)
        // libcurl's default cache size is four times the number of transfers running at that
        // moment, so a lull between requests would close connections the next burst needs.
        let cacheSet = gantry_curl_multi_set_long(curl.multiSetopt, multi, CURLMOPT_MAXCONNECTS, max(1, maximumCachedConnections))
        guard cacheSet == CURLM_OK else {
            _ = curl.multiCleanup(multi)
            throw HTTPError(code: .other, message: "libcurl rejected the connection cache size: \(curl.text(of: cacheSet))")
        }
        // The thread owns one reference to the loop until it ends, so the loop outlives it.
        let context = Unmanaged.passRetained(self).toOpaque()
        #if canImport(Darwin)
            var created: pthread_t?
        #else
            var created = pthread_t()
        #endif
        let result = pthread_create(&created, nil, Self.threadEntry, context)
        guard result == 0 else {
            Unmanaged<SessionLoop>.fromOpaque(context).release()
            _ = curl.multiCleanup(multi)
            throw HTTPError(code: .other, message: "could not start the HTTP session thread (error \(result))")
        }
        thread = created
    }

    #if canImport(Darwin)
        private static let threadEntry: @convention(c) (UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? = { context in
            Unmanaged<SessionLoop>.fromOpaque(context).takeRetainedValue().run()
            return nil
        }
    #else
        private static let threadEntry: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? = { context in
            guard let context else { return nil }
            Unmanaged<SessionLoop>.fromOpaque(context).takeRetainedValue().run()
            return nil
        }
    #endif

    // MARK: Called from any thread

    /// Hands `submission` to the loop, or ends it at once if the session has stopped or the
    /// task was cancelled before getting here.
    func submit(_ submission: Submission) {
        let refusal: String? = lock.withLock {
            if isStopping { return "the session was shut down" }
            if submission.isCancellationRequested { return "the task was cancelled" }
            submission.isSubmitted = true
            incoming.append(submission)
            wakeIfIdle(afterAdding: 1)
            return nil
        }
        if let refusal {
            submission.end(.failed(HTTPError(cancelledRequestTo: submission.request.url, reason: refusal)))
        }
    }

    /// Begins `submission` at once, from the loop thread (a submission's report), without the
    /// queue and the wake-up that `submit` needs from other threads.
    func beginFromLoop(_ submission: Submission) {
        let stopping = lock.withLock {
            if !isStopping { submission.isSubmitted = true }
            return isStopping
        }
        guard !stopping else {
            submission.end(.failed(HTTPError(cancelledRequestTo: submission.request.url, reason: "the session was shut down")))
            return
        }
        begin(submission)
    }

    /// Asks the loop to abandon `submission`; harmless if it already ended.
    func cancel(_ submission: Submission) {
        lock.withLock {
            submission.isCancellationRequested = true
            // Not submitted yet: `submit` will see the flag. Stopping: the loop ends it anyway.
            guard submission.isSubmitted, !isStopping else { return }
            cancellations.append(submission)
            wakeIfIdle(afterAdding: 1)
        }
    }

    /// Stops the loop, which ends every unfinished submission with `.cancelled` and frees all
    /// libcurl handles, and waits for its thread to end.
    func shutdown() {
        lock.withLock {
            guard !isStopping else { return }
            isStopping = true
            _ = curl.multiWakeup(multi)
        }
        joinLock.withLock {
            guard !isJoined, let thread else { return }
            isJoined = true
            // Joining itself would deadlock; the loop ends on its own once this call returns.
            if pthread_equal(thread, pthread_self()) != 0 {
                pthread_detach(thread)
            } else {
                pthread_join(thread, nil)
            }
        }
    }

    /// Wakes the loop unless a wake-up is already pending. Under `lock`: the queues were both
    /// empty before these `count` items only if the loop has drained them since the last wake-up,
    /// so one wake-up per drained batch is enough, which spares a system call per request when
    /// requests arrive faster than the loop turns.
    private func wakeIfIdle(afterAdding count: Int) {
        if incoming.count + cancellations.count == count {
            _ = curl.multiWakeup(multi)
        }
    }

    // MARK: Loop thread

    private func run() {
        var submissions: [Submission] = []
        var cancelled: [Submission] = []
        var stillRunning: Int32 = 0
        var sockets: [curl_waitfd] = []
        while true {
            let stopping = lock.withLock {
                swap(&submissions, &incoming)
                swap(&cancelled, &cancellations)
                return isStopping
            }
            if stopping {
                for submission in submissions {
                    submission.end(.failed(HTTPError(cancelledRequestTo: submission.request.url, reason: "the session was shut down")))
                }
                break
            }
            for submission in submissions { begin(submission) }
            for submission in cancelled { abandon(submission, reason: "the task was cancelled") }
            submissions.removeAll(keepingCapacity: true)
            cancelled.removeAll(keepingCapacity: true)

            _ = curl.multiPerform(multi, &stillRunning)
            collectFinished()
            advanceConnects()
            plain.advance(now: clock.now)
            // libcurl watches the loop's own sockets beside its own. The timeout only bounds the
            // wait: libcurl shortens it to its own next deadline, and `curl_multi_wakeup` ends it
            // as soon as work arrives.
            sockets.removeAll(keepingCapacity: true)
            for submission in connecting {
                if let connect = submission.connect, connect.descriptor >= 0 {
                    sockets.append(curl_waitfd(fd: connect.descriptor, events: Int16(CURL_WAIT_POLLOUT), revents: 0))
                }
            }
            plain.watch(into: &sockets)
            _ = curl.multiPoll(multi, &sockets, UInt32(sockets.count), waitMilliseconds(), nil)
            plain.socketsAreReady(sockets, now: clock.now)
            finishConnects(ready: sockets)
        }
        for submission in Array(running.values) { abandon(submission, reason: "the session was shut down") }
        for submission in connecting { abandon(submission, reason: "the session was shut down") }
        plain.abandonAll { HTTPError(cancelledRequestTo: $0.request.url, reason: "the session was shut down") }
        idleHandles.removeAll()
        _ = curl.multiCleanup(multi)
    }

    private func begin(_ submission: Submission) {
        switch submission.kind {
        case .exchange:
            beginTransfer(submission, connectOnly: false, keepsResponse: true)
        case .statusExchange:
            beginTransfer(submission, connectOnly: false, keepsResponse: false)
        case .connectionCheck:
            beginTransfer(submission, connectOnly: true, keepsResponse: true)
        case .socketConnect(let address, let retryDelay):
            submission.connect = SocketConnect(
                address: address, timeout: submission.request.timeout, retryDelay: retryDelay, now: clock.now)
            connecting.append(submission)
        case .plainExchange(let request):
            plain.begin(submission, request, now: clock.now)
        }
    }

    private func beginTransfer(_ submission: Submission, connectOnly: Bool, keepsResponse: Bool) {
        let handle: EasyHandle
        if let idle = idleHandles.popLast() {
            handle = idle
        } else {
            do {
                handle = try EasyHandle()
            } catch {
                submission.end(.failed(error))
                return
            }
        }
        let transfer = Transfer(request: submission.request, handle: handle, keepsResponse: keepsResponse)
        submission.transfer = transfer
        do {
            if connectOnly {
                try transfer.configureConnectionCheck()
            } else {
                try transfer.configureExchange()
            }
        } catch {
            finish(submission, .failed(error))
            return
        }
        let added = curl.multiAddHandle(multi, handle.pointer)
        guard added == CURLM_OK else {
            let text = curl.text(of: added)
            finish(submission, .failed(HTTPError(code: .other, message: "libcurl could not start the transfer: \(text)")))
            return
        }
        running[handle.pointer] = submission
    }

    private func collectFinished() {
        var queued: Int32 = 0
        while let message = curl.multiInfoRead(multi, &queued) {
            // The message is freed by curl_multi_remove_handle, so it is read first.
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let result = message.pointee.data.result
            guard let submission = running.removeValue(forKey: easy), let transfer = submission.transfer else { continue }
            _ = curl.multiRemoveHandle(multi, easy)
            finish(submission, .finished(transfer, result))
        }
    }

    /// Starts the connects' attempts that are due, and ends those that connected at once or
    /// whose deadline passed.
    private func advanceConnects() {
        let now = clock.now
        for submission in connecting {
            if let connect = submission.connect { report(connect.advance(now: now), of: submission) }
        }
        connecting.removeAll { $0.connect == nil }
    }

    /// Finishes the attempts whose sockets `curl_multi_poll` found writable or in error.
    private func finishConnects(ready sockets: [curl_waitfd]) {
        let ready = Set(sockets.lazy.filter { $0.revents != 0 }.map(\.fd))
        guard !ready.isEmpty else { return }
        let now = clock.now
        for submission in connecting {
            if let connect = submission.connect, ready.contains(connect.descriptor) {
                report(connect.socketIsReady(now: now), of: submission)
            }
        }
        connecting.removeAll { $0.connect == nil }
    }

    private func report(_ progress: SocketConnect.Progress, of submission: Submission) {
        guard let connect = submission.connect else { return }
        switch progress {
        case .pending:
            return
        case .connected(let elapsed):
            submission.connect = nil
            submission.end(.connected(HTTPTimings(connect: elapsed, total: elapsed)))
        case .failed(let error):
            submission.connect = nil
            submission.end(
                .failed(HTTPError(connectingTo: connect.address.endpoint, systemError: error, timeout: submission.request.timeout)))
        }
    }

    /// How long the loop may sleep before a connect or a plain exchange needs it: a connect's
    /// next attempt, a deadline, rounded up to whole milliseconds; at most a second.
    private func waitMilliseconds() -> Int32 {
        var earliest = plain.wakeUp
        for submission in connecting {
            if let wakeUp = submission.connect?.wakeUp { earliest = min(earliest ?? wakeUp, wakeUp) }
        }
        guard let wakeUp = earliest else { return 1000 }
        let wait = wakeUp - clock.now
        guard wait > .zero else { return 0 }
        return Int32(min(1000, wait.wholeMilliseconds))
    }

    /// Ends a running submission early; the connection it used is closed by libcurl, since it
    /// is in the middle of an exchange.
    private func abandon(_ submission: Submission, reason: String) {
        if case .plainExchange = submission.kind {
            plain.abandon(submission, with: HTTPError(cancelledRequestTo: submission.request.url, reason: reason))
            return
        }
        if submission.connect != nil {
            submission.connect = nil  // Closes its socket.
            connecting.removeAll { $0 === submission }
            submission.end(.failed(HTTPError(cancelledRequestTo: submission.request.url, reason: reason)))
            return
        }
        guard let transfer = submission.transfer, running[transfer.handle.pointer] === submission else {
            return  // Already finished, or never started because it could not be configured.
        }
        running[transfer.handle.pointer] = nil
        _ = curl.multiRemoveHandle(multi, transfer.handle.pointer)
        finish(submission, .failed(HTTPError(cancelledRequestTo: submission.request.url, reason: reason)))
    }

    /// Reports the end while the handle still holds the transfer's information, then resets the
    /// handle (so it points at none of the transfer's memory) before the transfer is released.
    private func finish(_ submission: Submission, _ ending: Submission.Ending) {
        submission.end(ending)
        if let transfer = submission.transfer {
            transfer.handle.reset()
            if idleHandles.count < maximumIdleHandles { idleHandles.append(transfer.handle) }
        }
        submission.transfer = nil
    }
}
