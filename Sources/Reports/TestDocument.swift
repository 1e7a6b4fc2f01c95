/// What `gantry run`'s test command did, as recorded and as the summary shows it.
package struct TestDocument: Codable, Sendable, Equatable {
    /// The command, as given.
    package var command: String
    /// Its exit status; nil when the run was cancelled first.
    package var exitCode: Int32?
    /// How long it ran, in seconds.
    package var seconds: Double
    /// The file its output went to (it also went to gantry's standard error).
    package var log: String
    /// The last lines of its output.
    package var tail: [String]
    /// What the JUnit XML file it wrote to `$GANTRY_JUNIT_XML` says, when it wrote one.
    package var results: JUnitResults?
    /// Why that file could not be read, when it could not.
    package var resultsProblem: String?

    /// Creates the document of a command that ran, before its results are read.
    package init(command: String, exitCode: Int32?, seconds: Double, log: String, tail: [String]) {
        self.command = command
        self.exitCode = exitCode
        self.seconds = seconds
        self.log = log
        self.tail = tail
    }

    enum CodingKeys: String, CodingKey {
        case command, exitCode = "exit_code", seconds, log, tail, results, resultsProblem = "results_problem"
    }
}
