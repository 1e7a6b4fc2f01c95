/// What `gantry run`'s test command did, as recorded and as the summary shows it.
public struct TestDocument: Codable, Sendable, Equatable {
    /// The command, as given.
    public var command: String
    /// Its exit status; nil when the run was cancelled first.
    public var exitCode: Int32?
    /// How long it ran, in seconds.
    public var seconds: Double
    /// The file its output went to (it also went to gantry's standard error).
    public var log: String
    /// The last lines of its output.
    public var tail: [String]
    /// What the JUnit XML file it wrote to `$GANTRY_JUNIT_XML` says, when it wrote one.
    public var results: JUnitResults?
    /// Why that file could not be read, when it could not.
    public var resultsProblem: String?

    enum CodingKeys: String, CodingKey {
        case command, exitCode = "exit_code", seconds, log, tail, results, resultsProblem = "results_problem"
    }
}
