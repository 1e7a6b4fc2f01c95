import Foundation

/// The outcome of a finished process.
public struct CommandResult: Sendable {
    /// The exit status, or the signal's number when ``diedOfSignal``.
    public var status: Int32
    public var standardOutput: String
    public var standardError: String
    /// Whether a signal ended the process.
    public var diedOfSignal: Bool

    public init(status: Int32, standardOutput: String, standardError: String, diedOfSignal: Bool = false) {
        self.status = status
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.diedOfSignal = diedOfSignal
    }
}

/// Runs a real process to completion and captures its output.
///
/// - Parameters:
///   - environment: Replaces the inherited environment when given, so tests control exactly what
///     the child sees (GitHub Actions variables in particular).
@discardableResult
public func runCommand(
    _ executable: String, _ arguments: [String], in directory: String? = nil,
    environment: [String: String]? = nil, input: String? = nil
) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
    process.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    if let environment { process.environment = environment }
    let output = Pipe()
    let error = Pipe()
    let stdin = Pipe()
    process.standardOutput = output
    process.standardError = error
    process.standardInput = stdin
    try process.run()
    if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
    try stdin.fileHandleForWriting.close()
    // Drain stderr on another thread so a chatty child cannot block on a full pipe.
    let group = DispatchGroup()
    nonisolated(unsafe) var errorData = Data()
    DispatchQueue.global().async(group: group) { errorData = error.fileHandleForReading.readDataToEndOfFile() }
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return CommandResult(
        status: process.terminationStatus,
        standardOutput: String(decoding: outputData, as: UTF8.self),
        standardError: String(decoding: errorData, as: UTF8.self), diedOfSignal: process.terminationReason == .uncaughtSignal)
}

/// Every line of a step's output (standard output, then standard error: the runner reads both)
/// that the runner would read as a workflow command, leading whitespace trimmed as the runner
/// trims it, outside the pauses gantry puts around untrusted text.
public func workflowCommands(in result: CommandResult) -> [String] {
    var commands: [String] = []
    var pausedUntil: String?
    let lines = (result.standardOutput + "\n" + result.standardError).split(separator: "\n", omittingEmptySubsequences: false)
    for line in lines.map({ String($0.drop { $0 == " " || $0 == "\t" }) }) {
        if let token = pausedUntil {
            if line == "::\(token)::" { pausedUntil = nil }
            continue
        }
        if line.hasPrefix("::stop-commands::") {
            pausedUntil = String(line.dropFirst("::stop-commands::".count))
        } else if line.hasPrefix("::") {
            commands.append(line)
        }
    }
    return commands
}
