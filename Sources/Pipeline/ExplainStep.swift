import Basics
import Config
import GantryKit
import Git

/// `gantry explain SERVICE`: the inputs `inputs: dockerfile` derives, line by line, at a commit.
package struct ExplainStep {
    /// Where the repository and its configuration are.
    package var workspace: Workspace
    /// The service to explain.
    package var service: String
    /// The revision whose tree is read.
    package var revision: String
    /// Whether to print JSON.
    package var json: Bool

    /// Creates the step.
    package init(workspace: Workspace, service: String, revision: String, json: Bool) {
        self.workspace = workspace
        self.service = service
        self.revision = revision
        self.json = json
    }

    /// Reads the service's Dockerfile at the revision and prints what it reads.
    package func run() throws(GantryError) -> StepOutcome {
        let configuration = try workspace.loadConfiguration()
        guard let service = configuration.service(named: service) else {
            let names = configuration.services.map(\.name).joined(separator: ", ")
            throw .usage("no service `\(self.service)` in \(workspace.configurationName); its services are \(names)")
        }
        let repository: Repository
        let commit: ObjectID
        do {
            repository = try Repository(discoveringFrom: workspace.root)
            commit = try repository.resolveCommit(revision)
        } catch {
            throw .repository("cannot read the commit \(revision): \(error.message)")
        }
        let inputs = try DockerfileInputs(service: service, repository: repository, commit: commit)
        let explanation = InputsExplanation(service: service, commit: commit.hex, inputs: inputs)
        var outcome = StepOutcome()
        outcome.standardOutput.append(json ? JSON.encode(explanation, pretty: true) : explanation.text())
        return outcome
    }
}
