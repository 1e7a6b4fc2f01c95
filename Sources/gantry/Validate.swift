import ArgumentParser
import Foundation
import GantryKit

/// `gantry validate`
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check gantry.yml and report every problem as file:line:col: message.",
        discussion: """
            Exits 0 when the configuration is valid and 2 when it is not.

            Examples:
              gantry validate
              gantry validate --config ci/gantry.yml
            """
    )

    @OptionGroup var workspaceOptions: WorkspaceOptions

    func run() throws {
        let workspace = workspaceOptions.workspace(context: nil)
        do {
            let configuration = try workspace.loadConfiguration()
            let report = ValidationReport(file: configuration.file, configuration: configuration, diagnostics: [])
            print(workspaceOptions.format == .json ? report.json() : report.text())
        } catch .invalidConfiguration(let diagnostics) {
            let report = ValidationReport(file: workspace.configurationName, configuration: nil, diagnostics: diagnostics)
            if workspaceOptions.format == .json { print(report.json()) }
            FileHandle.standardError.write(Data((report.text() + "\n").utf8))
            throw ExitCode(2)
        }
    }
}
