import Foundation
import GantryKit

/// What one command did, as the state directory keeps it for later steps (`gantry summary`).
package struct Record: Codable, Sendable {
    /// The schema this build writes; a reader skips records of a newer schema rather than misread them.
    package static let currentSchema = 1

    /// The schema the record was written with.
    package var schema: Int
    /// The command: `changes`, `validate`, …
    package var command: String
    /// The run it belongs to: under Actions `RUN_ID-ATTEMPT-JOB`, elsewhere the local run's id (see `LocalRun`).
    package var run: String?
    /// When the command finished.
    package var recordedAt: Date
    /// The command's exit code.
    package var exitCode: Int32
    /// The error that stopped the command, when one did.
    package var error: String?
    /// What `changes` found.
    package var changes: ChangesDocument?
    /// What `validate` (or any command that read the configuration) found wrong.
    package var validation: ValidationDocument?
    /// What `tags` computed.
    package var tags: TagsDocument?
    /// What `gate` found.
    package var gates: GatesDocument?
    /// What `env` did to the environment.
    package var environment: EnvironmentDocument?
    /// For `run`: each phase, in order, with its duration.
    package var phases: [Phase]?
    /// For `run`: what the test command did.
    package var test: TestDocument?
    /// What `findings` read and judged.
    package var findings: FindingsDocument?

    /// Creates a record of the current schema, stamped now.
    package init(
        command: String, exitCode: Int32, error: String? = nil, changes: ChangesDocument? = nil,
        validation: ValidationDocument? = nil, tags: TagsDocument? = nil, gates: GatesDocument? = nil,
        environment: EnvironmentDocument? = nil, phases: [Phase]? = nil, test: TestDocument? = nil, findings: FindingsDocument? = nil,
        recordedAt: Date = Date()
    ) {
        self.schema = Self.currentSchema
        self.command = command
        self.recordedAt = recordedAt
        self.exitCode = exitCode
        self.error = error
        self.changes = changes
        self.validation = validation
        self.tags = tags
        self.gates = gates
        self.environment = environment
        self.phases = phases
        self.test = test
        self.findings = findings
    }

    enum CodingKeys: String, CodingKey {
        case schema, command, run, recordedAt = "recorded_at", exitCode = "exit_code", error, changes, validation, tags, gates, environment,
            phases, test, findings
    }
}

/// One phase of `gantry run`: what it was, how long it took, how it ended.
package struct Phase: Codable, Sendable, Equatable {
    /// `changes`, `up`, `gates`, `test` or `down`.
    package var name: String
    /// Its duration in seconds.
    package var seconds: Double
    /// `passed`, `failed`, `skipped` or `cancelled`, with a few words.
    package var outcome: String

    /// Creates a phase.
    package init(name: String, seconds: Double, outcome: String) {
        self.name = name
        self.seconds = seconds
        self.outcome = outcome
    }
}
