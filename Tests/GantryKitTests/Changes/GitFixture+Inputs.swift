import Config
import GantryKit
import Git
import TestSupport

/// What the Dockerfile-input tests ask of a repository, with `gantry.yml` read from the working tree
/// as the commands read it.
extension GitFixture {
    /// The change set from `base` to `head`.
    func changes(from base: String, to head: String) async throws -> ChangeSet {
        let configuration = try Configuration.load(from: path + "/gantry.yml", as: "gantry.yml")
        return try await ChangeDetector(repositoryPath: path, context: nil).detect(
            ChangeOptions(base: base, head: head), configuration: configuration)
    }

    /// The configuration and a hasher of its services' inputs at `commit`.
    func inputHash(at commit: String) throws -> (configuration: Configuration, hasher: InputHash) {
        let configuration = try Configuration.load(from: path + "/gantry.yml", as: "gantry.yml")
        let hasher = InputHash(
            configuration: configuration, repository: try Repository(discoveringFrom: path), commit: ObjectID(hex: commit)!)
        return (configuration, hasher)
    }

    /// Every service's `type=tree` hash at `commit`, by name.
    func treeHashes(at commit: String) throws -> [String: String] {
        var (configuration, hasher) = try inputHash(at: commit)
        var result: [String: String] = [:]
        for service in configuration.services { result[service.name] = try hasher.hash(of: service).hex }
        return result
    }
}
