import Config
import Foundation
import GantryKit
import GitHubActions
import TestSupport

/// A small monorepo on disk with a fixed gantry.yml: api (ignores Markdown, depends on the group
/// `common`), web (depends on api), worker (independent).
final class Monorepo: @unchecked Sendable {
    static let configuration = """
        version: 1
        registry: ghcr.io/acme
        global: [".github/workflows/**", "gantry.yml"]
        groups:
          common: ["libs/common/**"]
        services:
          api:
            paths: ["services/api/**"]
            ignore: ["**/*.md"]
            depends_on: [common]
          web:
            paths: ["services/web/**"]
            depends_on: [api]
          worker:
            paths: ["services/worker/**"]

        """

    let fixture: GitFixture
    /// The first commit, with every service's files.
    let initial: String
    var path: String { fixture.path }

    init() throws {
        fixture = try GitFixture()
        initial = try fixture.commit(
            files: [
                "gantry.yml": Self.configuration,
                "services/api/app.py": "api\n",
                "services/api/README.md": "docs\n",
                "services/web/index.js": "web\n",
                "services/worker/main.go": "worker\n",
                "libs/common/util.py": "util\n",
                ".github/workflows/ci.yml": "on: push\n",
            ], message: "initial")
    }

    /// Runs change detection as `gantry changes` would, in `directory` (default: this repository).
    func detect(_ options: ChangeOptions = ChangeOptions(), context: ActionsContext? = nil, in directory: String? = nil) async throws
        -> ChangeSet
    {
        let root = directory ?? path
        let configuration = try Configuration.load(from: root + "/gantry.yml", as: "gantry.yml")
        return try await ChangeDetector(repositoryPath: root, context: context).detect(options, configuration: configuration)
    }

    /// Detection under a simulated Actions event.
    func detect(
        event: String, payload: [String: Any], sha: String? = nil, ref: String? = nil, in directory: String? = nil,
        options: ChangeOptions = ChangeOptions()
    ) async throws -> ChangeSet {
        let actions = try ActionsEnvironment(eventName: event, payload: payload, workspace: directory ?? path, sha: sha, ref: ref)
        return try await detect(options, context: ActionsContext.current(environment: actions.variables), in: directory)
    }

    /// A shallow clone (`git clone --depth 1` of every branch, as actions/checkout makes with depth 1).
    func shallowClone(branch: String = "main", singleBranch: Bool = false) throws -> GitFixture {
        let directory = try TemporaryDirectory(prefix: "gantry-clone")
        try runCommand("git", ["-C", path, "config", "uploadpack.allowReachableSHA1InWant", "true"], environment: GitFixture.environment)
        var arguments = ["clone", "-q", "--depth", "1", "--branch", branch, "file://\(path)", directory.path + "/repo"]
        if !singleBranch { arguments.insert("--no-single-branch", at: 1) }
        let result = try runCommand("git", arguments, environment: GitFixture.environment)
        guard result.status == 0 else { throw TestFailure(result.standardError) }
        return GitFixture(existing: directory, subdirectory: "repo")
    }
}

extension ChangeSet {
    /// The reasons of one service, as `kind: detail` strings.
    func reasons(of name: String) -> [String] {
        services.first { $0.service.name == name }?.reasons.map { "\($0.kind.rawValue): \($0.detail)" } ?? []
    }
}

let zeros = String(repeating: "0", count: 40)
