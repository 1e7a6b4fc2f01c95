import Basics
import Foundation
import GantryKit
import GitHubActions

/// The one way a command reports: it records its outcome in the state directory, writes its SARIF
/// file, and under Actions prints annotations and writes step outputs.
package struct Reporter {
    /// Where the outcome is recorded.
    package var stateDirectory: StateDirectory
    /// `--sarif PATH`, when given.
    package var sarifPath: String?
    /// The Actions context; nil outside Actions (then no annotations or outputs).
    package var context: ActionsContext?
    /// The configuration file's name, where findings without a place of their own are shown.
    package var configurationName: String
    /// The repository's root, whose head commit groups the records of a local run.
    package var repositoryRoot: String

    /// Creates a reporter.
    package init(
        stateDirectory: StateDirectory, sarifPath: String?, context: ActionsContext?, configurationName: String, repositoryRoot: String
    ) {
        self.stateDirectory = stateDirectory
        self.sarifPath = sarifPath
        self.context = context
        self.configurationName = configurationName
        self.repositoryRoot = repositoryRoot
    }

    /// The SARIF category of a command: one run per command, so uploads of several commands coexist.
    static func category(of command: String) -> String { "gantry/\(command)/" }

    /// Records what a command did and reports its findings.
    ///
    /// - Parameters:
    ///   - record: The outcome.
    ///   - findings: Problems to annotate and to put in the SARIF file, most important first.
    ///   - outputs: Step outputs, written only under Actions.
    ///   - variables: Environment variables for later steps (`$GITHUB_ENV`), written only under Actions.
    /// - Returns: The lines to print to standard output (annotations), in order.
    package func finish(
        _ record: Record, findings: [Finding] = [], outputs: [(name: String, value: String)] = [],
        variables: [(name: String, value: String)] = []
    ) throws(GantryError) -> [String] {
        // The record comes last, so that it tells how the step really ended: a SARIF file or an
        // output that cannot be written fails the step, and the record says so.
        var record = record
        record.run = context?.runKey ?? stateDirectory.localRunID(for: record.command, head: LocalRun.head(of: repositoryRoot))
        do {
            let commands = try report(record, findings: findings, outputs: outputs, variables: variables)
            try stateDirectory.save(record)
            return commands
        } catch {
            var failed = record
            failed.exitCode = error.exitCode
            failed.error = failed.error ?? "\(error)"
            try? stateDirectory.save(failed)
            throw error
        }
    }

    private func report(
        _ record: Record, findings: [Finding], outputs: [(name: String, value: String)], variables: [(name: String, value: String)]
    ) throws(GantryError) -> [String] {
        if let sarifPath {
            let json = SARIFBuilder(category: Self.category(of: record.command), toolVersion: gantryVersion, defaultFile: configurationName)
                .json(for: findings)
            do {
                try Data(json.utf8).write(to: URL(fileURLWithPath: sarifPath))
            } catch {
                throw .io(action: "write the SARIF file \(sarifPath)", reason: error.localizedDescription)
            }
        }
        guard let context else { return [] }
        if let outputFile = context.outputFile, !outputs.isEmpty {
            try FileCommandWriter(path: outputFile).write(outputs)
        }
        if let environmentFile = context.environmentFile, !variables.isEmpty {
            try FileCommandWriter(path: environmentFile).write(variables)
        }
        let annotations = findings.map { Annotation(.error, $0.message, title: $0.rule.shortDescription, location: $0.location) }
        return WorkflowCommands.commands(for: annotations, where: "see the step summary (gantry summary) or the SARIF file")
    }
}
