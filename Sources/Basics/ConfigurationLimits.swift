/// The sizes past which gantry refuses a configuration, each with an error at the place it is
/// passed. `gantry.yml` comes from pull requests, so without them a small file could hang or crash
/// a runner; each is far beyond what a real monorepo writes. The README's Configuration section
/// lists them under "Limits". A glob's length is `PathPattern.maximumLength`, which the matcher
/// enforces itself.
package enum ConfigurationLimits {
    /// The largest file, in bytes: 1 MiB.
    package static let fileSize = 1 << 20
    /// The values (scalars, lists and mappings) a file may hold, an alias counting as every value it
    /// repeats, so that aliases of aliases cannot multiply a small file into a huge document.
    package static let nodes = 100_000
    /// The services a file may define.
    package static let services = 1000
    /// The groups a file may define.
    package static let groups = 1000
    /// The accepted risks (`findings: accept:`) a file may list.
    package static let acceptances = 1000
    /// A tag rule, flavor entry or label, in characters.
    package static let ruleLength = 4096
    /// The instructions a regular expression of a tag rule may compile to (`\d{8}` is 8 of them);
    /// with the matched text's length it bounds the time a match takes.
    package static let patternSize = 2000
    /// How deeply the groups of a regular expression may nest.
    package static let patternNesting = 32
    /// The steps one match of a regular expression may take (a step is one instruction at one
    /// character); a match that would take more is cut off, and the rule says so.
    package static let matchSteps = 250_000
}

/// The sizes past which gantry refuses another tool's SARIF file (`gantry findings`), which comes
/// from a scanner's output and is read as hostile input. The README's Commands section lists them.
package enum SARIFLimits {
    /// The largest file, in bytes: 64 MiB, several times what Trivy writes for a large image.
    package static let fileSize = 64 << 20
    /// How deeply its arrays and objects may nest; SARIF itself needs about ten levels.
    package static let nesting = 64
    /// The runs one file may hold.
    package static let runs = 1000
    /// The rules one tool component may declare.
    package static let rules = 100_000
    /// The results one file may hold.
    package static let results = 100_000
    /// The characters kept of a message or description; the rest is cut, with an ellipsis.
    package static let textLength = 2000
}
