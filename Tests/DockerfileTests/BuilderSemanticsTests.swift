import Basics
import Testing

@testable import Dockerfile

/// Instructions whose reads follow the builder's rules where they look otherwise: quoting, flags
/// that do not read, sources that only look remote, fields the builder refuses.
@Suite("Builder semantics")
struct BuilderSemanticsTests {
    private func plan(_ text: String, _ arguments: [String: String] = [:]) throws -> BuildPlan {
        try BuildPlan(DockerfileSyntax(text: text, file: "Dockerfile"), buildArguments: arguments)
    }

    @Test func aMountFieldWithNoKeyFallsBackToTheWholeContextInsteadOfCrashing() throws {
        for mount in ["==", "=", "type=bind,=x", "=,source=app"] {
            let steps = try plan("FROM alpine\nRUN --mount=\(mount) true\n").steps
            #expect(steps.count == 2, "\(mount)")
            #expect(steps.last?.fallback?.contains("a field with no key") == true, "\(mount)")
        }
    }

    private func sources(_ text: String, _ arguments: [String: String] = [:]) throws -> [String] {
        try plan(text, arguments).steps.flatMap { $0.sources.map(\.path) }
    }

    @Test func quotedArgumentAndEnvironmentValuesLoseTheirQuotesAsTheBuilderRemovesThem() throws {
        let cases: [(dockerfile: String, sources: [String])] = [
            ("ARG SRC=\"libs/common\"\nFROM alpine\nARG SRC\nCOPY ${SRC} /lib\n", ["libs/common"]),
            ("FROM alpine\nARG NAME='src'\nCOPY $NAME /src\n", ["src"]),
            ("FROM alpine\nENV APP=\"services/api\"\nCOPY ${APP} /app\n", ["services/api"]),
            ("FROM alpine\nENV DIR=\"my app\" OTHER=x\nCOPY [\"$DIR\", \"/app\"]\n", ["my app"]),
            ("FROM alpine\nENV APP \"services/api\"\nCOPY $APP /app\n", ["services/api"]),
            ("FROM alpine\nENV APP services/'api'\nCOPY $APP /app\n", ["services/api"]),
            ("FROM alpine\nARG A=x\\ y\nCOPY [\"$A\", \"/app\"]\n", ["x y"]),
        ]
        for (dockerfile, expected) in cases {
            #expect(try sources(dockerfile) == expected, "\(dockerfile)")
        }
    }

    @Test func aLocalAddSourceEndingInDotGitIsAContextPathNotARepository() throws {
        let local = try plan("FROM alpine\nADD vendor/lib.git github.com/org/repo /lib/\n").steps[1]
        #expect(local.sources.map(\.path) == ["vendor/lib.git", "github.com/org/repo"])
        #expect(local.outside.isEmpty)
        let remote = try plan(
            """
            FROM alpine
            ADD git@github.com:org/repo.git https://github.com/org/repo.git#main ssh://git@host/repo git://host/repo https://example.com/x.tgz /x/

            """
        ).steps[1]
        #expect(remote.sources.isEmpty)
        #expect(
            remote.outside == [
                "the git repository git@github.com:org/repo.git", "the git repository https://github.com/org/repo.git#main",
                "the git repository ssh://git@host/repo", "the git repository git://host/repo", "the URL https://example.com/x.tgz",
            ])
    }

    @Test func aFlagThatDoesNotChangeWhatIsReadMayUseAnArgumentWithNoValue() throws {
        let chown = try plan("FROM alpine\nARG UID\nCOPY --chown=${UID} --chmod=$MODE req.txt /\n").steps[1]
        #expect(chown.fallback == nil)
        #expect(chown.sources.map(\.path) == ["req.txt"])
        let exclude = try plan("FROM alpine\nARG SKIP=*.md\nCOPY --exclude=$SKIP docs /docs\n").steps[1]
        #expect(exclude.fallback == nil)
        var budget = MatchBudget(limit: ConfigurationLimits.Dockerfile.matchSteps)
        #expect(try exclude.sources.first?.reads("docs/a.md", budget: &budget) == false)
        #expect(try exclude.sources.first?.reads("docs/a.json", budget: &budget) == true)
    }
}
