import Basics
import Yams

extension Configuration {
    /// The keys of `environment`.
    static let environmentKeys = ["provider", "name", "ttl", "grace", "compose", "command", "tls"]

    /// Reads the top-level `environment`.
    static func readEnvironment(_ node: Node?, with reader: inout YAMLReader) -> EnvironmentSettings {
        var settings = EnvironmentSettings.defaults
        guard let node, let entries = reader.mapping(node, "environment", expected: "a mapping such as {provider: process, ttl: 2h}") else {
            return settings
        }
        reader.rejectUnknownKeys(entries, known: environmentKeys, in: "`environment`")
        let value = { (key: String) in entries.first { $0.key == key } }
        if let entry = value("provider"), let text = reader.string(entry.value, "environment.provider") {
            if let provider = EnvironmentSettings.Provider(rawValue: text) {
                settings.provider = provider
            } else {
                let names = EnvironmentSettings.Provider.allCases.map(\.rawValue)
                let hint = suggestion(for: text, among: names)
                reader.report(
                    "unknown provider `\(text)`\(hint) (expected one of: \(names.joined(separator: ", ")))", at: entry.value,
                    kind: .invalidValue)
            }
        }
        if let entry = value("name"), let template = reader.string(entry.value, "environment.name") {
            if let problem = EnvironmentSettings.problem(withNameTemplate: template) {
                reader.report("`environment.name` \(problem)", at: entry.value, kind: .invalidValue)
            } else {
                settings.nameTemplate = template
            }
        }
        if let entry = value("ttl"), let ttl = reader.duration(entry.value, "environment.ttl") { settings.timeToLive = ttl }
        if let entry = value("tls"), let tls = reader.bool(entry.value, "environment.tls") { settings.servesPerRunCertificates = tls }
        if let entry = value("grace"), let grace = reader.duration(entry.value, "environment.grace") { settings.stopGracePeriod = grace }
        if let entry = value("compose"),
            let compose = reader.mapping(entry.value, "environment.compose", expected: "a mapping such as {file: docker-compose.ci.yml}")
        {
            reader.rejectUnknownKeys(compose, known: ["file", "timeout"], in: "`environment.compose`")
            settings.composeFile = compose.first { $0.key == "file" }.flatMap { reader.string($0.value, "environment.compose.file") }
            if let timeout = compose.first(where: { $0.key == "timeout" }).flatMap({
                reader.duration($0.value, "environment.compose.timeout")
            }) {
                settings.composeTimeout = timeout
            }
        }
        if let entry = value("command"),
            let commands = reader.mapping(entry.value, "environment.command", expected: "a mapping with `up` and `down`")
        {
            reader.rejectUnknownKeys(commands, known: ["up", "down", "outputs", "timeout"], in: "`environment.command`")
            var texts: [String: String] = [:]
            for key in ["up", "down", "outputs"] {
                if let entry = commands.first(where: { $0.key == key }) {
                    texts[key] = reader.string(entry.value, "environment.command.\(key)")
                }
            }
            if let up = texts["up"], let down = texts["down"] {
                let timeout = commands.first { $0.key == "timeout" }.flatMap { reader.duration($0.value, "environment.command.timeout") }
                settings.commands = EnvironmentSettings.Commands(
                    up: up, down: down, outputs: texts["outputs"], timeout: timeout ?? .seconds(1800))
            } else {
                reader.report("`environment.command` needs both `up` and `down`", at: entry.value, kind: .invalidValue)
            }
        }
        switch settings.provider {
        case .compose where settings.composeFile == nil:
            reader.report(
                "the compose provider needs `environment.compose.file`, such as docker-compose.ci.yml", at: node, kind: .invalidValue)
        case .command where settings.commands == nil && value("command") == nil:
            reader.report("the command provider needs `environment.command` with `up` and `down`", at: node, kind: .invalidValue)
        default:
            break
        }
        return settings
    }

