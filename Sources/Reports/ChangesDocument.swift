import Basics
import GantryKit

/// What `gantry changes` found, as `--format json` prints it and as the state directory records it.
/// The keys are stable: scripts and later steps read them.
package struct ChangesDocument: Codable, Sendable, Equatable {
    /// One service's verdict.
    package struct ServiceEntry: Codable, Sendable, Equatable {
        /// The service's name.
        package var name: String
        /// Whether it changed.
        package var changed: Bool
        /// Why it changed; empty when it did not.
        package var reasons: [Reason]
        /// The changed files that belong to it.
        package var files: [String]
    }

    /// One reason a service changed.
    package struct Reason: Codable, Sendable, Equatable {
        /// `files`, `dependency`, `global` or `all`.
        package var kind: String
        /// The specifics: a count of files, the dependency's name, why every service changed.
        package var detail: String
        /// For `global`: the global files that changed.
        package var files: [String]?
    }

    /// The commit compared from; nil when every service counts as changed without a diff.
    package var base: String?
    /// The commit compared to.
    package var head: String
    /// Why this base was chosen.
    package var baseReason: String
    /// Why every service changed, when it did.
    package var allServicesReason: String?
    /// Whether uncommitted changes counted.
    package var workingTree: Bool
    /// The changed services' names, sorted.
    package var changed: [String]
    /// Every service, in configuration order.
    package var services: [ServiceEntry]
    /// The changed services as a build matrix.
    package var matrix: Matrix
    /// What gantry did along the way, such as fetching history.
    package var notes: [String]
    /// How many files the diff holds.
    package var filesChanged: Int

    enum CodingKeys: String, CodingKey {
        case base, head, baseReason = "base_reason", allServicesReason = "all_services_reason", workingTree = "working_tree"
        case changed, services, matrix, notes, filesChanged = "files_changed"
    }

    /// Summarises a change set; its matrix has at most `jobLimit` entries.
    package init(_ changeSet: ChangeSet, jobLimit: Int = Matrix.gitHubJobLimit) {
        let comparison = changeSet.comparison
        base = comparison.base?.hex
        head = comparison.head.hex
        baseReason = comparison.reason
        allServicesReason = comparison.allServicesReason
        workingTree = comparison.includesWorkingTree
        changed = changeSet.changedServiceNames
        services = changeSet.services.map { change in
            ServiceEntry(
                name: change.service.name, changed: change.isChanged,
                reasons: change.reasons.map {
                    Reason(kind: $0.kind.rawValue, detail: $0.detail, files: $0.kind == .global ? $0.files : nil)
                },
                files: change.files)
        }
        let changedServices = changeSet.services.filter(\.isChanged).map(\.service).sorted { $0.name < $1.name }
        matrix = Matrix(changedServices, jobLimit: jobLimit)
        notes = changeSet.notes
        if changedServices.count > jobLimit {
            let sizes = Set(matrix.include.map { $0.services?.count ?? 1 }).sorted().map(String.init).joined(separator: " or ")
            notes.append(
                "\(changedServices.count) services changed, more than --max-jobs \(jobLimit): the matrix packs them into "
                    + "\(counted(matrix.include.count, "job")) of \(sizes) services each (`matrix.services`)")
        }
        filesChanged = changeSet.files.count
    }

    /// Keeps `base` and `all_services_reason` present as null: scripts test them without a lookup default.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(base, forKey: .base)
        try container.encode(head, forKey: .head)
        try container.encode(baseReason, forKey: .baseReason)
        try container.encode(allServicesReason, forKey: .allServicesReason)
        try container.encode(workingTree, forKey: .workingTree)
        try container.encode(changed, forKey: .changed)
        try container.encode(services, forKey: .services)
        try container.encode(matrix, forKey: .matrix)
        try container.encode(notes, forKey: .notes)
        try container.encode(filesChanged, forKey: .filesChanged)
    }
}
