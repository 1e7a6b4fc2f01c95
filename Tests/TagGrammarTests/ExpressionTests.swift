import Testing

@testable import TagGrammar

@Suite("${{ }} expressions pasted from workflows")
struct ExpressionTests {
    /// A push of develop, with the payload's default branch and a repository as the runner gives them.
    static func context(_ ref: String = "refs/heads/develop", event: String = "push") -> TagContext {
        var context = Fixtures.context(event, ref)
        context.runValues = [
            "repository": .string("Acme/Monorepo"),
            "event": .object([
                "repository": .object(["default_branch": .string("main")]), "commits": .array([.object(["id": .string("abc")])]),
            ]),
        ]
        return context
    }

    static func tags(_ rule: String, _ context: TagContext = context()) throws -> [String] {
        try evaluate([rule], in: context).tags
    }

    @Test("enable=${{ github.ref == 'refs/heads/develop' }}, as metadata-action's README writes it, turns the rule on and off")
    func enableByBranch() throws {
        let rule = "type=raw,value=dev,enable=${{ github.ref == 'refs/heads/develop' }}"
        #expect(try Self.tags(rule) == ["dev"])
        #expect(try evaluate([rule, "type=sha"], in: Self.context("refs/heads/main")).tags == ["sha-860c190"])
    }

    @Test("the functions and operators rules use, with Actions' rules: strings without case, && and || giving an operand")
    func semantics() throws {
        #expect(
            try Self.tags("type=raw,value=t,enable=${{ startsWith(github.ref, 'refs/heads/') && github.event_name != 'pull_request' }}")
                == ["t"])
        #expect(try Self.tags("type=raw,value=t,enable=${{ endsWith(github.ref, 'LOP') }}") == ["t"])
        #expect(try Self.tags("type=raw,value=t,enable=${{ contains(github.ref, 'devel') || false }}") == ["t"])
        #expect(
            try Self.tags(
                "type=raw,value=t,enable=${{ !(github.ref == format('refs/heads/{0}', github.event.repository.default_branch)) }}") == ["t"]
        )
        #expect(try Self.tags("type=raw,value=${{ github.ref_name }}-${{ github.ref_type }}") == ["develop-branch"])
        #expect(try Self.tags("type=raw,value=${{ github.event_name == 'push' && 'pushed' || 'other' }}") == ["pushed"])
        #expect(
            try Self.tags("type=raw,value=${{ github.event.commits[0].id }}-${{ github.event['repository'].default_branch }}") == [
                "abc-main"
            ])
        #expect(try Self.tags("type=raw,value=v,prefix=${{ format('{0}-{1}-', 'a', github.ref_name) }}") == ["a-develop-v"])
        let braces = try TagTemplate(parsing: "${{ format('{{{0}}}', 'x') }}", scope: .global)
        #expect(Self.context().render(braces) == "{x}")
        #expect(try Self.tags("type=raw,value=n,enable=${{ 1 == '1' && 2 > 1 && null == 0 && 'A' == 'a' }}") == ["n"])
        // The same expression on the default branch: it is not develop, so the rule gives nothing.
        let main = Self.context("refs/heads/main")
        #expect(try evaluate(["type=raw,value=t,enable=${{ github.ref_name == 'develop' }}", "type=raw,value=x"], in: main).tags == ["x"])
    }

    @Test("a tag rule's ${{ }} keeps its commas: startsWith(github.ref, 'refs/tags/') is not split into two fields")
    func commasInside() throws {
        let rule = "type=raw,value=release,enable=${{ startsWith(github.ref, 'refs/tags/') }}"
        #expect(try Self.tags(rule, Self.context("refs/tags/v1.0.0")) == ["release"])
    }

    @Test(
        "outside the subset: a located error that says what is supported",
        arguments: [
            ParseErrorCase(
                rule: "type=raw,value=x,enable=${{ vars.DEPLOY == 'true' }}",
                message: "'vars' is not available in gantry.yml: gantry evaluates the github context only", at: "vars"),
            ParseErrorCase(
                rule: "type=raw,value=x,enable=${{ github.reff == 'x' }}", message: "unknown property 'github.reff'", at: "github"),
            ParseErrorCase(rule: "type=raw,value=${{ github.token }}", message: "unknown property 'github.token'", at: "github"),
            ParseErrorCase(
                rule: "type=raw,value=x,enable=${{ toJSON(github) }}",
                message: "unknown function 'toJSON'; gantry supports startsWith, endsWith, contains, format.", at: "toJSON"),
            ParseErrorCase(
                rule: "type=raw,value=x,enable=${{ github.ref = 'x' }}", message: "unexpected '=' in the expression (compare with ==)",
                at: "= 'x'"),
            ParseErrorCase(
                rule: "type=raw,value=x,enable=${{ github.ref == \"x\" }}", message: "Actions strings take single quotes", at: "\"x"),
            ParseErrorCase(rule: "type=raw,value=x,enable=${{ github.ref == 'x'", message: "'${{' is never closed", at: "${{"),
            ParseErrorCase(
                rule: "type=raw,value=${{ format('{1}', github.ref) }}", message: "format's pattern uses {1} but has 1 argument after it",
                at: "format"),
            ParseErrorCase(rule: "type=raw,value=${{ startsWith(github.ref) }}", message: "startsWith takes 2 arguments", at: "startsWith"),
            ParseErrorCase(
                rule: "type=ref,event=${{ github.event_name }}", message: "${{ … }} is evaluated in value, enable, prefix, suffix only",
                at: "${{"),
            ParseErrorCase(rule: "type=raw,value=${{ }}", message: "'${{ }}' is empty", at: "${{"),
        ])
    func unsupported(_ example: ParseErrorCase) {
        do {
            let rule = try TagRule(parsing: example.rule)
            Issue.record("parsed as \(rule)")
        } catch {
            #expect(error.message.contains(example.message), "\(error.message)")
            #expect(error.offset == example.expectedOffset, "\(error.message)")
        }
    }

    @Test("nesting is bounded: 10,000 parentheses or !s are an error, not a crash")
    func boundedNesting() {
        for deep in [
            String(repeating: "(", count: 10_000) + "true" + String(repeating: ")", count: 10_000),
            String(repeating: "!", count: 10_000) + "true",
        ] {
            #expect(throws: TagRuleError.self) { try TagRule(parsing: "type=raw,value=x,enable=${{ \(deep) }}") }
        }
        #expect(throws: Never.self) { try TagRule(parsing: "type=raw,value=x,enable=${{ ((((!!true)))) }}") }
    }
}
