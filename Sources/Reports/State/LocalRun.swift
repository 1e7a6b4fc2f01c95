import Basics
import Foundation
import Git

/// Outside Actions there is no run id, and `.gantry/` keeps every earlier run's records. A local run
/// is what happens from a command that starts one (`changes`, `run`, `env up`) run after the last
/// `summary`, or after the head commit changed, until the next such command; its id tags its
/// records, and `summary` shows that run's only.
package struct LocalRun: Codable, Equatable {
    /// The commands that start a new run once the previous one was summarized.
    static let startingCommands: Set<String> = ["changes", "run", "env up"]

    /// The run's id: when it started, so that ids sort and never repeat.
    package var id: String
    /// The head commit it started on.
    var head: String?
    /// Whether `summary` has shown it.
    var isSummarized: Bool

    enum CodingKeys: String, CodingKey {
        case id, head, isSummarized = "summarized"
    }

    /// The head commit of the repository at `root`, if it has one.
    static func head(of root: String) -> String? {
        Repository.headCommit(around: root)?.hex
    }
}

extension StateDirectory {
    private var localRunPath: String { path + "/local-run.json" }

    /// The local run as recorded, if any run was.
    package var localRun: LocalRun? {
        FileManager.default.contents(atPath: localRunPath).flatMap { JSON.decode(LocalRun.self, from: $0) }
    }

    /// The id of the local run a record of `command` belongs to, at `head`: the current one, or a
    /// new one when the command starts a run after a summary, or the head moved.
    func localRunID(for command: String, head: String?) -> String {
        if let current = localRun, current.head == head, !(current.isSummarized && LocalRun.startingCommands.contains(command)) {
            return current.id
        }
        let run = LocalRun(id: "local-" + String(format: "%.6f", Date().timeIntervalSince1970), head: head, isSummarized: false)
        _ = try? saveFile(named: "local-run.json", contents: JSON.encode(run))
        return run.id
    }

    /// Notes that `summary` showed the current local run, so that the next starting command begins another.
    package func markLocalRunSummarized() {
        guard var run = localRun, !run.isSummarized else { return }
        run.isSummarized = true
        _ = try? saveFile(named: "local-run.json", contents: JSON.encode(run))
    }
}
