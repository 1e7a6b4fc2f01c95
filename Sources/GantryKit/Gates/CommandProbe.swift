import Basics

/// A command check: passes when the command exits with 0 within the attempt's timeout.
struct CommandProbe: Probe {
    /// The shell command, variables resolved.
    var command: String
    /// Where it runs: the repository's root.
    var directory: String
    /// Its environment: gantry's, with every service's URL added.
    var environment: [String: String]

    func attempt(timeout: Duration) async -> AttemptOutcome {
        let process: ChildProcess
        do {
            process = try ChildProcess.start(command, in: directory, environment: environment, output: .discarded)
        } catch {
            return AttemptOutcome(passed: false, failure: error.description)
        }
        let status = await process.waitForExit(timeout: timeout)
        // Whatever it started goes too: a check must not leave processes behind.
        _ = await ProcessSession(id: process.id).terminate(grace: .milliseconds(500), reaping: process)
        guard let status else {
            return AttemptOutcome(
                passed: false, failure: "the command did not finish within \(DurationText.format(timeout))", timedOut: true)
        }
        return status == 0 ? AttemptOutcome(passed: true) : AttemptOutcome(passed: false, failure: "the command exited with \(status)")
    }
}
