import Basics
import Config

/// What `gantry explain` prints: each instruction of the Dockerfile that reads something, with the
/// context files it brings in (the first few, and counts), what the ignore file removed, what comes
/// from outside the repository, and each fallback with its reason.
package struct InputsExplanation: Encodable, Sendable {
    /// One instruction.
    package struct Line: Encodable, Sendable {
        var line: Int
        var instruction: String
        var filesRead: Int
        var files: [String]
        var ignoredCount: Int
        var ignored: [String]
        var outside: [String]
        var fallback: String?
        var notBuilt: String?

        enum CodingKeys: String, CodingKey {
            case line, instruction, files, ignored, outside, fallback
            case filesRead = "files_read", ignoredCount = "ignored_count", notBuilt = "stage_not_built"
        }
    }

    var service: String
    var commit: String
    var dockerfile: String
    var context: String
    var ignoreFile: String?
    /// `target:` as configured; nil builds the last stage.
    var target: String?
    /// The stage built, named or by index; nil when the Dockerfile has none (or is read whole).
    var builtStage: String?
    var derived: Bool
    var inputs: Int
    var lines: [Line]
    var warnings: [String]

    enum CodingKeys: String, CodingKey {
        case service, commit, dockerfile, context, target, derived, inputs, lines, warnings
        case ignoreFile = "ignore_file", builtStage = "built_stage"
    }

    /// How many files of a list are shown; the count says how many there are.
    static let shown = 5

    /// Builds the explanation from a service's inputs at a commit.
    package init(service: Service, commit: String, inputs: DockerfileInputs) {
        self.service = service.name
        self.commit = commit
        dockerfile = service.dockerfile
        context = service.context
        ignoreFile = inputs.ignoreFile
        target = service.target
        builtStage = inputs.plan?.builtStage
        derived = service.inputsFromDockerfile
        self.inputs = inputs.readers.count
        let prefix = inputs.contextPrefix
        lines = zip(inputs.plan?.steps ?? [], inputs.selection?.steps ?? []).map { step, files in
            Line(
                line: step.line, instruction: step.instruction, filesRead: files.read.count,
                files: files.read.prefix(Self.shown).map { prefix + $0 }, ignoredCount: files.ignored.count,
                ignored: files.ignored.prefix(Self.shown).map {
                    "\(prefix + $0.path) (\(inputs.ignoreFile ?? ".dockerignore"):\($0.line))"
                },
                outside: step.outside, fallback: step.fallback, notBuilt: step.unbuiltStage)
        }
        warnings =
            (inputs.plan?.warnings.map { "\(service.dockerfile):\($0.line): \($0.message)" } ?? [])
            + inputs.ignoreWarnings.map { "\(inputs.ignoreFile ?? ""):\($0.line): \($0.message)" }
        if inputs.plan == nil { warnings.append("\(service.dockerfile) does not exist at \(commit.prefix(7))") }
    }

    /// The text for people; names from the repository are escaped.
    package func text() -> String {
        var text = [
            "\(service)  \(dockerfile) at \(commit.prefix(7)), context \(context)"
                + (ignoreFile.map { ", ignore file \($0)" } ?? ", no ignore file") + (builds.map { "; \($0)" } ?? ""),
            derived
                ? "\(counted(inputs, "input")) (the files read, the Dockerfile and the ignore file)"
                : "not derived: the service has no `inputs: dockerfile`, so changes and type=tree use its paths and whole context",
            "",
        ]
        for line in lines {
            text.append("\(line.line)  \(line.instruction)")
            if let stage = line.notBuilt {
                text.append(
                    "     reads nothing: the stage \(stage) is not needed by \(target.map { "the target stage \($0)" } ?? "the last stage")"
                )
                continue
            }
            if let fallback = line.fallback { text.append("     whole context: \(fallback)") }
            if line.filesRead > 0 { text.append("     reads \(Self.sample(line.files, total: line.filesRead))") }
            if line.ignoredCount > 0 { text.append("     ignored \(Self.sample(line.ignored, total: line.ignoredCount))") }
            for outside in line.outside { text.append("     outside the repository: \(outside)") }
        }
        for warning in warnings { text.append("warning: \(warning)") }
        return text.map(UntrustedText.escapingControlCharacters).joined(separator: "\n")
    }

    /// Which stage the build builds, and why that one; nil when no stage is known.
    private var builds: String? {
        guard let builtStage else { return nil }
        if let target { return "builds the stage \(builtStage) (target: \(target))" }
        return "builds the last stage, \(builtStage)"
    }

    private static func sample(_ files: [String], total: Int) -> String {
        let list = files.joined(separator: ", ")
        return total > files.count ? "\(counted(total, "file")): \(list), … (+\(total - files.count))" : list
    }
}
