import Foundation

/// A simulated GitHub Actions step: an event payload file, an output file and the variables that
/// point at them, as the runner (or act) provides them.
public final class ActionsEnvironment: @unchecked Sendable {
    /// Holds the payload and the file commands.
    public let directory: TemporaryDirectory
    /// The variables a step sees.
    public private(set) var variables: [String: String]

    /// Writes `payload` as the event file of an `eventName` event.
    public init(eventName: String, payload: [String: Any], workspace: String, sha: String? = nil, ref: String? = nil) throws {
        directory = try TemporaryDirectory(prefix: "gantry-actions")
        let eventPath = directory.url("event.json")
        try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys]).write(to: URL(fileURLWithPath: eventPath))
        for file in ["output", "env", "summary"] {
            _ = FileManager.default.createFile(atPath: directory.url(file), contents: Data())
        }
        variables = [
            "GITHUB_ACTIONS": "true",
            "GITHUB_EVENT_NAME": eventName,
            "GITHUB_EVENT_PATH": eventPath,
            "GITHUB_WORKSPACE": workspace,
            "GITHUB_OUTPUT": directory.url("output"),
            "GITHUB_ENV": directory.url("env"),
            "GITHUB_STEP_SUMMARY": directory.url("summary"),
            "GITHUB_REPOSITORY": "acme/monorepo",
            "GITHUB_RUN_ID": "1234",
            "GITHUB_RUN_ATTEMPT": "1",
            "GITHUB_JOB": "build",
            "RUNNER_TEMP": directory.path,
        ]
        if let sha { variables["GITHUB_SHA"] = sha }
        if let ref { variables["GITHUB_REF"] = ref }
    }

    /// Sets or removes one variable.
    public func set(_ name: String, _ value: String?) { variables[name] = value }

    /// What the step wrote to `$GITHUB_OUTPUT`.
    public var outputFile: String { (try? String(contentsOfFile: directory.url("output"), encoding: .utf8)) ?? "" }

    /// The outputs parsed the way the runner parses them: `name=value` lines and `name<<DELIMITER` blocks.
    public var outputs: [String: String] { Self.parseFileCommands(outputFile) }

    /// Parses a file-command file as GitHub's runner does.
    public static func parseFileCommands(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        var lines = text.components(separatedBy: "\n")[...]
        while let line = lines.popFirst() {
            if let range = line.range(of: "<<") {
                let name = String(line[..<range.lowerBound])
                let delimiter = String(line[range.upperBound...])
                var value: [String] = []
                while let next = lines.popFirst(), next != delimiter { value.append(next) }
                result[name] = value.joined(separator: "\n")
            } else if let equals = line.firstIndex(of: "=") {
                result[String(line[..<equals])] = String(line[line.index(after: equals)...])
            }
        }
        return result
    }
}

/// Runs the gantry executable in `directory` as a step runs it: with git's test environment, none
/// of the runner's variables the machine running the tests may have, and `variables` on top.
///
/// - Parameter executable: What runs instead of gantry itself, such as a wrapper that runs it.
public func runGantry(
    _ arguments: [String], in directory: String, variables: [String: String] = [:], executable: String? = nil
) throws -> CommandResult {
    var environment = GitFixture.environment.filter { !$0.key.hasPrefix("GITHUB_") && !["ACT", "RUNNER_TEMP"].contains($0.key) }
    environment.merge(variables) { _, new in new }
    return try runCommand(try executable ?? gantryExecutable(), arguments, in: directory, environment: environment)
}

/// The gantry executable built beside the test bundle.
public func gantryExecutable() throws -> String {
    if let explicit = ProcessInfo.processInfo.environment["GANTRY_BIN"] { return explicit }
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = directory.appendingPathComponent("gantry").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        directory.deleteLastPathComponent()
    }
    throw TestFailure("gantry executable not found beside \(CommandLine.arguments[0]); build it or set GANTRY_BIN")
}
