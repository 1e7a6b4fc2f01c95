import Basics
import PathPattern
import TagGrammar

/// The contents of `gantry.yml`: the services of a monorepo and how to tell when each changed.
package struct Configuration: Sendable {
    /// The file it was read from, as the user named it; diagnostics and reports refer to it.
    package var file: String
    /// The schema version; only 1 exists.
    package var version: Int
    /// The default image prefix, such as `ghcr.io/acme`.
    package var registry: String?
    /// Files whose change marks every service changed.
    package var global: PathPatternList
    /// Named path sets that services depend on.
    package var groups: [Group]
    /// The services, in the order the file lists them.
    package var services: [Service]
    /// How images are tagged (`tags`, `flavor`, `labels`).
    package var tags: TagSettings
    /// How the run's environment is brought up.
    package var environment: EnvironmentSettings
    /// The accepted risks of `gantry findings`.
    package var findings = FindingsSettings()

    /// The service with this name, if any.
    package func service(named name: String) -> Service? {
        services.first { $0.name == name }
    }
}

/// A named set of paths, such as shared libraries, that services can depend on.
package struct Group: Sendable {
    /// The group's name, unique among groups and services.
    package var name: String
    /// Where the group is defined.
    package var location: SourceLocation
    /// The files that belong to the group.
    package var paths: PathPatternList
}

/// A service built into one image.
package struct Service: Sendable {
    /// The name: a lowercase identifier, used for outputs, image names and environment variables.
    package var name: String
    /// Where the service is defined.
    package var location: SourceLocation
    /// The files that belong to the service.
    package var paths: PathPatternList
    /// Files under `paths` whose change does not count, such as documentation.
    package var ignore: PathPatternList
    /// Groups and services whose change also changes this service, transitively.
    package var dependencies: [Dependency]
    /// The image name without a tag, such as `ghcr.io/acme/api`.
    package var image: String
    /// The Docker build context, relative to the repository root.
    package var context: String
    /// The Dockerfile, relative to the repository root.
    package var dockerfile: String
    /// The service's own `tags` rules, replacing the top-level ones, and where they are written.
    package var tagRules: (rules: [TagRule], location: SourceLocation)?
    /// Its health, smoke and latency gates.
    package var gates: ServiceGates
    /// How the process provider runs it; nil when it has no `run` command.
    package var process: ServiceProcess?
    /// Whether `inputs: dockerfile` derives its inputs from what its Dockerfile reads of the context.
    package var inputsFromDockerfile = false
    /// `build_args`: the build's arguments, for its `ARG`s and the bake file.
    package var buildArguments: [String: String] = [:]
    /// `target`: the Dockerfile stage the build targets; nil builds the last stage.
    package var target: String?

    /// Whether a changed file belongs to this service: it matches `paths` and not `ignore`.
    package func owns(_ path: String) -> Bool {
        paths.matches(path) && !ignore.matches(path)
    }
}

/// A `depends_on` entry: the name of a group or a service.
package struct Dependency: Hashable, Sendable {
    /// The group's or service's name.
    package var name: String
    /// Where the entry is written.
    package var location: SourceLocation
}
