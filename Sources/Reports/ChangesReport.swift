import Basics

/// How `gantry changes` presents what it found: JSON for scripts, text for people, step outputs for
/// workflows. Built from the document, so a recorded run renders exactly as it printed.
package struct ChangesReport {
    /// What was found.
    package var document: ChangesDocument

    /// Creates a report.
    package init(_ document: ChangesDocument) { self.document = document }

    /// The `--format json` document; its keys are stable.
    package func json() -> String {
        JSON.encode(document, pretty: true)
    }

    /// The step outputs: `changed`, `matrix`, `any-changed`, `base`, `head`, `json` (the document,
    /// compact), and one per service.
    package func stepOutputs() -> [(name: String, value: String)] {
        var outputs: [(name: String, value: String)] = [
            ("changed", JSON.encode(document.changed)),
            ("matrix", JSON.encode(document.matrix)),
            ("any-changed", document.changed.isEmpty ? "false" : "true"),
            ("base", document.base ?? ""),
            ("head", document.head),
            ("json", JSON.encode(document)),
        ]
        for service in document.services {
            outputs.append((service.name, service.changed ? "true" : "false"))
        }
        return outputs
    }

    /// The human-readable report. Names from the repository and the event are escaped, so each
    /// line of the report is one line on the terminal.
    package func text() -> String {
        let changed = document.services.filter(\.changed)
        var lines = [
            "base  \(document.base.map { String($0.prefix(7)) } ?? "none")  \(document.baseReason)",
            "head  \(document.head.prefix(7))\(document.workingTree ? " + working tree" : "")",
        ]
        for note in document.notes { lines.append("note  \(note)") }
        lines.append("")
        let total = document.services.count
        if let reason = document.allServicesReason {
            lines.append("\(every(total, "service")) changed: \(reason)")
        } else {
            lines.append("\(changed.count) of \(counted(total, "service")) changed (\(counted(document.filesChanged, "file")) in the diff)")
        }
        let width = document.services.map(\.name.count).max() ?? 0
        for service in document.services {
            let name = service.name.padding(toLength: width, withPad: " ", startingAt: 0)
            guard service.changed else {
                lines.append("  ○ \(name)  unchanged")
                continue
            }
            let reasons = service.reasons.map { reason in
                switch reason.kind {
                case "files": "\(reason.detail): \(Self.sample(service.files))"
                case "dependency": "via \(reason.detail)"
                case "inputs": reason.detail
                case "global": "\(reason.detail): \(Self.sample(reason.files ?? []))"
                default: "all services"
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
}
