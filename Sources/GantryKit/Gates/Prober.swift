import Basics
import Config

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
        /// The last attempt that said something about the service (see `run`).
        var last: AttemptOutcome?
        /// The verdict in plain words.
        var message: String
    }

    /// Runs `probe` until `successThreshold` passes in a row (passed), `failureThreshold` failures in
    /// a row (failed), the deadline or the last of `attempts` (failed) or cancellation (skipped). The
    /// first attempt is at once; no attempt outlives the deadline.
    ///
    /// An attempt the deadline cut short that timed out says only that time ran out, so the result
    /// reports the attempt before it: a TLS failure stays a TLS failure, not "could not connect
    /// within 23 ms".
    func run(_ probe: some Probe) async -> Summary {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + timing.effectiveDeadline
        var attempts = 0
        var passesInARow = 0
        var failuresInARow = 0
        var interval = timing.interval
        var last: AttemptOutcome?
        var cutShort: (timeout: Duration, failure: String)?
        var triedEarly = false
        while true {
            if Task.isCancelled {
                return Summary(
                    verdict: .skipped, attempts: attempts, elapsed: clock.now - start, last: last, message: "stopped before it finished")
            }
            let remaining = deadline - clock.now
            guard remaining > .zero else { break }
            if let reason = stopReason() {
                return Summary(
                    verdict: .failed, attempts: attempts, elapsed: clock.now - start, last: last,
                    message: "\(reason)\(last?.failure.map { "; the last attempt: \($0)" } ?? "")")
            }
            let timeout = min(timing.requestTimeout, remaining)
            let outcome = await probe.attempt(timeout: timeout)
            attempts += 1
            if outcome.timedOut, timeout < timing.requestTimeout, let previous = last, !previous.passed {
                cutShort = (timeout, outcome.failure ?? "timed out")
            } else {
                last = outcome
                cutShort = nil
            }
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
                if let threshold = timing.failureThreshold, failuresInARow >= threshold, let last {
                    let why = threshold == 1 ? "" : " (\(threshold) failures in a row)"
                    return failed(last, attempts: attempts, elapsed: clock.now - start, detail: why, cutShort: cutShort)
                }
            }
            guard attempts < timing.attempts ?? .max else { break }
            let wake = min(clock.now + interval, deadline)
            // A connection refused sent no request: watching the port, cheaply and often, and
            // trying again as soon as it accepts notices readiness at once, while the requests
            // sent stay one an interval. If that early attempt could not connect either, the
            // port's accepting meant nothing, and the next wait is the whole interval.
            if outcome.couldNotConnect, !triedEarly {
                triedEarly = await probe.waitUntilAccepting(until: wake)
            } else {
                triedEarly = false
            }
            if !triedEarly { try? await clock.sleep(until: wake) }
            if !outcome.passed { interval = min(interval * 2, timing.maximumInterval) }
        }
        let elapsed = clock.now - start
        guard let last else {
            return Summary(verdict: .failed, attempts: 0, elapsed: elapsed, message: "the deadline passed before the first attempt")
        }
        let end =
            attempts == timing.attempts
            ? "within its \(attempts) attempts" : "before the deadline (\(DurationText.format(timing.effectiveDeadline)))"
        if last.passed {
            return Summary(
                verdict: .failed, attempts: attempts, elapsed: elapsed, last: last,
                message: "passed \(passesInARow) of the \(timing.successThreshold) times in a row it must \(end)")
        }
        let detail = attempts == timing.attempts ? " (attempts: \(attempts))" : ""
        return failed(last, attempts: attempts, elapsed: elapsed, detail: detail, cutShort: cutShort)
    }

    private func failed(
        _ outcome: AttemptOutcome, attempts: Int, elapsed: Duration, detail: String, cutShort: (timeout: Duration, failure: String)?
    ) -> Summary {
        var message =
            "\(outcome.failure ?? "failed")\(detail) after \(attempts) attempt\(attempts == 1 ? "" : "s") over \(DurationText.format(elapsed))"
        if let body = outcome.body { message += "; last body: \(body)" }
        if let cutShort {
            message += "; the last attempt had \(DurationText.format(cutShort.timeout)) left before the deadline: \(cutShort.failure)"
        }
        return Summary(verdict: .failed, attempts: attempts, elapsed: elapsed, last: outcome, message: message)
    }
}
