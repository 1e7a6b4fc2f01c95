import Basics
import Config
import Foundation
import Git
import GitHubActions

/// Where gantry works: the repository's root and its configuration file.
package struct Workspace: Sendable {
    /// The repository's working tree, or the current directory when there is no repository.
    package var root: String
    /// The configuration file's path, for reading.
    package var configurationPath: String
    /// The configuration file's name in messages and annotations: relative to the root when inside it.
    package var configurationName: String

    /// Finds the repository around `repository` (default: the Actions workspace, else the current
    /// directory) and its configuration (default: `gantry.yml` at the repository's root).
    package static func locate(repository: String?, configuration: String?, context: ActionsContext?) -> Workspace {
        let current = FileManager.default.currentDirectoryPath
        let start = absolute(repository ?? context?.workspace ?? current, from: current)
        let root = Repository.workingDirectory(around: start) ?? start
        guard let configuration else {
            return Workspace(root: root, configurationPath: root + "/gantry.yml", configurationName: "gantry.yml")
        }
        let path = absolute(configuration, from: current)
        let name = path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : configuration
        return Workspace(root: root, configurationPath: path, configurationName: name)
    }

    /// Reads and validates the configuration.
    package func loadConfiguration() throws(GantryError) -> Configuration {
        try Configuration.load(from: configurationPath, as: configurationName)
    }

    private static func absolute(_ path: String, from directory: String) -> String {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : URL(fileURLWithPath: directory).appendingPathComponent(path)
        return url.standardizedFileURL.resolvingSymlinksInPath().path
    }
}
