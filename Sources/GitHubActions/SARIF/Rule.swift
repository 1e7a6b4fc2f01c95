import Basics

/// A kind of problem gantry reports, described once for GitHub code scanning (a SARIF
/// `reportingDescriptor`). Results name their rule by `id`, so an id never changes once published.
package struct Rule: Sendable, Hashable {
    /// A result's severity: error, warning or note.
    package typealias Level = SARIFLog.Level

    /// The documentation every rule links to, up to the anchor: one place to change it.
    package static let helpBaseURI = "https://github.com/gantry-ci/gantry#"

    /// The stable identifier, such as `gantry/config/unknown-key`.
    package var id: String
    /// A readable identifier in UpperCamelCase, such as `UnknownKey`.
    package var name: String
    /// One sentence: what the problem is.
    package var shortDescription: String
    /// What the problem means, in full.
    package var fullDescription: String
    /// How to fix it; plain text that reads as Markdown too (backticks for code).
    package var help: String
    /// The default severity of its results.
    package var level: Level
    /// Distinct tags, shown and filterable on GitHub.
    package var tags: [String]
    /// The README section that documents the rule, without `#`.
    package var helpAnchor: String

    /// Creates a rule.
    package init(
        id: String, name: String, shortDescription: String, fullDescription: String, help: String, level: Level,
        tags: [String], helpAnchor: String
    ) {
        self.id = id
        self.name = name
        self.shortDescription = shortDescription
        self.fullDescription = fullDescription
        self.help = help
        self.level = level
        self.tags = tags
        self.helpAnchor = helpAnchor
    }

    /// The documentation of the rule: `helpBaseURI` and the anchor.
    package var helpURI: String { Self.helpBaseURI + helpAnchor }

    /// GitHub's `problem.severity` for the level: "error", "warning" or "recommendation".
    package var problemSeverity: String {
        switch level {
        case .error: "error"
        case .warning: "warning"
        case .note: "recommendation"
        }
    }
}

extension Rule {
    /// The rule for a kind of configuration problem.
    package init(for kind: Diagnostic.Kind) {
        self =
            switch kind {
            case .invalidYAML: .invalidYAML
            case .missingFile: .missingFile
            case .unknownKey: .unknownKey
            case .wrongType: .wrongType
            case .invalidValue: .invalidValue
            case .unknownDependency: .unknownDependency
            case .dependencyCycle: .dependencyCycle
            case .invalidGlob: .invalidGlob
            case .invalidName: .invalidName
            }
    }

    /// Every rule gantry can report, in a fixed order: results refer to a rule by its index here,
    /// so new rules are appended, never inserted.
    package static let all: [Rule] = [
        invalidYAML, missingFile, unknownKey, wrongType, invalidValue, unknownDependency, dependencyCycle, invalidGlob,
        invalidName, healthFailed, smokeFailed, latencyBudgetExceeded, environmentStartFailed, environmentTeardownFailed,
    ]

    private static let configurationTags = ["gantry", "configuration", "correctness"]

    // MARK: Configuration

    /// `gantry.yml` is not well-formed YAML.
    package static let invalidYAML = Rule(
        id: "gantry/config/invalid-yaml", name: "InvalidYAML",
        shortDescription: "The configuration file is not valid YAML.",
        fullDescription:
            "gantry could not parse the configuration file as YAML, so it checked nothing else in it. Typical causes are "
            + "inconsistent indentation, a tab used for indentation, an unclosed quote or bracket, a key given twice in "
            + "the same mapping, or text that is not valid UTF-8.",
        help:
            "Fix the syntax at the reported line and column; the message says what the parser expected there. Indent "
            + "with spaces only, close every quote and bracket, and give each key once per mapping. Quote values that "
            + "start with `*`, `!`, `&`, `@` or `%`, such as globs: `paths: [\"**/*.go\"]`. Run `gantry validate` "
            + "locally to see every problem at once.",
        level: .error, tags: configurationTags, helpAnchor: "gantry-validate")

    /// There is no configuration file, or it cannot be read, or it is empty.
    package static let missingFile = Rule(
        id: "gantry/config/missing-file", name: "MissingConfigurationFile",
        shortDescription: "The configuration file is missing, unreadable or empty.",
        fullDescription:
            "gantry needs a configuration file that declares the services of the monorepo. It looked for `gantry.yml` "
            + "at the repository root (or the path given with `--config`) and found no file, a file it could not read, "
            + "or a file with no content.",
        help:
            "Create `gantry.yml` at the repository root with at least `version: 1` and a `services:` mapping, such as "
            + "`services: {api: {paths: [\"services/api/**\"]}}`, or point gantry at your file with `--config PATH`. "
            + "In a workflow, check that actions/checkout ran before gantry and that the path is relative to the "
            + "repository root.",
        level: .error, tags: configurationTags, helpAnchor: "configuration")

