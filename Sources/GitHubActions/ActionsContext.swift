import Basics
import Foundation

/// What GitHub Actions (or act) tells a step about its run, read from the environment and the
/// event payload file.
package struct ActionsContext: Sendable {
    /// The event that triggered the workflow: `push`, `pull_request`, `merge_group`, `schedule`, …
    package var eventName: String
    /// The decoded event payload.
    package var payload: EventPayload
    /// Where the payload was read from, for error messages.
    package var payloadPath: String
    /// `GITHUB_SHA`: the commit the workflow runs on.
    package var sha: String?
    /// `GITHUB_REF`: the full ref the workflow runs on.
    package var ref: String?
    /// `GITHUB_REPOSITORY`: `owner/name`.
    package var repository: String?
    /// `GITHUB_RUN_ID`.
    package var runID: String?
    /// `GITHUB_RUN_NUMBER`.
    package var runNumber: String?
    /// `GITHUB_RUN_ATTEMPT`.
    package var runAttempt: String?
    /// `GITHUB_JOB`: the job's id.
    package var job: String?
    /// `GITHUB_WORKSPACE`: where actions/checkout put the repository.
    package var workspace: String?
    /// `GITHUB_OUTPUT`: the step's output file.
    package var outputFile: String?
    /// `GITHUB_ENV`: the file that sets environment variables for later steps.
    package var environmentFile: String?
    /// `GITHUB_STEP_SUMMARY`: the step's summary file.
    package var summaryFile: String?
    /// `RUNNER_TEMP`: the runner's per-job temporary directory.
    package var runnerTemporaryDirectory: String?
    /// Whether the run is act's local emulation rather than GitHub's runner.
    package var isAct: Bool
    /// Why the event or its payload could not be read, when it could not; `payload` is then empty.
    /// Only what needs the event fails on it: validation and the summary still work.
    package var payloadProblem: GantryError?

    /// Reads the context from environment variables; nil when not running under GitHub Actions.
    package static func current(environment: [String: String] = ProcessInfo.processInfo.environment) -> ActionsContext? {
        guard environment["GITHUB_ACTIONS"] == "true" else { return nil }
        let value = { (name: String) in environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let eventName = value("GITHUB_EVENT_NAME") ?? ""
        let payloadPath = value("GITHUB_EVENT_PATH") ?? ""
        var payload = EventPayload()
        var problem: GantryError?
        if eventName.isEmpty {
            problem = .invalidContext(
                "GITHUB_ACTIONS is set but GITHUB_EVENT_NAME is not: gantry cannot tell which event triggered the run")
        } else if payloadPath.isEmpty {
            problem = .invalidContext(
                "GITHUB_EVENT_PATH is not set: gantry needs the \(eventName) event payload to choose the commits to compare")
        } else {
            do {
                payload = try readPayload(at: payloadPath, eventName: eventName)
            } catch {
                problem = error
            }
        }
        return ActionsContext(
            eventName: eventName, payload: payload, payloadPath: payloadPath, sha: value("GITHUB_SHA"),
            ref: value("GITHUB_REF"), repository: value("GITHUB_REPOSITORY"), runID: value("GITHUB_RUN_ID"),
            runNumber: value("GITHUB_RUN_NUMBER"), runAttempt: value("GITHUB_RUN_ATTEMPT"), job: value("GITHUB_JOB"),
            workspace: value("GITHUB_WORKSPACE"), outputFile: value("GITHUB_OUTPUT"),
            environmentFile: value("GITHUB_ENV"), summaryFile: value("GITHUB_STEP_SUMMARY"),
            runnerTemporaryDirectory: value("RUNNER_TEMP"), isAct: environment["ACT"] == "true", payloadProblem: problem)
    }

    package static func readPayload(at path: String, eventName: String) throws(GantryError) -> EventPayload {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalidContext(
                "cannot read the \(eventName) event payload at \(path) (GITHUB_EVENT_PATH): the file is missing or unreadable")
        }
        do {
            return try JSONDecoder().decode(EventPayload.self, from: data)
        } catch let DecodingError.typeMismatch(type, context), let DecodingError.valueNotFound(type, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            let subject = field.isEmpty ? "its top level" : "`\(field)`"
            throw .invalidContext("the \(eventName) event payload at \(path) is malformed: \(subject) should be \(describe(type))")
        } catch {
            guard case DecodingError.dataCorrupted(let context) = error, context.codingPath.isEmpty,
                let syntax = JSONSyntax.firstError(in: data)
            else {
                throw .invalidContext("the \(eventName) event payload at \(path) is not valid JSON: \(describe(error))")
            }
            throw .invalidContext(
                "the \(eventName) event payload at \(path) is not valid JSON: line \(syntax.line), column \(syntax.column): \(syntax.problem)"
            )
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type: return "a number"
        default: return "an object"
        }
    }

    private static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return (context.underlyingError as NSError?)?.localizedDescription ?? context.debugDescription
        }
        return "\(error)"
    }

    /// What identifies this job's run: the run, its attempt and the job (`GITHUB_RUN_ID` alone repeats
    /// on re-runs and across the jobs of a run).
    package var runKey: String { "\(runID ?? "")-\(runAttempt ?? "")-\(job ?? "")" }

    /// The repository's default branch, from the payload.
    package var defaultBranch: String? { payload.repository?.defaultBranch }
}
