import Basics

/// Image tags as registries accept them: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
package enum TagName {
    /// The longest tag a registry accepts.
    package static let maximumLength = 128

    /// Makes `raw` a valid tag: runs of other characters become one `-`, leading `.` and `-` are
    /// dropped, and a tag over 128 characters is cut and ends in `-` and 8 hex digits of a hash of the
    /// whole raw text, so two long branch names that share a beginning still get different tags.
    /// Nil when nothing usable is left.
    package static func sanitized(_ raw: String) -> String? {
        var tag = ""
        var lastWasReplaced = false
        for scalar in raw.unicodeScalars {
            if isAllowed(scalar) {
                tag.unicodeScalars.append(scalar)
                lastWasReplaced = false
            } else if !lastWasReplaced {
                tag.append("-")
                lastWasReplaced = true
            }
        }
        tag = String(tag.drop { $0 == "." || $0 == "-" })
        guard !tag.isEmpty else { return nil }
        return tag.truncated(to: maximumLength, distinguishing: raw, trimming: ["-", "."])
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", ".", "-": true
        default: false
        }
    }
}
