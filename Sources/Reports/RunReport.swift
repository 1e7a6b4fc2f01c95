import Basics
import Foundation

/// `gantry run`'s own text: each phase and its duration, then what each stage found.
package struct RunReport {
    package var record: Record
    package var note: String?

    /// Creates the report of a run's record, with a note that closes it.
    package init(record: Record, note: String?) {
        self.record = record
        self.note = note
    }

    /// The `--format json` document: the run's record (its phases, changes, environment and gates).
    package func json() -> String { JSON.encode(record, pretty: true) }

    /// The outputs of `changes`, the environment and `gate`, with `json` the run's own document.
    package func stepOutputs() -> [(name: String, value: String)] {
        var outputs = record.changes.map { ChangesReport($0).stepOutputs() } ?? []
        if let environment = record.environment { outputs += EnvironmentReport(environment).stepOutputs() }
        if let gates = record.gates {
            outputs += GatesReport(gates).stepOutputs()
        } else if record.exitCode != ExitStatus.success {
            // The gates never ran because the environment did not come up (or the run was
            // cancelled): a workflow's `passed == 'true'` must not find an empty value to doubt.
            outputs.append(("passed", "false"))
        }
        return outputs.filter { $0.name != "json" } + [("json", JSON.encode(record))]
    }

    package func text() -> String {
        var sections: [String] = []
        if let phases = record.phases {
            sections.append(
                phases.map { phase in
                    "\(phase.name.padding(toLength: 8, withPad: " ", startingAt: 0)) \(String(format: "%6.2f s", phase.seconds))  \(phase.outcome)"
                }.joined(separator: "\n"))
        }
        if let changes = record.changes { sections.append(ChangesReport(changes).text()) }
        if let environment = record.environment { sections.append(EnvironmentReport(environment).text()) }
        if let gates = record.gates { sections.append(GatesReport(gates).text()) }
        if let test = record.test { sections.append(SummaryReport.describe(test).joined(separator: "\n")) }
        if let note, record.environment?.note != note { sections.append(note) }
        // Each report escapes its own lines already; only the note and phases are new here.
        return sections.map { section in
            section.split(separator: "\n", omittingEmptySubsequences: false).map { UntrustedText.escapingControlCharacters(String($0)) }
                .joined(separator: "\n")
        }.joined(separator: "\n\n")
    }
}
