import Foundation
import TestSupport
import Testing

/// Mutated configurations, tags and event payloads through the real binary, each run under a time
/// and memory limit: any crash, hang, runaway allocation, or configuration error without its
/// `file:line:col`, fails. The seed is fixed so a failure replays; `GANTRY_FUZZ_SEED` varies it.
/// Failing inputs are kept under `$TMPDIR/gantry-fuzz-failures`.
@Suite("Fuzzing the binary")
struct FuzzingTests {
    static let seed = ProcessInfo.processInfo.environment["GANTRY_FUZZ_SEED"].flatMap { UInt64($0) } ?? 12
    /// Runs per batch; the batches run side by side.
    static let configurationRuns = 180
    static let payloadRuns = 50
    static let sarifRuns = 120

    @Test("mutated configurations: validate, then changes and tags when valid", arguments: 0..<2)
    func configurations(batch: Int) throws {
        print("Fuzzing configurations, batch \(batch), with GANTRY_FUZZ_SEED=\(Self.seed)")
        var mutations = Mutations(generator: SplitMix(state: Self.seed &+ UInt64(batch) &* 0x1000))
        let fixture = try GitFixture()
        let base = try fixture.commit(files: ["gantry.yml": Mutations.configuration, "services/api/a.py": "1", "libs/common/c.py": "1"])
        try fixture.write("services/api/a.py", "2")
        for run in 0..<Self.configurationRuns {
            let (text, mutation) = mutations.configuration()
            try Data(text.utf8).write(to: URL(fileURLWithPath: fixture.path + "/gantry.yml"))
            let input = Input(batch: batch, run: run, mutation: mutation, text: text)
            let validation = try runGantryBounded(["validate"], in: fixture.path)
            check(validation, of: input, command: "validate")
            guard validation.status == 0 else { continue }
            check(try runGantryBounded(["changes", "--base", base, "--working-tree"], in: fixture.path), of: input, command: "changes")
            let tags = ["tags", "--all", "--ref", "refs/tags/" + mutations.tag()]
            check(try runGantryBounded(tags, in: fixture.path), of: input, command: tags.joined(separator: " "))
        }
    }

    @Test("mutated event payloads: changes and tags under GitHub Actions", arguments: 0..<2)
    func payloads(batch: Int) throws {
        print("Fuzzing payloads, batch \(batch), with GANTRY_FUZZ_SEED=\(Self.seed)")
        var mutations = Mutations(generator: SplitMix(state: Self.seed &+ UInt64(batch) &* 0x1000 &+ 0x100))
        let fixture = try GitFixture()
        try fixture.commit(files: ["gantry.yml": Mutations.configuration, "services/api/a.py": "1"])
        let directory = try TemporaryDirectory()
        for run in 0..<Self.payloadRuns {
            let (data, mutation) = mutations.payload()
            let path = directory.url("event.json")
            try data.write(to: URL(fileURLWithPath: path))
            let event = mutations.pick(["push", "pull_request", "merge_group", "schedule"])
            let variables = [
                "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": event, "GITHUB_EVENT_PATH": path, "GITHUB_WORKSPACE": fixture.path,
                "GITHUB_REF": "refs/heads/main", "GITHUB_SHA": try fixture.git("rev-parse", "HEAD"),
                "GITHUB_OUTPUT": directory.url("output"), "RUNNER_TEMP": directory.path,
            ]
            let input = Input(batch: batch, run: run, mutation: "\(event): \(mutation)", text: String(decoding: data, as: UTF8.self))
            for command in [["changes"], ["tags", "--all"]] {
                check(
                    try runGantryBounded(command, in: fixture.path, variables: variables), of: input,
                    command: command.joined(separator: " "))
            }
        }
    }

    @Test("mutated SARIF files: findings reads them or names the file, never a crash or a hang")
    func sarifFiles() throws {
        print("Fuzzing SARIF files with GANTRY_FUZZ_SEED=\(Self.seed)")
        var mutations = Mutations(generator: SplitMix(state: Self.seed &+ 0x5A21F))
        let fixture = try GitFixture()
        try fixture.commit(files: ["gantry.yml": Mutations.configuration])
        for run in 0..<Self.sarifRuns {
            let (data, mutation) = mutations.sarif()
            try data.write(to: URL(fileURLWithPath: fixture.path + "/scan.sarif"))
            let input = Input(batch: 0, run: run, mutation: mutation, text: String(decoding: data, as: UTF8.self))
            let result = try runGantryBounded(["findings", "scan.sarif", "--fail-on", "high"], in: fixture.path)
            check(result, of: input, command: "findings")
            if result.status == 2 && !result.standardError.contains("scan.sarif") {
                Issue.record("gantry findings refused a file without naming it: \(result.standardError); \(input.saved())")
            }
            // A value replaced leaves valid JSON: whatever is wrong with it has a JSON path.
            if mutation.contains(" set to a ") && result.standardError.contains("not JSON")
                && !result.standardError.contains("beyond the range of a double")
            {
                Issue.record("gantry findings called valid JSON not JSON: \(result.standardError); \(input.saved())")
            }
        }
    }

    /// One generated input, named so that a failure can be found again.
    struct Input {
        var batch: Int
        var run: Int
        var mutation: String
        var text: String

        /// Keeps the input for replay and says where it is.
        func saved() -> String {
            let directory = NSTemporaryDirectory() + "gantry-fuzz-failures"
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let path = "\(directory)/seed-\(FuzzingTests.seed)-batch-\(batch)-run-\(run)"
            try? Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return "GANTRY_FUZZ_SEED=\(FuzzingTests.seed), batch \(batch), run \(run) (\(mutation)); input kept at \(path)"
        }
    }

    /// Fails on a crash, a hang, an unexpected exit code, or a configuration error without its place.
    func check(_ result: CommandResult, of input: Input, command: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if let abnormal = result.abnormalEnd {
            Issue.record(
                "gantry \(command): \(abnormal); \(input.saved())\n\(result.standardError.suffix(1500))", sourceLocation: sourceLocation)
            return
        }
        guard [0, 1, 2].contains(result.status) else {
            Issue.record("gantry \(command) exited \(result.status); \(input.saved())", sourceLocation: sourceLocation)
            return
        }
        guard command == "validate", result.status == 2 else { return }
        // Every line is `gantry.yml:LINE:COL: message`, then the count: `gantry.yml: N problems`.
        let lines = result.standardError.split(separator: "\n")
        let unlocated = lines.filter { line in
            line.wholeMatch(of: /gantry\.yml:\d+:\d+: .+/) == nil && line.wholeMatch(of: /gantry\.yml: \d+ problems?/) == nil
        }
        if lines.isEmpty || !unlocated.isEmpty {
            Issue.record(
                "gantry validate gave a configuration error without file:line:col: \(unlocated.first ?? "no message"); \(input.saved())",
                sourceLocation: sourceLocation)
        }
    }
}
