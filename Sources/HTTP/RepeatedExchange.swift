/// One request sent `count` times, `concurrency` at a time, by the session's loop thread itself:
/// when an exchange ends, its report begins the next one there and then, so no task is resumed and
/// no thread woken between requests. That hand-off, twice a request, was the largest cost of a
/// latency gate run from tasks (a seventh of its time in switching threads).
///
/// Its state is guarded by `lock`: exchanges end on the loop thread, but the first ones are
/// submitted, and the whole may be cancelled, from the calling task's thread.
final class RepeatedExchange: @unchecked Sendable {
    private let request: RepeatedRequest
    private let count: Int
    private let loop: SessionLoop
    private let lock = Lock()
    // Guarded by `lock`.
    private var started = 0
    private var inFlight: [ObjectIdentifier: Submission] = [:]
    private var isStopped = false
    private var outcomes: [Result<HTTPExchangeSummary, HTTPError>] = []
    /// Receives every outcome once all have ended; called exactly once.
    private var finish: (([Result<HTTPExchangeSummary, HTTPError>]) -> Void)?

    init(request: RepeatedRequest, count: Int, loop: SessionLoop) {
        self.request = request
        self.count = max(0, count)
        self.loop = loop
        outcomes.reserveCapacity(self.count)
    }

    /// Starts `concurrency` exchanges; `finish` receives the outcomes, in the order they ended.
    func start(concurrency: Int, finish: @escaping ([Result<HTTPExchangeSummary, HTTPError>]) -> Void) {
        lock.withLock { self.finish = finish }
        let first = (0..<max(1, min(concurrency, count))).compactMap { _ in next() }
        if first.isEmpty { end() }
        for submission in first { loop.submit(submission) }
    }

    /// Starts no more exchanges and abandons those under way.
    func cancel() {
        let running = lock.withLock {
            isStopped = true
            return Array(inFlight.values)
        }
        for submission in running { loop.cancel(submission) }
    }

    /// The next exchange, or nil when all have started or the run stopped.
    private func next() -> Submission? {
        lock.withLock {
            guard !isStopped, started < count else { return nil }
            started += 1
            let submission = request.submission()
            submission.report = { [unowned submission] ending in self.ended(submission, ending) }
            inFlight[ObjectIdentifier(submission)] = submission
            return submission
        }
    }

    private func ended(_ submission: Submission, _ ending: Submission.Ending) {
        let outcome: Result<HTTPExchangeSummary, HTTPError>
        switch ending {
        case .finished(let transfer, let result):
            outcome = transfer.summary(after: result)
        case .answered(let summary):
            outcome = .success(summary)
        case .failed(let error):
            outcome = .failure(error)
        case .connected:
            preconditionFailure("an exchange ended as a connect")
        }
        lock.withLock {
            inFlight[ObjectIdentifier(submission)] = nil
            outcomes.append(outcome)
            // A cancelled exchange means the task or the session stopped: starting more would
            // only be refused again.
            if case .failure(let error) = outcome, error.code == .cancelled { isStopped = true }
        }
        if let following = next() {
            loop.beginFromLoop(following)
        } else {
            end()
        }
    }

    /// Reports the outcomes once nothing is under way any more.
    private func end() {
        let report: (([Result<HTTPExchangeSummary, HTTPError>]) -> Void, [Result<HTTPExchangeSummary, HTTPError>])? = lock.withLock {
            guard inFlight.isEmpty, let finish else { return nil }
            self.finish = nil
            return (finish, outcomes)
        }
        if let (finish, outcomes) = report { finish(outcomes) }
    }
}

/// What a repeated exchange keeps of each response: enough for latency figures, not the body.
package struct HTTPExchangeSummary: Sendable, Equatable {
    /// The status code.
    package var status: Int
    /// Where its time went.
    package var timings: HTTPTimings
}
