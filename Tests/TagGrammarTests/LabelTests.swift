import Foundation
import Testing

@testable import TagGrammar

@Suite("OCI labels")
struct LabelTests {
    private func labels(custom: [String], context: TagContext) throws -> [String] {
        try ImageLabels.labels(
            title: "Hello-World", description: "This your first repo!", url: "https://github.com/octocat/Hello-World",
            source: "https://github.com/octocat/Hello-World", version: "v1.1.1", created: Fixtures.instant,
            revision: context.effectiveSHA, licenses: "MIT", custom: custom, context: context
        ).map { "\($0.key)=\($0.value)" }
    }

    @Test("metadata-action test json07: custom labels override, entries without '=' are dropped, sorted by key")
    func json07() throws {
        let custom = [
            "foo", "maintainer=CrazyMax", "org.opencontainers.image.title=MyCustom=Title",
            "org.opencontainers.image.description=Another description", "org.opencontainers.image.vendor=MyCompany",
        ]
        #expect(
            try labels(custom: custom, context: try #require(Fixtures.named("tag_v1.1.1"))) == [
                "maintainer=CrazyMax",
                "org.opencontainers.image.created=2020-01-10T00:30:00.000Z",
                "org.opencontainers.image.description=Another description",
                "org.opencontainers.image.licenses=MIT",
                "org.opencontainers.image.revision=860c1904a1ce19322e91ac35af1ab07466440c37",
                "org.opencontainers.image.source=https://github.com/octocat/Hello-World",
                "org.opencontainers.image.title=MyCustom=Title",
                "org.opencontainers.image.url=https://github.com/octocat/Hello-World",
                "org.opencontainers.image.vendor=MyCompany",
                "org.opencontainers.image.version=v1.1.1",
            ])
    }

    @Test("metadata-action test json01: 'foo=' is kept empty, 'invalid' is dropped")
    func json01() throws {
        let result = try labels(custom: ["foo=", "invalid"], context: try #require(Fixtures.named("push_dev")))
        #expect(result.first == "foo=")
        #expect(!result.contains { $0.hasPrefix("invalid") })
        #expect(result.count == 9)
    }

    @Test("custom labels are templates; revision follows the pull request head option")
    func templates() throws {
        let context = try #require(Fixtures.named("pull_request", headSHAOption: true))
        let result = try labels(custom: ["ref={{base_ref}}@{{sha}}"], context: context)
        #expect(result.contains("org.opencontainers.image.revision=3370e228f2209994d57af4427fe64e71bb79ac96"))
        #expect(result.contains("ref=master@3370e22"))
    }

    @Test("a bad custom label template names its entry")
    func error() throws {
        #expect(
            throws: TagRuleError(
                "unknown name 'nope'; expected one of branch, tag, sha, base_ref, is_default_branch, is_not_default_branch, date, commit_date.",
                offset: 2, entryIndex: 1)
        ) {
            try labels(custom: ["a=b", "c={{nope}}"], context: Fixtures.context("push", "refs/heads/dev"))
        }
    }

    @Test("keys sort like JavaScript's localeCompare: case-insensitive, lower case first")
    func order() throws {
        let result = try labels(custom: ["B=1", "a=2", "b=3", "A=4", "_x=5", "1=6"], context: Fixtures.context("push", "refs/heads/dev"))
        #expect(Array(result.prefix(6)) == ["_x=5", "1=6", "a=2", "A=4", "b=3", "B=1"])
    }
}
