/// How `gantry env up` brings up a run's environment (`environment:` in gantry.yml).
package struct EnvironmentSettings: Sendable, Equatable {
    /// Which provider creates the environment.
    package enum Provider: String, Sendable, CaseIterable, Codable {
        /// Each service's `run` command, as a process group on loopback.
        case process
        /// `docker compose` with a compose file.
        case compose
        /// The user's own `up`, `down` and `outputs` commands.
        case command
    }

    /// The provider.
    package var provider: Provider
    /// The name's template, whose placeholders (`{run_id}`, `{run_number}`, `{job}` …) are replaced.
    package var nameTemplate: String
    /// How long the environment may live before `gantry env gc` removes it.
    package var timeToLive: Duration
    /// How long a service has to stop after SIGTERM before it is killed.
    package var stopGracePeriod: Duration
    /// The compose file, for the compose provider.
    package var composeFile: String?
    /// How long each `docker compose` command may take (`up --wait` waits for health checks).
    package var composeTimeout: Duration
    /// The user's commands, for the command provider.
    package var commands: Commands?
    /// Whether every service with a `run` command serves a certificate of the environment's own
    /// authority (`tls: true`), unless it says otherwise.
    package var servesPerRunCertificates = false

    /// The command provider's commands.
    package struct Commands: Sendable, Equatable {
        /// Creates the environment.
        package var up: String
        /// Removes it; must succeed when there is nothing to remove.
        package var down: String
        /// Prints `KEY=VALUE` lines, such as `API_URL=https://…`.
        package var outputs: String?
        /// The longest each command may take.
        package var timeout: Duration

        /// Creates the commands.
        package init(up: String, down: String, outputs: String?, timeout: Duration) {
            self.up = up
            self.down = down
            self.outputs = outputs
            self.timeout = timeout
        }
    }

    /// The defaults: processes, named after the run, two hours to live, five seconds to stop.
    package static let defaults = EnvironmentSettings(
        provider: .process, nameTemplate: "gantry-{run_id}-{run_attempt}-{job}-{runner}", timeToLive: .seconds(7200),
        stopGracePeriod: .seconds(5), composeFile: nil, composeTimeout: .seconds(600), commands: nil)
}

/// How the process provider runs one service.
package struct ServiceProcess: Sendable, Equatable {
    /// The shell command; `${port}` is the service's port.
    package var command: String
    /// A fixed port; nil picks a free loopback port.
    package var port: Int?
    /// Extra environment variables; values may hold `${url}`, `${port}` (the service's own) and
    /// `${env.NAME}` (gantry's environment), as gate values do.
    package var environment: [String: ValueTemplate]
    /// Where the command runs, relative to the repository root.
    package var workingDirectory: String
    /// The scheme of its URL: `http`, or `https` for a service that serves TLS with its own certificate.
    package var scheme: String
    /// The path its URL ends in, such as `/api`; empty for none.
    package var basePath: String
    /// Whether it serves a certificate of the environment's own authority (`tls: true`); nil
    /// follows `environment.tls`.
    package var servesPerRunCertificate: Bool?

    /// Whether it serves a per-run certificate, with the environment's settings.
    package func servesPerRunCertificate(in settings: EnvironmentSettings) -> Bool {
        servesPerRunCertificate ?? settings.servesPerRunCertificates
    }

    /// The service's URL when it listens on `port` on loopback.
    package func url(port: Int, settings: EnvironmentSettings) -> String {
        "\(servesPerRunCertificate(in: settings) ? "https" : scheme)://127.0.0.1:\(port)\(basePath)"
    }
}
