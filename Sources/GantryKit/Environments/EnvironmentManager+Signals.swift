import Basics
import Config

extension EnvironmentManager {
    /// What `up` came to, a signal included.
    package struct UpOutcome: Sendable {
        /// The environment as `up` left it; nil when it failed before recording anything.
        package var ledger: Ledger?
        /// Why it is not up; nil when it is.
        package var failure: EnvironmentFailure?
        /// `ExitStatus.success`, `.failure`, or `.cancelled` when a signal stopped it.
        package var exitCode: Int32
        /// The environment a failure or a signal left behind, for the caller to take down; nil when
        /// it is up, or when nothing was created (a refused second `up` must leave the first alone).
        package var leftover: String? { exitCode == ExitStatus.success ? nil : ledger?.name }
    }

    /// What a failure says when a signal caused it.
    package static let stoppedBySignal = "stopped by a signal"

    /// `up`, as a signal may interrupt it: a signal that comes after the last part was created still
    /// ends the run, and the environment is then a leftover too.
    package func upUnlessCancelled(
        _ services: [Service], awaitHealth: @escaping HealthWait, awaitsEveryService: Bool
    ) async -> UpOutcome {
        do {
            let ledger = try await up(services: services, awaitHealth: awaitHealth, awaitsEveryService: awaitsEveryService)
            guard Task.isCancelled else { return UpOutcome(ledger: ledger, exitCode: ExitStatus.success) }
            return UpOutcome(ledger: ledger, failure: EnvironmentFailure(message: Self.stoppedBySignal), exitCode: ExitStatus.cancelled)
        } catch {
            guard Task.isCancelled else { return UpOutcome(ledger: error.ledger, failure: error, exitCode: ExitStatus.failure) }
            var stopped = error
            stopped.message = Self.stoppedBySignal
            return UpOutcome(ledger: error.ledger, failure: stopped, exitCode: ExitStatus.cancelled)
        }
    }
}