    /// A key gantry does not know.
    package static let unknownKey = Rule(
        id: "gantry/config/unknown-key", name: "UnknownKey",
        shortDescription: "The configuration has a key gantry does not know.",
        fullDescription:
            "A key in the configuration file is not one gantry reads at that place, usually because of a typo "
            + "(`depend_on` for `depends_on`) or because it belongs at another level. gantry rejects it rather than "
            + "ignore it, since an ignored setting silently changes which services are built and tested.",
        help:
            "Rename the key to the one the message suggests, or move it to where it belongs. At the top level gantry "
            + "reads `version`, `registry`, `global`, `groups` and `services`; in a service, `paths`, `ignore`, "
            + "`depends_on`, `image`, `context` and `dockerfile`.",
        level: .error, tags: configurationTags, helpAnchor: "configuration")

    /// A value of the wrong type.
    package static let wrongType = Rule(
        id: "gantry/config/wrong-type", name: "WrongType",
        shortDescription: "A configuration value has the wrong type.",
        fullDescription:
            "A value in the configuration file is not of the type gantry expects there: for example a mapping where a "
            + "list of paths is expected, a number where a string is expected, or nothing at all (`key:` with no "
            + "value). The message names the key, what was expected and what was found.",
        help:
            "Change the value to the expected type. `version` is a whole number; `registry`, `image`, `context` and "
            + "`dockerfile` are strings; `global`, `paths`, `ignore` and `depends_on` are lists of strings (a single "
            + "string counts as a list of one); `groups` and `services` are mappings from names to their settings.",
        level: .error, tags: configurationTags, helpAnchor: "configuration")

    /// A value of the right type that is not allowed, or a required key that is missing.
    package static let invalidValue = Rule(
        id: "gantry/config/invalid-value", name: "InvalidValue",
        shortDescription: "A configuration value is not allowed, or a required key is missing.",
        fullDescription:
            "A value has the right type but is not allowed there, or a required setting is missing: a `version` other "
            + "than 1, a registry or image name that is not a valid container image reference, an empty `services` "
            + "mapping, or a service without `paths` or `context`.",
        help:
            "Set the value the message asks for. Use `version: 1`; write registries and images in lowercase like "
            + "`ghcr.io/acme` and `ghcr.io/acme/api`; define at least one service, each with `paths` (or a `context` to "
            + "derive them from).",
        level: .error, tags: configurationTags, helpAnchor: "configuration")

    /// A dependency on a name that is neither a group nor a service.
    package static let unknownDependency = Rule(
        id: "gantry/config/unknown-dependency", name: "UnknownDependency",
        shortDescription: "A service depends on a group or service that does not exist.",
        fullDescription:
            "An entry in a service's `depends_on` names neither a group under `groups` nor a service under `services`. "
            + "gantry cannot tell when such a dependency changes, so the service might not be rebuilt when it should be.",
        help:
            "Correct the name (the message suggests the closest existing one), define the missing group or service, or "
            + "remove the entry from `depends_on`. Groups and services share one namespace.",
        level: .error, tags: configurationTags, helpAnchor: "configuration")

    /// Services that depend on each other in a loop.
    package static let dependencyCycle = Rule(
        id: "gantry/config/dependency-cycle", name: "DependencyCycle",
        shortDescription: "Services depend on each other in a cycle.",
        fullDescription:
            "Following `depends_on` from a service leads back to that service, as in `api → worker → api`. Dependencies "
            + "are transitive and decide the order of environments and the services a change affects, so they must "
            + "not form a loop.",
        help:
            "Remove one `depends_on` entry of the cycle printed in the message. When services share code, put that code "
            + "in a group under `groups` and let each service depend on the group instead of on each other.",
        level: .error, tags: configurationTags, helpAnchor: "configuration")

    /// A path pattern that is not a valid glob.
    package static let invalidGlob = Rule(
        id: "gantry/config/invalid-glob", name: "InvalidGlob",
        shortDescription: "A path pattern is not a valid glob.",
        fullDescription:
            "A pattern in `global`, a group, or a service's `paths` or `ignore` cannot be used: it has an unclosed "
            + "`[`, a trailing `\\`, a leading `/`, or a `.` or `..` component. Patterns are git wildmatch globs relative "
            + "to the repository root.",
        help:
            "Write the pattern relative to the repository root, without a leading `/` or `./`, and close every `[`. Use "
            + "`*` and `?` within one path component and `**` as a whole component to cross directories, as in "
            + "`services/api/**`; prefix a pattern with `!` to exclude what it matches.",
        level: .error, tags: configurationTags, helpAnchor: "configuration")

