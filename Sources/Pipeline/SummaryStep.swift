import Basics
import Foundation
import GitHubActions
import Reports

/// `gantry summary`: renders one consolidated report of everything recorded in the run.
package struct SummaryStep {
    /// Where the records are.
    package var stateDirectory: StateDirectory
    /// `--summary-file`: where to write the markdown, besides `$GITHUB_STEP_SUMMARY`.
    package var summaryFile: String?
    /// The Actions context; nil outside Actions.
    package var context: ActionsContext?

    /// Creates the step.
    package init(stateDirectory: StateDirectory, summaryFile: String?, context: ActionsContext?) {
        self.stateDirectory = stateDirectory
        self.summaryFile = summaryFile
        self.context = context
    }

    /// Writes the markdown report to the step summary (and `--summary-file`), and prints the text
    /// report outside Actions, the headline under it. Always exits 0, a file it cannot write included
    /// (it says so): it reports failures, it does not repeat them, so it can run last under `if: always()`.
    package func run() throws(GantryError) -> StepOutcome {
        let (records, problems) = stateDirectory.load()
        // A state directory shared across runs (a self-hosted runner, --state-dir, .gantry/ locally)
        // holds other runs too.
        let run = context?.runKey ?? stateDirectory.localRun?.id
        let report = SummaryReport(records: run.map { run in records.filter { $0.run == run } } ?? records)
        if context == nil { stateDirectory.markLocalRunSummarized() }
        var outcome = StepOutcome()
        outcome.standardError = problems.map { "gantry: \($0)" }
        for path in [context?.summaryFile, summaryFile].compactMap({ $0 }) {
            // GitHub drops a step summary over 1 MiB whole, counting what other tools wrote before.
            let existing = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            let markdown = report.markdown(byteLimit: max(0, 1_048_576 - existing - 1))
            do {
                try append(markdown + "\n", toFile: path, what: "the summary file")
            } catch {
                outcome.standardError += error.lines.map { "gantry: \($0)" }
            }
        }
        let text = context == nil ? report.text() : report.headline
        outcome.print(report: text, context: context)
        return outcome
    }
}
