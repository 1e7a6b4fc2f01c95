import Foundation

/// Runs `body` once per worker, one worker per core (at most `count`), and returns each worker's
/// result in worker order. Workers share nothing but what `body` captures, which must be Sendable.
func onEveryCore<Result: Sendable>(
    upTo count: Int, _ body: @Sendable (_ worker: Int, _ workers: Int) -> Result
) -> [Result] {
    let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, count))
    let slots = Slots<Result>(count: workers)
    DispatchQueue.concurrentPerform(iterations: workers) { worker in slots.store(body(worker, workers), at: worker) }
    return slots.values
}

/// One result slot per worker. Each worker writes only its own slot, and the slots are read only
/// after `concurrentPerform` has returned, so no two threads ever touch the same memory.
private final class Slots<Value>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<Value?>

    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }

    deinit {
        buffer.deinitialize()
        buffer.deallocate()
    }

    func store(_ value: Value, at index: Int) { buffer[index] = value }

    var values: [Value] { buffer.map { $0! } }
}
