import Foundation
import TestSupport
import Testing
import Yams

/// The repository's action.yml, read as the runner reads it, with a small runner of its own: each
/// composite step's `run:` script is run the way GitHub's runner runs a `shell: bash` step
/// (`bash --noprofile --norc -eo pipefail FILE`), with its `env:` expressions evaluated from the
/// inputs the test gives.
struct CompositeAction {
    /// The root of this checkout, where action.yml is.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// action.yml as a dictionary.
    let metadata: [String: Any]

    init() throws {
        let text = try String(contentsOfFile: Self.root + "/action.yml", encoding: .utf8)
        metadata = try #require(try Yams.load(yaml: text) as? [String: Any])
    }

    var inputs: [String: [String: Any]] { (metadata["inputs"] as? [String: [String: Any]]) ?? [:] }
    var outputs: [String: [String: Any]] { (metadata["outputs"] as? [String: [String: Any]]) ?? [:] }
    var steps: [[String: Any]] { ((metadata["runs"] as? [String: Any])?["steps"] as? [[String: Any]]) ?? [] }

    /// The step with `id`.
    func step(_ id: String) throws -> [String: Any] {
        try #require(steps.first { $0["id"] as? String == id }, "action.yml has no step \(id)")
    }

    /// Each input's default, overridden by `given`.
    func inputValues(_ given: [String: String]) -> [String: String] {
        var values = inputs.mapValues { "\($0["default"] ?? "")" }
        values.merge(given) { _, new in new }
        return values
    }

    /// The value of an expression the action uses in `env:`: `${{ inputs.NAME }}`,
    /// `${{ steps.ID.outputs.NAME }}` or `${{ github.NAME }}`.
    static func evaluate(_ text: String, inputs: [String: String], context: [String: String]) throws -> String {
        guard let match = text.firstMatch(of: /^\$\{\{ *([a-z_.-]+) *\}\}$/) else {
            if text.contains("${{") { throw TestFailure("an expression the test runner does not know: \(text)") }
            return text
        }
        let path = String(match.1)
        if path.hasPrefix("inputs.") { return inputs[String(path.dropFirst("inputs.".count))] ?? "" }
        return try #require(context[path], "no value for \(path) in the test's context")
    }

    /// Runs step `id` as the runner runs it, started and left running.
    ///
    /// - Parameters:
    ///   - given: The action's inputs (defaults for the rest).
    ///   - context: Values of the other expressions (`steps.install.outputs.path`, `github.server_url`).
    ///   - variables: The runner's environment for the step (GITHUB_OUTPUT, …).
    func start(
        step id: String, inputs given: [String: String], context: [String: String] = [:], variables: [String: String],
        in directory: String, scripts: TemporaryDirectory, actionPath: String = root
    ) throws -> SpawnedProcess {
        let step = try step(id)
        let inputs = inputValues(given)
        var environment = variables
        environment["GITHUB_ACTION_PATH"] = actionPath
        for (name, value) in (step["env"] as? [String: Any]) ?? [:] {
            environment[name] = try Self.evaluate("\(value)", inputs: inputs, context: context)
        }
        let script = scripts.url("step-\(id).sh")
        try Data("\(try #require(step["run"] as? String))\n".utf8).write(to: URL(fileURLWithPath: script))
        var workingDirectory = directory
        if let relative = step["working-directory"] as? String {
            let evaluated = try Self.evaluate(relative, inputs: inputs, context: context)
            workingDirectory = evaluated.hasPrefix("/") ? evaluated : directory + "/" + evaluated
        }
        return try SpawnedProcess(
            "/bin/bash", ["--noprofile", "--norc", "-eo", "pipefail", script], in: workingDirectory, environment: environment)
    }

    /// Runs step `id` to its end (at most `timeout`).
    func run(
        step id: String, inputs given: [String: String], context: [String: String] = [:], variables: [String: String],
        in directory: String, scripts: TemporaryDirectory, timeout: Duration = .seconds(120)
    ) async throws -> CommandResult {
        let process = try start(step: id, inputs: given, context: context, variables: variables, in: directory, scripts: scripts)
        defer { process.stop() }
        let status = try #require(await process.wait(timeout: timeout), "step \(id) did not finish within \(timeout)")
        return CommandResult(status: status, standardOutput: process.standardOutput, standardError: process.standardError)
    }
}
