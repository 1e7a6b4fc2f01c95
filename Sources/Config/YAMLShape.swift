import Basics
// libyaml, which Yams is built on: its events can be read before Yams builds anything.
import CYaml

/// Checks a YAML text against ``ConfigurationLimits`` before Yams composes it. Composing is where
/// hostile files do their damage: it expands every alias and hashes every mapping key, so 600 bytes
/// of aliases nested as keys take hours. Reading libyaml's events instead holds only the open
/// collections and the size of each anchor, and stops at the first event past a limit. (Nesting is
/// bounded by libyaml itself, which refuses a file nested more than 1,000 levels deep.)
package enum YAMLShape {
    /// The first place where `text` passes a limit, or nil. A text that is not YAML is left to Yams,
    /// which reports the syntax error at its place.
    package static func problem(in text: String, file: String) -> Diagnostic? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        var text = text
        return text.withUTF8 { bytes in
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            var counter = Counter(file: file)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { return nil }
                if let problem = counter.count(event) { return problem }
            }
        }
    }

    /// The nodes read so far, with aliases expanded, and the collections still open.
    private struct Counter {
        let file: String
        var nodes = 0
        /// For each open list or mapping, its anchor and the node count before it.
        var open: [(anchor: String?, nodesBefore: Int)] = []
        /// How many nodes each anchor stands for; a later anchor of the same name replaces it, as in YAML.
        var anchorSizes: [String: Int] = [:]

        mutating func count(_ event: yaml_event_t) -> Diagnostic? {
            let location = SourceLocation(
                file: file, line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
            switch event.type {
            case YAML_SCALAR_EVENT:
                nodes += 1
                if let anchor = event.data.scalar.anchor { anchorSizes[String(cString: anchor)] = 1 }
            case YAML_ALIAS_EVENT:
                let size = event.data.alias.anchor.flatMap { anchorSizes[String(cString: $0)] } ?? 1
                nodes += size
                if nodes > ConfigurationLimits.nodes {
                    return Diagnostic(
                        "this alias repeats \(size) values, which takes the file past \(ConfigurationLimits.nodes) values "
                            + "(an alias counts as every value it repeats); expected fewer aliases, or the values written out",
                        at: location, kind: .invalidYAML)
                }
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                let anchor =
                    event.type == YAML_SEQUENCE_START_EVENT ? event.data.sequence_start.anchor : event.data.mapping_start.anchor
                open.append((anchor.map { String(cString: $0) }, nodes))
                nodes += 1
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let collection = open.popLast() else { break }
                if let anchor = collection.anchor { anchorSizes[anchor] = nodes - collection.nodesBefore }
            default:
                break
            }
            if nodes > ConfigurationLimits.nodes {
                return Diagnostic(
                    "the file holds more than \(ConfigurationLimits.nodes) values (scalars, lists and mappings) by here; "
                        + "expected a smaller configuration", at: location, kind: .invalidYAML)
            }
            return nil
        }
    }
}
