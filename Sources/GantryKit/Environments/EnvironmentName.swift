import Basics
import Foundation
import Git
import GitHubActions
import TagGrammar

/// Environment names: unique per run, attempt, job and runner, and valid for every provider
/// (compose project names allow lowercase letters, digits, `-` and `_`, starting with a letter or digit).
package enum EnvironmentName {
    /// The longest name: compose and most cloud resource names accept 63 characters.
    package static let maximumLength = 63

    /// The name for this run. `{runner}` is a short hash of the runner's name: the jobs of a matrix
    /// share their run, attempt and job id, but never a runner at the same time. `{sha}` is the
    /// commit's first 7 characters. Outside Actions the run is `local`, its number and attempt `0`.
    package static func make(template: String, context: ActionsContext?, repositoryRoot: String, environment: [String: String]) -> String {
        let runner = environment["RUNNER_NAME"] ?? ProcessInfo.processInfo.hostName
        let directory = URL(fileURLWithPath: repositoryRoot).lastPathComponent
        // Under Actions each comes from its GITHUB_ variable; outside, none is set.
        let github = { (name: String, local: String) in
            context == nil ? local : environment["GITHUB_\(name)"].flatMap { $0.isEmpty ? nil : $0 } ?? local
        }
        let values = [
            "run_id": context?.runID ?? "local",
            "run_number": context?.runNumber ?? "0",
            "run_attempt": context?.runAttempt ?? "0",
            "job": context?.job ?? directory,
            "workflow": github("WORKFLOW", "local"),
            "event_name": context?.eventName ?? "local",
            "ref_name": github("REF_NAME", "local"),
            "sha": String((context?.sha ?? "local").prefix(7)),
            "actor": github("ACTOR", environment["USER"] ?? "local"),
            "repository": (context?.repository ?? directory).split(separator: "/").last.map(String.init) ?? "",
            "repository_owner": github("REPOSITORY_OWNER", "local"),
            "runner": String(ObjectID(hashingBlob: runner).hex.prefix(6)),
        ]
        var raw = template
        for (name, value) in values { raw = raw.replacingOccurrences(of: "{\(name)}", with: value) }
        return sanitized(raw)
    }

    /// `raw` made valid: lowercased, runs of other characters made one `-`, cut to 63 characters with
    /// a hash of the whole so that two long names that share a beginning stay apart.
    package static func sanitized(_ raw: String) -> String {
        var name = ""
        for scalar in raw.lowercased().unicodeScalars {
            let allowed = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-"
            if allowed {
                name.unicodeScalars.append(scalar)
            } else if name.last != "-" {
                name.append("-")
            }
        }
        name = String(name.drop { $0 == "-" || $0 == "_" })
        if name.isEmpty { name = "gantry" }
        return name.truncated(to: maximumLength, distinguishing: raw, trimming: ["-", "_"])
    }
}
