import Foundation
import Git

/// How `gantry changes` presents a change set: JSON for scripts, text for people, step outputs for
/// workflows.
public struct ChangesReport {
    /// The change set to present.
    public var changeSet: ChangeSet

    /// Creates a report.
    public init(_ changeSet: ChangeSet) { self.changeSet = changeSet }

    /// The `--format json` document; its keys are stable.
    public func json() -> String {
        encode(Document(changeSet), pretty: true)
    }

    /// `{"include": [{"service", "image", "context", "dockerfile"}]}` for `strategy.matrix`.
    public func matrixJSON() -> String {
        encode(Matrix(changeSet), pretty: false)
    }

    /// The step outputs: `changed`, `matrix`, `any-changed`, `base`, `head`, and one per service.
    public func stepOutputs() -> [(name: String, value: String)] {
        let changed = changeSet.changedServiceNames
        var outputs: [(name: String, value: String)] = [
            ("changed", encode(changed, pretty: false)),
            ("matrix", matrixJSON()),
            ("any-changed", changed.isEmpty ? "false" : "true"),
            ("base", changeSet.comparison.base?.hex ?? ""),
            ("head", changeSet.comparison.head.hex),
        ]
        for service in changeSet.services {
            outputs.append((service.service.name, service.isChanged ? "true" : "false"))
        }
        return outputs
    }

    /// The human-readable report. Names from the repository and the event are escaped, so each
    /// line of the report is one line on the terminal.
    public func text() -> String {
        let comparison = changeSet.comparison
        let changed = changeSet.services.filter(\.isChanged)
        var lines: [String] = []
        if let base = comparison.base {
            lines.append("base  \(base.abbreviated)  \(comparison.reason)")
        } else {
            lines.append("base  none  \(comparison.reason)")
        }
        lines.append("head  \(comparison.head.abbreviated)\(comparison.includesWorkingTree ? " + working tree" : "")")
        for note in changeSet.notes { lines.append("note  \(note)") }
        lines.append("")
        let total = changeSet.services.count
        if let reason = comparison.allServicesReason {
            lines.append("all \(total) services changed: \(reason)")
        } else {
            lines.append("\(changed.count) of \(total) services changed (\(changeSet.files.count) files in the diff)")
        }
        let width = changeSet.services.map(\.service.name.count).max() ?? 0
        for service in changeSet.services {
            let name = service.service.name.padding(toLength: width, withPad: " ", startingAt: 0)
            guard service.isChanged else {
                lines.append("  ○ \(name)  unchanged")
                continue
            }
            let reasons = service.reasons.map { reason in
                switch reason.kind {
                case .files: "\(reason.detail): \(Self.sample(reason.files))"
                case .dependency: "via \(reason.detail)"
                case .global: "\(reason.detail): \(Self.sample(reason.files))"
                case .all: "all services"
                }
            }
            lines.append("  ● \(name)  \(reasons.joined(separator: "; "))")
        }
        return lines.map(UntrustedText.escapingControlCharacters).joined(separator: "\n")
    }

    private static func sample(_ files: [String]) -> String {
        let shown = files.prefix(3).joined(separator: ", ")
        return files.count > 3 ? "\(shown), … (+\(files.count - 3))" : shown
    }

    private func encode(_ value: some Encodable, pretty: Bool) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, arrays and structs cannot fail.
        return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
    }
}

extension ChangesReport {
    private struct Document: Encodable {
        var changeSet: ChangeSet
        init(_ changeSet: ChangeSet) { self.changeSet = changeSet }

        enum Keys: String, CodingKey {
            case base, head, baseReason = "base_reason", allServicesReason = "all_services_reason", workingTree = "working_tree"
            case changed, services, matrix, notes, filesChanged = "files_changed"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            let comparison = changeSet.comparison
            try container.encode(comparison.base?.hex, forKey: .base)
            try container.encode(comparison.head.hex, forKey: .head)
            try container.encode(comparison.reason, forKey: .baseReason)
            try container.encode(comparison.allServicesReason, forKey: .allServicesReason)
            try container.encode(comparison.includesWorkingTree, forKey: .workingTree)
            try container.encode(changeSet.changedServiceNames, forKey: .changed)
            try container.encode(changeSet.services.map(ServiceEntry.init), forKey: .services)
            try container.encode(Matrix(changeSet), forKey: .matrix)
            try container.encode(changeSet.notes, forKey: .notes)
            try container.encode(changeSet.files.count, forKey: .filesChanged)
        }
    }

    private struct ServiceEntry: Encodable {
        var name: String
        var changed: Bool
        var reasons: [Reason]
        var files: [String]

        init(_ change: ServiceChange) {
            name = change.service.name
            changed = change.isChanged
            reasons = change.reasons.map { Reason(kind: $0.kind.rawValue, detail: $0.detail, files: $0.kind == .global ? $0.files : nil) }
            files = change.files
        }
    }

    private struct Reason: Encodable {
        var kind: String
        var detail: String
        var files: [String]?
    }

    private struct Matrix: Encodable {
        struct Entry: Encodable {
            var service: String
            var image: String
            var context: String
            var dockerfile: String
        }
        var include: [Entry]

        init(_ changeSet: ChangeSet) {
            include = changeSet.services.filter(\.isChanged).sorted { $0.service.name < $1.service.name }.map {
                Entry(service: $0.service.name, image: $0.service.image, context: $0.service.context, dockerfile: $0.service.dockerfile)
            }
        }
    }
}
