import Config

/// What an environment is asked to be.
struct EnvironmentRequest: Sendable {
    /// Its name.
    var name: String
    /// The configuration.
    var configuration: Configuration
    /// The services to bring up, in the configuration's order.
    var services: [Service]
    /// The repository's root: commands run there, relative paths start there.
    var root: String
    /// Where service logs go.
    var logDirectory: String
    /// gantry's own environment, passed on to what it starts.
    var environment: [String: String]
}

/// Creates and removes one kind of environment: a real seam, since processes, compose projects and
/// the user's commands differ in everything but this.
protocol EnvironmentProvider: Sendable {
    /// Creates the environment, writing each part into the journal before and after it is created,
    /// and returns where its services answer. On failure the parts created so far stay in the journal
    /// for `down`.
    func up(_ request: EnvironmentRequest, journal: Journal) async throws(EnvironmentFailure) -> [ServiceEndpoint]

    /// Removes every part the ledger lists that is not yet removed; safe to repeat. Returns what could
    /// not be removed, in plain words.
    func down(_ ledger: Ledger, journal: Journal) async -> [String]
}

/// Why `up` failed, with what helps to see why: the last lines of a service's log and its path,
/// and the ledger as it was left, so that the caller can take down what was created.
package struct EnvironmentFailure: Error, Sendable {
    /// What went wrong.
    package var message: String
    /// The service at fault, if one was.
    package var service: String?
    /// The last lines of its log.
    package var logTail: [String] = []
    /// Its log file.
    package var logPath: String?
    /// The ledger, once the environment has one: the manager adds it, providers leave it nil.
    package var ledger: Ledger?
}
