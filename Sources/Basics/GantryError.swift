/// Why a gantry command could not do its job. Every case carries a message a user can act on.
///
/// These are usage, setup and I/O errors (exit code 2). A gate or check that fails is not an error but a
/// result, reported with exit code 1.
package enum GantryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The configuration is missing, unreadable or invalid; each diagnostic names its file, line and column.
    case invalidConfiguration([Diagnostic])
    /// The GitHub Actions context (event payload, variables) is missing or malformed.
    case invalidContext(String)
    /// The repository lacks something the command needs (a commit, history), or git failed.
    case repository(String)
    /// The command line contradicts itself or names something that does not exist.
    case usage(String)
    /// A file could not be read or written, a port found or a process started: the message says
    /// which, where, and what the system answered.
    case io(String)

    /// The process exit code for this error: 2, "usage or configuration error".
    package var exitCode: Int32 { ExitStatus.usage }

    /// The message as lines to print, one per diagnostic, each with its control characters escaped:
    /// a name in a message cannot start a line of its own (and with it a workflow command).
    package var lines: [String] {
        switch self {
        case .invalidConfiguration(let diagnostics): diagnostics.map { UntrustedText.escapingControlCharacters($0.description) }
        default: [UntrustedText.escapingControlCharacters(description)]
        }
    }

    package var description: String {
        switch self {
        case .invalidConfiguration(let diagnostics):
            return diagnostics.map(\.description).joined(separator: "\n")
        case .invalidContext(let message), .repository(let message), .usage(let message), .io(let message):
            return message
        }
    }
}
