import Basics
import Config
import Testing

@Suite("findings: accept: in gantry.yml")
struct AcceptanceConfigurationTests {
    static let services = "version: 1\nservices:\n  api: {paths: [\"api/**\"]}\n"

    @Test("entries with rule, tool, location, reason and until are read, in order, with their lines")
    func readsEntries() throws {
        let configuration = try Configuration(
            parsing: Self.services + """
                findings:
                  accept:
                    - rule: CVE-2024-3094
                      tool: Trivy
                      location: "ghcr.io/acme/*"
                      reason: the image never runs xz
                      until: 2025-06-30
                    - {rule: DL3008, reason: pinned by the base image, until: "2025-12-31"}
                """, file: "gantry.yml")
        let acceptances = configuration.findings.acceptances
        #expect(acceptances.map(\.rule) == ["CVE-2024-3094", "DL3008"])
        #expect(acceptances[0].tool == "Trivy")
        #expect(acceptances[0].location?.text == "ghcr.io/acme/*")
        #expect(acceptances[0].until == CalendarDay("2025-06-30"))
        #expect(acceptances[0].source.line == 6)
        #expect(acceptances[1].until == CalendarDay("2025-12-31"))
    }

    @Test("a missing rule, reason or until, a bad date, an unknown key or a bad glob is an error at its place")
    func badEntries() {
        let found = problems(
            Self.services + """
                findings:
                  accept:
                    - rule: CVE-1
                      reason: r
                    - rule: CVE-2
                      reason: r
                      until: 30/06/2025
                    - rule: CVE-3
                      reasons: r
                      until: 2025-06-30
                    - rule: CVE-4
                      reason: r
                      until: 2025-06-30
                      location: "/abs/**"
                  reject: []
                """)
        #expect(found.contains("6:7: `findings.accept[0]` needs `until`, such as until: 2025-06-30"))
        #expect(
            found.contains("10:14: `findings.accept[1].until` must be a date written YYYY-MM-DD, such as 2025-06-30; got \"30/06/2025\""))
        #expect(found.contains { $0.hasPrefix("12:7: unknown key `reasons` in `findings.accept[2]`; did you mean `reason`?") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("11:7: `findings.accept[2]` needs `reason`") })
        #expect(found.contains { $0.hasPrefix("17:17: invalid glob \"/abs/**\" in `findings.accept[3].location`") })
        #expect(found.contains { $0.hasPrefix("18:3: unknown key `reject` in `findings`") })
    }

    @Test("accept must be a list, and at most the limit of entries")
    func shapeAndLimit() {
        #expect(
            problems(Self.services + "findings:\n  accept: {rule: CVE-1}\n").first?.hasPrefix("5:11: `findings.accept` must be a list")
                == true)
        let many = (0...ConfigurationLimits.acceptances).map { "    - {rule: R\($0), reason: r, until: 2025-01-01}" }.joined(
            separator: "\n")
        let found = problems(Self.services + "findings:\n  accept:\n" + many + "\n")
        #expect(found == ["\(6 + ConfigurationLimits.acceptances):7: more than 1000 accepted risks; expected at most 1000"])
    }
}
