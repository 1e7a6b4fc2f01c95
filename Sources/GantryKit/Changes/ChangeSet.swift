import Git

/// Which services changed between two commits, and why.
public struct ChangeSet: Sendable {
    /// The commits compared and why they were chosen.
    public var comparison: Comparison
    /// Every changed file, in path order.
    public var files: [FileChange]
    /// Every configured service, in configuration order, changed or not.
    public var services: [ServiceChange]
    /// What gantry did along the way that the user should know, such as fetching missing history.
    public var notes: [String]

    /// The changed services' names, sorted.
    public var changedServiceNames: [String] {
        services.filter(\.isChanged).map(\.service.name).sorted()
    }
}

/// One service's verdict.
public struct ServiceChange: Sendable {
    /// The service.
    public var service: Service
    /// Why it changed; empty when it did not.
    public var reasons: [ChangeReason]
    /// The changed files that belong to it (its `paths`, less `ignore`), in path order.
    public var files: [String]

    /// Whether the service changed.
    public var isChanged: Bool { !reasons.isEmpty }
}

/// One reason a service changed.
public struct ChangeReason: Hashable, Sendable {
    /// The kind of reason, as it appears in JSON output.
    public enum Kind: String, Sendable {
        /// Files of the service changed.
        case files
        /// A group or service it depends on changed.
        case dependency
        /// A file listed under `global` changed.
        case global
        /// Every service counts as changed (a tag push, `--all`, no base to compare with).
        case all
    }

    /// The kind of reason.
    public var kind: Kind
    /// The specifics: the dependency's name, the global file, why all services changed.
    public var detail: String
    /// The files behind the reason, for `files` and `global`.
    public var files: [String]

    /// Creates a reason.
    public init(kind: Kind, detail: String, files: [String] = []) {
        self.kind = kind
        self.detail = detail
        self.files = files
    }
}
