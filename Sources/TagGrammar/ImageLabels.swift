import Foundation

/// The OCI image labels metadata-action writes (§6 of the parity notes).
package enum ImageLabels {
    /// The standard `org.opencontainers.image.*` labels, then `custom` entries (`key=value`, rendered with the
    /// global templates; an entry without `=` is dropped; later entries override earlier ones and the
    /// standard ones), sorted by key. `created` is ISO-8601 UTC with milliseconds, e.g. `2020-01-10T00:30:00.000Z`.
    package static func labels(
        title: String, description: String, url: String, source: String, version: String, created: Date,
        revision: String, licenses: String, custom: [String], context: TagContext
    ) throws(TagRuleError) -> [(key: String, value: String)] {
        let utc = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? .current
        var labels: [String: String] = [
            "org.opencontainers.image.title": title,
            "org.opencontainers.image.description": description,
            "org.opencontainers.image.url": url,
            "org.opencontainers.image.source": source,
            "org.opencontainers.image.version": version,
            "org.opencontainers.image.created": MomentFormat.format(created, "YYYY-MM-DDTHH:mm:ss.SSS[Z]", in: utc),
            "org.opencontainers.image.revision": revision,
            "org.opencontainers.image.licenses": licenses,
        ]
        for (index, entry) in custom.enumerated() {
            let rendered: String
            do throws(TagRuleError) {
                rendered = context.render(try TagTemplate(parsing: entry, scope: .global))
            } catch {
                throw error.inEntry(index)
            }
            guard let equals = rendered.firstIndex(of: "=") else { continue }
            labels[String(rendered[..<equals])] = String(rendered[rendered.index(after: equals)...])
        }
        return labels.sorted { collationOrder($0.key, $1.key) }.map { (key: $0.key, value: $0.value) }
    }

    /// Approximates JavaScript's `localeCompare` (ICU root collation) for label keys: punctuation before
    /// digits before letters, letters compared ignoring case first, lower case before upper case on a tie.
    package static func collationOrder(_ left: String, _ right: String) -> Bool {
        func weights(_ text: String) -> [Int] {
            text.unicodeScalars.map { scalar in
                let value = Int(scalar.value)
                switch scalar {
                case "_": return 1
                case "-": return 2
                case ",", ";", ":", "!", "?": return 3 + Int(scalar.value)
                case ".": return 200
                case "0"..."9": return 1000 + value
                case "a"..."z": return 2000 + (value - 97) * 2
                case "A"..."Z": return 2000 + (value - 65) * 2
                default: return value < 128 ? 300 + value : 10000 + value
                }
            }
        }
        let leftWeights = weights(left), rightWeights = weights(right)
        if leftWeights != rightWeights { return leftWeights.lexicographicallyPrecedes(rightWeights) }
        // Same letters ignoring case: lower case first, as ICU's tertiary level does.
        return left.unicodeScalars.map { $0.properties.isUppercase ? 1 : 0 }
            .lexicographicallyPrecedes(right.unicodeScalars.map { $0.properties.isUppercase ? 1 : 0 })
    }
}
