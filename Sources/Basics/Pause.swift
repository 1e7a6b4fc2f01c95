import Dispatch

/// Waits `duration`, also in a cancelled task. `Task.sleep` returns at once in a cancelled task, and
/// teardown runs in one after a signal: a polling loop built on it would spin for its whole window.
package func pause(for duration: Duration) async {
    let (seconds, attoseconds) = duration.components
    let nanoseconds = max(0, seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(nanoseconds))) { continuation.resume() }
    }
}
