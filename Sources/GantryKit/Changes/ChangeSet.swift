import Config
import Git

/// Which services changed between two commits, and why.
package struct ChangeSet: Sendable {
    /// The commits compared and why they were chosen.
    package var comparison: Comparison
    /// Every changed file, in path order.
    package var files: [FileChange]
    /// Every configured service, in configuration order, changed or not.
    package var services: [ServiceChange]
    /// What gantry did along the way that the user should know, such as fetching missing history.
    package var notes: [String]

    /// The changed services' names, sorted.
    package var changedServiceNames: [String] {
        services.filter(\.isChanged).map(\.service.name).sorted()
    }
}

/// One service's verdict.
package struct ServiceChange: Sendable {
    /// The service.
    package var service: Service
    /// Why it changed; empty when it did not.
    package var reasons: [ChangeReason]
    /// The changed files that belong to it (its `paths`, less `ignore`), in path order.
    package var files: [String]

    /// Whether the service changed.
    package var isChanged: Bool { !reasons.isEmpty }
}

/// One reason a service changed.
package struct ChangeReason: Hashable, Sendable {
    /// The kind of reason, as it appears in JSON output.
    package enum Kind: String, Sendable {
        /// Files of the service changed.
        case files
        /// Files its Dockerfile reads changed (`inputs: dockerfile`), or the Dockerfile or its ignore file.
        case inputs
        /// A group or service it depends on changed.
        case dependency
        /// A file listed under `global` changed.
        case global
        /// Every service counts as changed (a tag push, `--all`, no base to compare with).
        case all
    }

    /// The kind of reason.
    package var kind: Kind
    /// The specifics: the dependency's name, the global file, why all services changed.
    package var detail: String
    /// The files behind the reason, for `files` and `global`.
    package var files: [String]

    /// Creates a reason.
    package init(kind: Kind, detail: String, files: [String] = []) {
        self.kind = kind
        self.detail = detail
        self.files = files
    }
}