    /// Reads a service's `run`, `port`, `env`, `working_directory`, `scheme` and `base_path`, for the process provider.
    static func readProcess(_ value: (String) -> YAMLReader.Entry?, service: String, context: String, with reader: inout YAMLReader)
        -> ServiceProcess?
    {
        let field = "services.\(service)"
        guard let entry = value("run") else {
            for key in ["port", "env", "working_directory", "scheme", "base_path", "tls"] {
                if let stray = value(key) {
                    reader.report(
                        "`\(field).\(key)` applies to the `run` command; add `run:` or remove it", at: stray.keyNode, kind: .invalidValue)
                }
            }
            return nil
        }
        guard let command = reader.string(entry.value, "\(field).run") else { return nil }
        let port = value("port").flatMap { reader.integer($0.value, "\(field).port", in: 1...65535) }
        var environment: [String: ValueTemplate] = [:]
        if let env = value("env"),
            let entries = reader.mapping(env.value, "\(field).env", expected: "a mapping of variable names to values")
        {
            for variable in entries {
                guard variable.key.first.map({ $0 == "_" || $0.isLetter }) == true,
                    variable.key.allSatisfy({ $0.isASCII && ($0 == "_" || $0.isLetter || $0.isNumber) })
                else {
                    reader.report(
                        "invalid variable name `\(variable.key)` in `\(field).env`: use letters, digits and _", at: variable.keyNode,
                        kind: .invalidValue)
                    continue
                }
                guard case .scalar(let scalar) = variable.value else {
                    reader.report(
                        "`\(field).env.\(variable.key)` must be a string, got \(reader.describe(variable.value))", at: variable.value,
                        kind: .wrongType)
                    continue
                }
                do {
                    environment[variable.key] = try ValueTemplate(parsing: scalar.string)
                } catch {
                    reader.report(
                        "`\(field).env.\(variable.key)`: \(error.message)", at: reader.location(of: variable.value, offset: error.offset),
                        kind: .invalidValue)
                }
            }
        }
        var directory = context
        if let entry = value("working_directory"), let path = reader.string(entry.value, "\(field).working_directory") {
            if let problem = RepositoryPath.problem(with: path, allowsRoot: true) {
                reader.report(
                    "`\(field).working_directory` \(problem), like services/\(service); got \"\(path)\"", at: entry.value,
                    kind: .invalidValue)
            } else {
                directory = path
            }
        }
        var scheme = "http"
        if let entry = value("scheme"), let text = reader.string(entry.value, "\(field).scheme") {
            if ["http", "https"].contains(text) {
                scheme = text
            } else {
                reader.report("`\(field).scheme` must be http or https; got \"\(text)\"", at: entry.value, kind: .invalidValue)
            }
        }
        var basePath = ""
        if let entry = value("base_path"), let path = reader.string(entry.value, "\(field).base_path") {
            if path.wholeMatch(of: /\/[A-Za-z0-9._~!$&'()*+,;=:@%\/-]*/) != nil {
                basePath = path.hasSuffix("/") ? String(path.dropLast()) : path
            } else {
                reader.report(
                    "`\(field).base_path` must be a URL path starting with /, such as /api, without spaces, ? or #; got \"\(path)\"",
                    at: entry.value,
                    kind: .invalidValue)
            }
        }
        var servesPerRunCertificate: Bool?
        if let entry = value("tls"), let tls = reader.bool(entry.value, "\(field).tls") {
            if tls && value("scheme") != nil {
                reader.report(
                    "`\(field).tls: true` serves this environment's own certificate over https; remove `scheme`", at: entry.keyNode,
                    kind: .invalidValue)
            }
            servesPerRunCertificate = tls
        }
        return ServiceProcess(
            command: command, port: port, environment: environment, workingDirectory: directory, scheme: scheme, basePath: basePath,
            servesPerRunCertificate: servesPerRunCertificate)
    }
}
