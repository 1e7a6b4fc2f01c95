/// Why a gantry command could not do its job. Every case carries a message a user can act on.
///
/// These are usage, setup and I/O errors (exit code 2). A gate or check that fails is not an error but a
/// result, reported with exit code 1.
package enum GantryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The configuration is missing, unreadable or invalid; each diagnostic names its file, line and column.
    case invalidConfiguration([Diagnostic])
    /// The GitHub Actions context (event payload, variables) is missing or malformed.
    case invalidContext(String)
    /// The directory gantry was pointed at is not in a Git repository; `reason` is libgit2's.
    case notARepository(path: String, reason: String)
    /// The repository lacks something the command needs (a commit, history), or git failed.
    case repository(String)
    /// A shallow clone's history does not reach what the command compares: `comparing` names it
    /// ("the merge base of …"), `reason` says why fetching more did not help.
    case historyTooShallow(comparing: String, reason: String)
    /// A value given to gantry (an option, a check's target, a variable) is not of the form
    /// `expected` says: "`subject` must `expected`; got `found`", with `found` as written, quoted.
    case invalidValue(subject: String, expected: String, found: String)
    /// A number given to gantry is outside the `range` it must be in.
    case outOfRange(subject: String, range: ClosedRange<Int>, found: Int)
    /// A `${…}` variable of a check's `template` has no value: `reason` says why, or it is nil when
    /// the variable is an `${env.NAME}` the environment does not set.
    case unresolvedVariable(String, template: String, reason: String?)
    /// A file another tool wrote (a scanner's SARIF) is not what it must be, or is past a limit: the
    /// message names the file, the JSON path or line and column, and what was expected.
    case invalidSARIF(String)
    /// The command line contradicts itself or names something that does not exist.
    case usage(String)
    /// A file could not be read or written, a port found or a process started: `action` says what
    /// and where ("write the SARIF file out.sarif"), `reason` what the system answered.
    case io(action: String, reason: String)

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
            diagnostics.map(\.description).joined(separator: "\n")
        case .notARepository(let path, let reason):
            "\(path) is not inside a Git repository (\(reason)); run gantry in a checkout or pass --repository PATH"
        case .historyTooShallow(let comparing, let reason):
            "cannot compute \(comparing): the clone is shallow and \(reason). "
                + "Check out with full history: actions/checkout with `fetch-depth: 0`."
        case .outOfRange(let subject, let range, let found):
            "\(subject) must be from \(range.lowerBound) to \(range.upperBound); got \(found)"
        case .invalidValue(let subject, let expected, let found):
            "\(subject) must \(expected); got \"\(found)\""
        case .unresolvedVariable(let variable, let template, nil):
            "\(variable) in \"\(template)\" is not set in the environment"
        case .unresolvedVariable(let variable, let template, let reason?):
            "\(variable) in \"\(template)\" has no value: \(reason)"
        case .io(let action, let reason):
            "cannot \(action): \(reason)"
        case .invalidContext(let message), .repository(let message), .invalidSARIF(let message), .usage(let message):
            message
        }
    }
}
