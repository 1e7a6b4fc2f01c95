import Basics
import Foundation
import PathPattern
import Yams

extension Configuration {
    /// The keys a configuration file may have at its top level.
    static let topLevelKeys = [
        "version", "registry", "global", "groups", "services", "tags", "flavor", "labels", "gates", "environment", "findings",
    ]
    /// The keys a service may have.
    static let serviceKeys = [
        "paths", "ignore", "depends_on", "image", "context", "dockerfile", "tags", "health", "smoke", "latency", "run", "port", "env",
        "working_directory", "scheme", "base_path", "tls", "inputs", "build_args", "target",
    ]

    /// Reads and validates a configuration file.
    ///
    /// - Parameters:
    ///   - path: The file to read.
    ///   - name: What diagnostics call the file, such as `gantry.yml`; the path by default.
    /// - Throws: `GantryError.invalidConfiguration` with every problem found, each located.
    package static func load(from path: String, as name: String? = nil) throws(GantryError) -> Configuration {
        let start = SourceLocation(file: name ?? path, line: 1, column: 1)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .invalidConfiguration([
                Diagnostic(
                    "no configuration file here; create gantry.yml at the repository root (see the README's "
                        + "Configuration section) or name one with --config PATH", at: start, kind: .missingFile)
            ])
        }
        // One byte past the limit is enough to refuse the file: a larger one is never read whole.
        guard !isDirectory.boolValue, let file = FileHandle(forReadingAtPath: path),
            let data = try? file.read(upToCount: ConfigurationLimits.fileSize + 1) ?? Data()
        else {
            throw .invalidConfiguration([Diagnostic("cannot read this file; expected a readable YAML file", at: start, kind: .missingFile)])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .invalidConfiguration([Diagnostic("the file is not valid UTF-8 text; expected YAML", at: start, kind: .invalidYAML)])
        }
        return try Configuration(parsing: text, file: name ?? path)
    }

    /// Parses and validates configuration text.
    ///
    /// - Parameter file: The name diagnostics give the text.
    package init(parsing text: String, file: String) throws(GantryError) {
        guard text.utf8.count <= ConfigurationLimits.fileSize else {
            throw .invalidConfiguration([
                Diagnostic(
                    "the file is larger than \(ConfigurationLimits.fileSize / 1024) KiB; expected a configuration below that size",
                    at: SourceLocation(file: file, line: 1, column: 1), kind: .invalidYAML)
            ])
        }
        if let problem = YAMLShape.problem(in: text, file: file) { throw .invalidConfiguration([problem]) }
        let node: Node?
        do {
            // The reader reads every scalar from its text, so the regular expressions of Yams's default
            // resolver, run on every key to find duplicates, would only cost time.
            node = try Yams.compose(yaml: text, .basic)
        } catch {
            throw .invalidConfiguration([Self.diagnostic(for: error, in: text, file: file)])
        }
        guard let node else {
            throw .invalidConfiguration([
                Diagnostic(
                    "the file is empty; expected a mapping with `version: 1` and `services:`",
                    at: SourceLocation(file: file, line: 1, column: 1), kind: .invalidYAML)
            ])
        }
        var reader = YAMLReader(file: file, text: text)
        let configuration = Self.read(node, with: &reader)
        var diagnostics = reader.diagnostics
        if let configuration { diagnostics += configuration.crossReferenceDiagnostics() }
        guard let configuration, diagnostics.isEmpty else {
            throw .invalidConfiguration(
                diagnostics.sorted { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) })
        }
        self = configuration
    }

    private static func read(_ root: Node, with reader: inout YAMLReader) -> Configuration? {
        guard let entries = reader.mapping(root, "the top level", expected: "a mapping with `version` and `services`") else {
            return nil
        }
        reader.rejectUnknownKeys(entries, known: topLevelKeys, in: "the top level")
        let value = { (key: String) in entries.first { $0.key == key } }

        var version = 1
        if let entry = value("version") {
            if let number = reader.integer(entry.value, "version") {
                if number != 1 {
                    reader.report("`version` must be 1, the only version there is; got \(number)", at: entry.value, kind: .invalidValue)
                }
                version = number
            }
        } else {
            reader.report("missing `version: 1` at the top level", at: root, kind: .invalidValue)
        }

        // Lowercased as docker/metadata-action lowercases images, so `ghcr.io/${{ github.repository }}`'s
        // `Acme/API` is pasted as it is.
        let registry = value("registry").flatMap { reader.string($0.value, "registry") }?.lowercased()
        if let registry, let entry = value("registry"), let problem = ImageName.problem(with: registry) {
            reader.report("`registry` \(problem), like ghcr.io/acme; got \"\(registry)\"", at: entry.value, kind: .invalidValue)
        }
        let global = value("global").map { patterns($0.value, "global", with: &reader) } ?? PathPatternList([])

        var groups: [Group] = []
        if let entry = value("groups"),
            let groupEntries = reader.mapping(entry.value, "groups", expected: "a mapping of group names to lists of paths")
        {
            for group in reader.first(ConfigurationLimits.groups, of: groupEntries, "groups") {
                groups.append(
                    Group(
                        name: group.key, location: reader.location(of: group.keyNode),
                        paths: patterns(group.value, "groups.\(group.key)", with: &reader)))
            }
        }

        let timing = readGateTiming(value("gates")?.value, with: &reader)
        var services: [Service] = []
        if let entry = value("services") {
            if let serviceEntries = reader.mapping(entry.value, "services", expected: "a mapping of service names to their settings") {
                if serviceEntries.isEmpty {
                    reader.report("`services` is empty; define at least one service", at: entry.value, kind: .invalidValue)
                }
                for service in reader.first(ConfigurationLimits.services, of: serviceEntries, "services") {
                    if let parsed = readService(service, registry: registry, timing: timing, with: &reader) { services.append(parsed) }
                }
            }
        } else {
            reader.report(
                "missing `services:` at the top level; define at least one service with its `paths`", at: root, kind: .invalidValue)
        }
        let tags = readTagSettings(value, with: &reader)
        let environment = readEnvironment(value("environment")?.value, with: &reader)
        return Configuration(
            file: reader.file, version: version, registry: registry, global: global, groups: groups, services: services, tags: tags,
            environment: environment, findings: readFindings(value("findings")?.value, with: &reader))
    }

    private static func readService(
        _ entry: YAMLReader.Entry, registry: String?, timing: GateTiming, with reader: inout YAMLReader
    ) -> Service? {
        let name = entry.key
        let field = "services.\(name)"
        guard let entries = reader.mapping(entry.value, field, expected: "a mapping with at least `paths`") else { return nil }
        reader.rejectUnknownKeys(entries, known: serviceKeys, in: "`\(field)`")
        let value = { (key: String) in entries.first { $0.key == key } }

        let context = value("context").flatMap { entry in
            validPath(entry.value, "\(field).context", allowsRoot: true, like: "services/\(name)", with: &reader)
        }
        var paths = value("paths").map { patterns($0.value, "\(field).paths", with: &reader) }
        let buildInputs = readBuildInputs(value, field: field, with: &reader)
        // With `inputs: dockerfile` the context is where the Dockerfile's sources are read, not a path filter.
        if paths == nil, buildInputs.fromDockerfile, context != nil {
            paths = PathPatternList([])
        } else if paths == nil {
            if let context, let derived = try? PathPattern(context == "." ? "**" : "\(context)/**") {
                paths = PathPatternList([derived])
            } else if value("context") == nil {
                reader.report(
                    "service `\(name)` needs `paths` (or a `context` to take them from), such as paths: [\"services/\(name)/**\"]",
                    at: entry.keyNode, kind: .invalidValue)
            }
        }
        let ignore = value("ignore").map { patterns($0.value, "\(field).ignore", with: &reader) } ?? PathPatternList([])
        let dependencies =
            value("depends_on").flatMap { reader.strings($0.value, "\(field).depends_on") }?.map {
                Dependency(name: $0.value, location: reader.location(of: $0.node))
            } ?? []

        let buildContext = context ?? paths.map(\.defaultContext) ?? "."
        let dockerfile =
            value("dockerfile").flatMap { entry in
                validPath(entry.value, "\(field).dockerfile", allowsRoot: false, like: "services/\(name)/Dockerfile", with: &reader)
            } ?? (buildContext == "." ? "Dockerfile" : "\(buildContext)/Dockerfile")
        var image = registry.map { "\($0)/\(name)" } ?? name
        if let entry = value("image"), let explicit = reader.string(entry.value, "\(field).image")?.lowercased() {
            image = explicit
            if let problem = ImageName.problem(with: explicit) {
                reader.report(
                    "`\(field).image` \(problem), like ghcr.io/acme/\(name); got \"\(explicit)\"", at: entry.value, kind: .invalidValue)
            }
        }
        let tagRules = value("tags").map { entry in
            (rules: readTagRules(entry.value, "\(field).tags", with: &reader), location: reader.location(of: entry.keyNode))
        }
        return Service(
            name: name, location: reader.location(of: entry.keyNode), paths: paths ?? PathPatternList([]), ignore: ignore,
            dependencies: dependencies, image: image, context: buildContext, dockerfile: dockerfile, tagRules: tagRules,
            gates: readGates(value, service: name, timing: timing, with: &reader),
            process: readProcess(value, service: name, context: buildContext, with: &reader),
            inputsFromDockerfile: buildInputs.fromDockerfile, buildArguments: buildInputs.buildArguments,
            target: readBuildTarget(value, field: field, with: &reader))
    }

    /// A string that is a valid repository path, or nil (with a diagnostic).
    private static func validPath(
        _ node: Node, _ field: String, allowsRoot: Bool, like example: String, with reader: inout YAMLReader
    ) -> String? {
        guard let path = reader.string(node, field) else { return nil }
        if let problem = RepositoryPath.problem(with: path, allowsRoot: allowsRoot) {
            reader.report("`\(field)` \(problem), like \(example); got \"\(path)\"", at: node, kind: .invalidValue)
            return nil
        }
        return path
    }

    private static func patterns(_ node: Node, _ field: String, with reader: inout YAMLReader) -> PathPatternList {
        guard let strings = reader.strings(node, field) else { return PathPatternList([]) }
        var patterns: [PathPattern] = []
        for (text, node) in strings {
            guard !reader.isNumberOrBoolean(node) else {
                reader.report(
                    "`\(field)` must be globs such as \"services/api/**\", got \(reader.describe(node)); quote it (\"\(text)\") for a path named so",
                    at: node, kind: .wrongType)
                continue
            }
            if let compiled = reader.compiledPatterns[text] {
                patterns.append(compiled)
                continue
            }
            do {
                let pattern = try PathPattern(text)
                reader.compiledPatterns[text] = pattern
                patterns.append(pattern)
            } catch {
                reader.report("invalid glob \"\(text)\" in `\(field)`: \(error.message)", at: node, kind: .invalidGlob)
            }
        }
        return PathPatternList(patterns)
    }

    private static func diagnostic(for error: any Error, in text: String, file: String) -> Diagnostic {
        let start = SourceLocation(file: file, line: 1, column: 1)
        guard let error = error as? YamlError else { return Diagnostic("invalid YAML: \(error)", at: start, kind: .invalidYAML) }
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return Diagnostic(
                "invalid YAML: \(problem)", at: SourceLocation(file: file, line: mark.line, column: mark.column), kind: .invalidYAML)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.map { "`\($0)`" }.joined(separator: ", ")
            return Diagnostic(
                "duplicate key \(names): each key may appear once in a mapping (first defined here)",
                at: SourceLocation(file: file, line: context.mark.line, column: context.mark.column), kind: .invalidName)
        case .reader(let problem, let offset, let character, _):
            return Diagnostic(
                "invalid YAML text: \(problem) (\(String(format: "U+%04X", character)) here); expected printable text, with tabs and line breaks only",
                at: offset.map { location(ofCharacter: $0, in: text, file: file) } ?? start, kind: .invalidYAML)
        default:
            return Diagnostic("invalid YAML: \(error)", at: start, kind: .invalidYAML)
        }
    }

    /// Where the character at `offset` (counted in characters, as Yams counts) of `text` is.
    private static func location(ofCharacter offset: Int, in text: String, file: String) -> SourceLocation {
        var line = 1
        var column = 1
        for scalar in text.prefix(offset).unicodeScalars {
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return SourceLocation(file: file, line: line, column: column)
    }
}
