import Basics
import Config

/// How `gantry tags` presents its images: text for people, JSON for scripts, a bake file for
/// `docker buildx bake`, and step outputs.
package struct TagsReport {
    /// What was computed.
    package var document: TagsDocument

    /// Creates a report.
    package init(_ document: TagsDocument) { self.document = document }

    /// `{"services": {NAME: {"image", "version", "tags", "labels"}}}`, with stable keys.
    package func json(pretty: Bool = true) -> String {
        struct Entry: Encodable {
            var image: String
            var version: String
            var tags: [String]
            var labels: [String: String]
        }
        struct Document: Encodable { var services: [String: Entry] }
        let services = document.images.map { ($0.service, Entry(image: $0.image, version: $0.version, tags: $0.tags, labels: $0.labels)) }
        return JSON.encode(Document(services: Dictionary(services, uniquingKeysWith: { first, _ in first })), pretty: pretty)
    }

    /// A bake file (JSON): one target per service and a `default` group of all, so
    /// `docker buildx bake -f FILE` builds every listed service at once, from the repository root.
    package func bakeFile() -> String {
        struct Target: Encodable {
            var context: String
            var dockerfile: String
            var tags: [String]
            var labels: [String: String]
            var args: [String: String]?
            var target: String?
        }
        struct Group: Encodable { var targets: [String] }
        struct Bake: Encodable {
            var group: [String: Group]
            var target: [String: Target]
        }
        let targets = document.images.map { image in
            (
                image.service,
                Target(
                    context: image.context, dockerfile: Self.path(of: image.dockerfile, relativeTo: image.context), tags: image.tags,
                    labels: image.labels, args: image.buildArguments, target: image.target)
            )
        }
        let bake = Bake(
            group: ["default": Group(targets: document.images.map(\.service))],
            target: Dictionary(targets, uniquingKeysWith: { first, _ in first }))
        return JSON.encode(bake, pretty: true)
    }

    /// The step outputs: `tags`, every reference one per line, and `json`, as `--format json` prints it.
    package func stepOutputs() -> [(name: String, value: String)] {
        [("tags", document.images.flatMap(\.tags).joined(separator: "\n")), ("json", json(pretty: false))]
    }

    /// The human-readable report; names are escaped, so each line is one line on the terminal.
    package func text() -> String {
        var lines = ["\(document.event) at \(document.commit.prefix(7))"]
        if let note = document.note { lines.append(note) }
        for image in document.images {
            lines.append("")
            lines.append("\(image.service)  \(image.image)  version \(image.version.isEmpty ? "none" : image.version)")
            lines += image.tags.map { "  \($0)" }
        }
        return lines.map(UntrustedText.escapingControlCharacters).joined(separator: "\n")
    }

    /// Bake reads `dockerfile` relative to `context`, while gantry's is relative to the repository root.
    static func path(of file: String, relativeTo directory: String) -> String {
        guard directory != "." else { return file }
        let base = directory.split(separator: "/")
        var target = file.split(separator: "/")
        var common = 0
        while common < base.count, common < target.count - 1, base[common] == target[common] { common += 1 }
        target.removeFirst(common)
        return (Array(repeating: "..", count: base.count - common) + target.map(String.init)).joined(separator: "/")
    }
}
