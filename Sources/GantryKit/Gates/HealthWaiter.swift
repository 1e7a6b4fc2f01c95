import Config

/// Waits for a service's health gates, so the process provider starts a service only after the
/// services it depends on are healthy.
package enum HealthWaiter {
    /// A waiter over the configuration: runs the service's health checks against its endpoint and
    /// returns why they did not pass, or nil when they did (or there are none).
    package static func waiter(configuration: Configuration, root: String, environment: [String: String]) -> HealthWait {
        // One connection loop for every wait of an `up`: many services waiting at once must not
        // each start a thread of their own and compete for the processor.
        let session = try? PreparedGates.makeSession()
        return { service, endpoints, liveness in
            guard !service.gates.health.isEmpty else { return nil }
            var healthOnly = service
            healthOnly.gates = ServiceGates(health: service.gates.health, smoke: [], latency: nil)
            let gates: PreparedGates
            do {
                gates = try PreparedGates.prepare(
                    configuration: configuration, services: [healthOnly], endpoints: endpoints, environment: environment, directory: root,
                    session: session)
            } catch {
                return "\(error)"
            }
            let failures = await gates.run(liveness: liveness).checks.filter { $0.verdict != .passed }
            return failures.isEmpty ? nil : failures.map { "\($0.name): \($0.message)" }.joined(separator: "; ")
        }
    }
}