    /// A service or group name that cannot be used.
    package static let invalidName = Rule(
        id: "gantry/config/invalid-name", name: "InvalidName",
        shortDescription: "A service or group name is invalid, reserved or defined twice.",
        fullDescription:
            "Service and group names become step output names, image names and `<NAME>_URL` environment variables, so "
            + "they take the strictest common form. This name breaks that form, is one of gantry's own output names "
            + "(`changed`, `matrix`, `any-changed`, `base`, `head`), is defined twice, or maps to the same environment "
            + "variable as another service (`user-api` and `user_api`).",
        help:
            "Rename it using lowercase letters, digits, `-` and `_`, starting with a letter, without doubled or "
            + "trailing separators, at most 63 characters, such as `user-api`. Give each group and service its own "
            + "name: they share one namespace. Update the `depends_on` entries that refer to the old name.",
        level: .error, tags: configurationTags, helpAnchor: "configuration")

    // MARK: Gates

    /// A service's health check did not pass.
    package static let healthFailed = Rule(
        id: "gantry/gate/health-failed", name: "HealthCheckFailed",
        shortDescription: "A service did not become healthy.",
        fullDescription:
            "After the ephemeral environment started, a service's health check did not succeed within its time limit: "
            + "the endpoint refused connections, answered with an unexpected status, or the container exited. Later "
            + "gates were not run for it.",
        help:
            "Read the service's logs in the job's report to see why it did not start or answer. Check that the health "
            + "path and port in the configuration match what the service serves, and raise the time limit if the "
            + "service legitimately needs longer to start.",
        level: .error, tags: ["gantry", "gate", "reliability"], helpAnchor: "gates")

    /// A service's smoke test did not pass.
    package static let smokeFailed = Rule(
        id: "gantry/gate/smoke-failed", name: "SmokeTestFailed",
        shortDescription: "A smoke test failed.",
        fullDescription:
            "A smoke test run against the ephemeral environment failed: a request returned an unexpected status or "
            + "body, or the test command exited with a non-zero status. The change likely breaks the behaviour the "
            + "test checks.",
        help:
            "Reproduce the failing request or command from the job's report against a local environment, then fix the "
            + "service or update the test if the behaviour changed on purpose.",
        level: .error, tags: ["gantry", "gate", "correctness"], helpAnchor: "gates")

    /// A measured latency above its budget.
    package static let latencyBudgetExceeded = Rule(
        id: "gantry/gate/latency-budget-exceeded", name: "LatencyBudgetExceeded",
        shortDescription: "A service's latency exceeded its budget.",
        fullDescription:
            "The latency measured against a service in the ephemeral environment was above the budget set in the "
            + "configuration for that percentile. The change may have made the service slower.",
        help:
            "Compare the measured percentiles in the job's report with those of the base branch to find the slower "
            + "requests, and look for new work on their path (queries, calls to other services, cold caches). If the "
            + "slowdown is expected, raise the budget in the configuration.",
        level: .error, tags: ["gantry", "gate", "performance"], helpAnchor: "gates")

    // MARK: Environments

    /// The ephemeral environment could not be started.
    package static let environmentStartFailed = Rule(
        id: "gantry/environment/start-failed", name: "EnvironmentStartFailed",
        shortDescription: "The ephemeral environment could not be started.",
        fullDescription:
            "gantry could not bring up the ephemeral environment for the changed services: an image could not be "
            + "pulled or built, a container could not be created, or a port was unavailable. No gate ran.",
        help:
            "Read the error in the job's report: check that the images exist and that the runner can pull them "
            + "(registry login, `packages: read` permission), that each Dockerfile builds, and that no other process "
            + "on the runner holds the ports the services use.",
        level: .error, tags: ["gantry", "environment", "reliability"], helpAnchor: "environments")

    /// The ephemeral environment could not be removed completely.
    package static let environmentTeardownFailed = Rule(
        id: "gantry/environment/teardown-failed", name: "EnvironmentTeardownFailed",
        shortDescription: "The ephemeral environment was not removed completely.",
        fullDescription:
            "After the gates ran, gantry could not remove every container, network or volume of the ephemeral "
            + "environment. The gates' verdict stands, but the leftovers can use resources or collide with the next "
            + "job on a self-hosted runner.",
        help:
            "List what is left with `docker ps -a` and `docker network ls` filtered on the job's project name and "
            + "remove it. On self-hosted runners, make sure the runner's user may stop and remove the containers it "
            + "starts.",
        level: .warning, tags: ["gantry", "environment", "reliability"], helpAnchor: "environments")
}
