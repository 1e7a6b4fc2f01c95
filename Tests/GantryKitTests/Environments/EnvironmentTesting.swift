@testable import GantryKit

extension EnvironmentManager {
    /// How `up` of every service failed, or nil when it did not.
    func upFailure() async -> EnvironmentFailure? {
        do {
            _ = try await up(services: configuration.services)
            return nil
        } catch {
            return error
        }
    }
}
