/// Repeats a probe with Kubernetes probe semantics until it passes, fails, or runs out of time.
struct Prober {
    /// How often and how long.
    var timing: GateTiming
    /// Why there is no point in another attempt, such as the service having exited; nil to go on.
    var stopReason: @Sendable () -> String? = { nil }

    /// What the attempts came to.
    struct Summary: Sendable {
        /// How it ended.
        var verdict: Verdict
        /// Attempts made.
        var attempts: Int
        /// From the first attempt to the verdict.
        var elapsed: Duration
        /// From the first attempt to the one that made it pass.
        var timeToReady: Duration?
        /// The last attempt.
        var last: AttemptOutcome?
        /// The verdict in plain words.
        var message: String
    }

    /// Runs `probe` until `successThreshold` passes in a row (passed), `failureThreshold` failures in
    /// a row (failed), the deadline (failed) or cancellation (skipped). The first attempt is at once;
    /// no attempt outlives the deadline.
    func run(_ probe: some Probe) async -> Summary {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + timing.deadline
        var attempts = 0
        var passesInARow = 0
        var failuresInARow = 0
        var interval = timing.interval
        var last: AttemptOutcome?
        while true {
            if Task.isCancelled {
                return Summary(verdict: .skipped, attempts: attempts, elapsed: clock.now - start, last: last, message: "stopped before it finished")
            }
            let remaining = deadline - clock.now
            guard remaining > .zero else { break }
            if let reason = stopReason() {
                return Summary(
                    verdict: .failed, attempts: attempts, elapsed: clock.now - start, last: last,
                    message: "\(reason)\(last?.failure.map { "; the last attempt: \($0)" } ?? "")")
            }
            let outcome = await probe.attempt(timeout: min(timing.requestTimeout, remaining))
            attempts += 1
            last = outcome
            if outcome.passed {
                passesInARow += 1
                failuresInARow = 0
                interval = timing.interval
                if passesInARow >= timing.successThreshold {
                    let elapsed = clock.now - start
                    let tries = attempts == 1 ? "at the first attempt" : "after \(attempts) attempts"
                    return Summary(
                        verdict: .passed, attempts: attempts, elapsed: elapsed, timeToReady: elapsed, last: outcome,
                        message: "passed \(tries), in \(DurationText.format(elapsed))")
                }
            } else {
                failuresInARow += 1
                passesInARow = 0
                if let threshold = timing.failureThreshold, failuresInARow >= threshold {
                    let why = threshold == 1 ? "" : " (\(threshold) failures in a row)"
                    return failed(outcome, attempts: attempts, elapsed: clock.now - start, detail: why)
                }
            }
            let wake = min(clock.now + interval, deadline)
            try? await clock.sleep(until: wake)
            if !outcome.passed { interval = min(interval * 2, timing.maximumInterval) }
        }
        let elapsed = clock.now - start
        guard let last else {
            return Summary(verdict: .failed, attempts: 0, elapsed: elapsed, message: "the deadline passed before the first attempt")
        }
        if last.passed {
            return Summary(
                verdict: .failed, attempts: attempts, elapsed: elapsed, last: last,
                message: "passed \(passesInARow) of the \(timing.successThreshold) times in a row it must before the deadline (\(DurationText.format(timing.deadline)))")
        }
        return failed(last, attempts: attempts, elapsed: elapsed, detail: "")
    }

    private func failed(_ outcome: AttemptOutcome, attempts: Int, elapsed: Duration, detail: String) -> Summary {
        var message = "\(outcome.failure ?? "failed")\(detail) after \(attempts) attempt\(attempts == 1 ? "" : "s") over \(DurationText.format(elapsed))"
        if let body = outcome.body { message += "; last body: \(body)" }
        return Summary(verdict: .failed, attempts: attempts, elapsed: elapsed, last: outcome, message: message)
    }
}
