import Foundation

/// Runs the gantry executable as ``runGantry(_:in:variables:)`` does, under `timeout` and
/// `prlimit --as`, so that a hang or a runaway allocation ends the run instead of the test suite.
///
/// - Parameters:
///   - seconds: After this, SIGTERM; two seconds later, SIGKILL.
///   - memory: The address space the process may use, in bytes.
public func runGantryBounded(
    _ arguments: [String], in directory: String, variables: [String: String] = [:], seconds: Int = 10,
    memory: Int = 1 << 30
) throws -> CommandResult {
    try runGantry(
        ["-k", "2", "\(seconds)", "/usr/bin/prlimit", "--as=\(memory)", "--", try gantryExecutable()] + arguments,
        in: directory, variables: variables, executable: "/usr/bin/timeout")
}

extension CommandResult {
    /// For a run through ``runGantryBounded(_:in:variables:seconds:memory:)``: how it failed to end
    /// by itself (a hang, a crash, an allocation that failed), or nil when it exited.
    public var abnormalEnd: String? {
        // `timeout` dies of the signal that ended gantry, and exits 124 when the time was up.
        if diedOfSignal { return "it died of signal \(status)" }
        return switch status {
        case 124: "it hung: still running at the time limit"
        case 137: "it was killed: it hung past SIGTERM"
        case 129...: "it died of signal \(status - 128)"
        default: nil
        }
    }
}
