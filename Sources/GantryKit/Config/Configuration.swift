/// The contents of `gantry.yml`: the services of a monorepo and how to tell when each changed.
public struct Configuration: Sendable {
    /// The file it was read from, as the user named it; diagnostics and reports refer to it.
    public var file: String
    /// The schema version; only 1 exists.
    public var version: Int
    /// The default image prefix, such as `ghcr.io/acme`.
    public var registry: String?
    /// Files whose change marks every service changed.
    public var global: PathPatternList
    /// Named path sets that services depend on.
    public var groups: [Group]
    /// The services, in the order the file lists them.
    public var services: [Service]
    /// How images are tagged (`tags`, `flavor`, `labels`).
    public var tags: TagSettings
    /// How the run's environment is brought up.
    public var environment: EnvironmentSettings

    /// The service with this name, if any.
    public func service(named name: String) -> Service? {
        services.first { $0.name == name }
    }
}

/// A named set of paths, such as shared libraries, that services can depend on.
public struct Group: Sendable {
    /// The group's name, unique among groups and services.
    public var name: String
    /// Where the group is defined.
    public var location: SourceLocation
    /// The files that belong to the group.
    public var paths: PathPatternList
}

/// A service built into one image.
public struct Service: Sendable {
    /// The name: a lowercase identifier, used for outputs, image names and environment variables.
    public var name: String
    /// Where the service is defined.
    public var location: SourceLocation
    /// The files that belong to the service.
    public var paths: PathPatternList
    /// Files under `paths` whose change does not count, such as documentation.
    public var ignore: PathPatternList
    /// Groups and services whose change also changes this service, transitively.
    public var dependencies: [Dependency]
    /// The image name without a tag, such as `ghcr.io/acme/api`.
    public var image: String
    /// The Docker build context, relative to the repository root.
    public var context: String
    /// The Dockerfile, relative to the repository root.
    public var dockerfile: String
    /// The service's own `tags` rules, replacing the top-level ones, and where they are written.
    public var tagRules: (rules: [TagRule], location: SourceLocation)?
    /// Its health, smoke and latency gates.
    public var gates: ServiceGates
    /// How the process provider runs it; nil when it has no `run` command.
    public var process: ServiceProcess?

    /// Whether a changed file belongs to this service: it matches `paths` and not `ignore`.
    public func owns(_ path: String) -> Bool {
        paths.matches(path) && !ignore.matches(path)
    }
}

/// A `depends_on` entry: the name of a group or a service.
public struct Dependency: Hashable, Sendable {
    /// The group's or service's name.
    public var name: String
    /// Where the entry is written.
    public var location: SourceLocation
}
