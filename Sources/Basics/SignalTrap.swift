import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns the runner's cancellation signals into task cancellation: GitHub sends SIGINT, SIGTERM
/// 7.5 s later and kills 2.5 s after that, so teardown must start at the first signal, not the last.
package enum SignalTrap {
    /// Runs `operation` in a task that SIGINT or SIGTERM cancels. The operation is expected to clean
    /// up when cancelled; its result is returned either way.
    package static func run<Result: Sendable>(_ operation: @escaping @Sendable () async -> Result) async -> Result {
        let task = Task { await operation() }
        let sources = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
            // The default action would end gantry at once, before it cleans up.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { task.cancel() }
            source.resume()
            return source
        }
        let result = await task.value
        for source in sources { source.cancel() }
        return result
    }
}
