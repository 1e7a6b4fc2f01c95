import Basics
import Config
import TagGrammar
import Testing

/// The `tags`, `flavor` and `labels` settings of gantry.yml: read as metadata-action writes them,
/// and every mistake located at its character.
@Suite("Tag settings")
struct TagSettingsTests {
    func configuration(_ tail: String) throws(GantryError) -> Configuration {
        try Configuration(parsing: "version: 1\nservices:\n  api: {paths: [\"api/**\"]}\n" + tail, file: "gantry.yml")
    }

    func diagnostics(_ tail: String) -> [Diagnostic] {
        do {
            _ = try configuration(tail)
            return []
        } catch {
            guard case .invalidConfiguration(let diagnostics) = error else { return [] }
            return diagnostics
        }
    }

    @Test("no tags: metadata-action's default rules")
    func defaults() throws {
        let settings = try configuration("").tags
        #expect(settings.rules.isEmpty)
        #expect(settings.location == nil)
        #expect(settings.ruleSet.rules == TagRuleSet.defaultRules)
    }

    @Test("a YAML list and a block of lines read the same rules, comments and blank lines skipped")
    func listAndBlock() throws {
        let list = try configuration("tags:\n  - type=ref,event=branch\n  - type=sha\n").tags.rules.map(\.description)
        let block = try configuration("tags: |\n  type=ref,event=branch\n\n  # the commit\n  type=sha\n").tags.rules.map(\.description)
        #expect(list == ["type=ref,event=branch", "type=sha"])
        #expect(block == list)
    }

    @Test("an invalid rule in a list is reported at its line, at the column of the mistake")
    func invalidRuleInList() {
        let found = diagnostics("tags:\n  - type=sha\n  - type=semvar,pattern={{version}}\n")
        #expect(found.count == 1)
        #expect(found.first?.location.line == 6)
        // The rule starts at column 5; the unknown type at or after its `type=`.
        #expect((found.first?.location.column ?? 0) >= 5)
        #expect(found.first?.message.contains("semvar") == true)
    }

    @Test("an invalid rule in a block is reported at its own line")
    func invalidRuleInBlock() {
        let found = diagnostics("tags: |\n  type=sha\n  type=raw\n")
        #expect(found.count == 1)
        #expect(found.first?.location.line == 6)
        #expect(found.first?.location.column == 3)
    }

    @Test("a quoted rule's column counts the quote")
    func quotedRule() {
        let found = diagnostics("tags: [\"type=ref\"]\n")
        #expect(found.first?.location.line == 4)
        #expect(found.first?.location.column == 9)
    }

    @Test("a rule split at its commas by a [...] list is explained")
    func flowListCommas() {
        let found = diagnostics("tags: [type=ref,event=branch]\n")
        #expect(found.count == 2)
        #expect(found.allSatisfy { $0.message.contains("quote it, as \"type=ref,event=branch\"") })
    }

    @Test("an invalid flavor entry is located")
    func invalidFlavor() {
        let found = diagnostics("flavor:\n  - latest=auto\n  - latest=sometimes\n")
        #expect(found.count == 1)
        #expect(found.first?.location.line == 6)
        #expect(found.first?.message.contains("flavor") == true)
    }

    @Test("a service's own rules replace the top-level ones; flavor and labels stay shared")
    func serviceRules() throws {
        let configuration = try Configuration(
            parsing: """
                version: 1
                tags: [type=sha]
                flavor: [prefix=x-]
                labels: [org.opencontainers.image.vendor=Acme]
                services:
                  api: {paths: ["api/**"], tags: ["type=ref,event=branch", "type=tree"]}
                  web: {paths: ["web/**"]}

                """, file: "gantry.yml")
        let api = try #require(configuration.service(named: "api"))
        let web = try #require(configuration.service(named: "web"))
        #expect(configuration.tagSettings(for: api).rules.map(\.description) == ["type=ref,event=branch", "type=tree"])
        #expect(configuration.tagSettings(for: api).location?.line == 6)
        #expect(configuration.tagSettings(for: web).rules.map(\.description) == ["type=sha"])
        #expect(configuration.tagSettings(for: api).labels == ["org.opencontainers.image.vendor=Acme"])
        #expect(configuration.tagSettings(for: api).flavor == configuration.tags.flavor)
    }

    @Test("a service's invalid rule names the service's field")
    func invalidServiceRule() {
        let found = diagnostics("  web: {paths: [\"web/**\"], tags: [\"type=foo\"]}\n")
        #expect(found.first?.message.contains("services.web.tags") == true)
        #expect(found.first?.location.line == 4)
    }
}
