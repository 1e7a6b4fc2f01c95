import Basics

/// The `flavor` input: whether to add `latest`, and a prefix/suffix for every tag whose rule has none.
package struct Flavor: Sendable, Equatable {
    /// When the `latest` tag is added.
    package enum Latest: String, Sendable {
        /// The first rule that produces a tag decides, by its type (a release tag yes, a branch no).
        case automatic = "auto"
        /// Whenever any tag is produced.
        case always = "true"
        /// Never.
        case never = "false"
    }

    /// `latest=`.
    package private(set) var latest: Latest = .automatic
    /// `prefix=` as written (a template for tags; used verbatim in the `latest` tag).
    package private(set) var prefix = ""
    /// `suffix=` as written.
    package private(set) var suffix = ""
    /// `onlatest=true` after `prefix=`: the latest tag gets the prefix too.
    package private(set) var prefixesLatest = false
    /// `onlatest=true` after `suffix=`: the latest tag gets the suffix too.
    package private(set) var suffixesLatest = false
    package var prefixTemplate = TagTemplate(literal: "")
    package var suffixTemplate = TagTemplate(literal: "")

    /// `latest=auto`, no prefix or suffix.
    package static let automatic = Flavor()

    private init() {}

    /// Reads flavor entries; each may hold several comma-separated `key=value` fields, later ones win.
    package init(parsing entries: [String]) throws(TagRuleError) {
        self.init()
        for (index, entry) in entries.enumerated() {
            do throws(TagRuleError) {
                try read(entry)
            } catch {
                throw error.inEntry(index)
            }
        }
    }

    private mutating func read(_ entry: String) throws(TagRuleError) {
        // onlatest refers to the prefix or suffix given earlier in the same entry.
        var onLatestTarget: String?
        for field in try EntryFields.split(entry) {
            guard let key = field.key else {
                throw TagRuleError(
                    "'\(field.value)' has no '='; expected key=value with key latest, prefix, suffix or onlatest",
                    offset: field.keyOffset)
            }
            switch key {
            case "latest":
                guard let latest = Latest(rawValue: field.value) else {
                    throw TagRuleError("latest must be auto, true or false, not '\(field.value)'", offset: field.valueOffset)
                }
                self.latest = latest
            case "prefix", "suffix":
                let template: TagTemplate
                do throws(TagRuleError) {
                    template = try TagTemplate(parsing: field.value, scope: .global)
                } catch {
                    throw TagRuleError(error.message, offset: field.entryOffset(ofValueCharacter: error.offset))
                }
                if key == "prefix" {
                    (prefix, prefixTemplate) = (field.value, template)
                } else {
                    (suffix, suffixTemplate) = (field.value, template)
                }
                onLatestTarget = key
            case "onlatest":
                guard field.value == "true" || field.value == "false" else {
                    throw TagRuleError("onlatest must be true or false, not '\(field.value)'", offset: field.valueOffset)
                }
                if onLatestTarget == "prefix" { prefixesLatest = field.value == "true" }
                if onLatestTarget == "suffix" { suffixesLatest = field.value == "true" }
            default:
                let keys = ["latest", "prefix", "suffix", "onlatest"]
                throw TagRuleError(
                    "unknown flavor key '\(key)'; expected latest, prefix, suffix or onlatest."
                        + didYouMean(key, among: keys), offset: field.keyOffset)
            }
        }
    }
}
