import Foundation

/// Work started on another thread at once, whose result is collected later with `value()`.
package final class Concurrent<Value: Sendable>: @unchecked Sendable {
    // Written once by the worker before `done` is signalled, read only after waiting on it.
    private var result: Result<Value, GantryError>?
    private let done = DispatchSemaphore(value: 0)

    package init(_ work: @escaping @Sendable () throws(GantryError) -> Value) {
        Thread.detachNewThread { [self] in
            result = Result { () throws(GantryError) in try work() }
            done.signal()
        }
    }

    /// Waits for the work to finish and returns its value, or throws its error.
    package func value() throws(GantryError) -> Value {
        done.wait()
        done.signal()  // let a later call return too
        return try result!.get()
    }
}
