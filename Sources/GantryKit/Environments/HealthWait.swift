import Config

/// Waits for one service's health, given the endpoints so far and why a service can no longer pass;
/// returns why it is not healthy, or nil when it is. The process provider starts a service only once
/// the services it depends on pass this wait; the gates provide it (`HealthWaiter`), so that
/// environments need not know what a gate is.
package typealias HealthWait = @Sendable (Service, [ServiceEndpoint], @escaping @Sendable (String) -> String?) async -> String?

extension EnvironmentManager {
    /// A wait that does not wait, for providers that need none.
    package static let noHealthWait: HealthWait = { _, _, _ in nil }
}
