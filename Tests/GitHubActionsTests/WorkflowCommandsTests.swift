import Basics
import GitHubActions
import Testing

@Suite("Annotations and workflow commands")
struct WorkflowCommandsTests {
    @Test("an annotation escapes its message and properties so nothing can end it early")
    func escaping() {
        let annotation = Annotation(
            .error, "100% broken\nnext line\r::warning::x", title: "a, b: c",
            location: SourceLocation(file: "dir,x/g:antry.yml", line: 3, column: 7))
        #expect(
            annotation.command
                == "::error file=dir%2Cx/g%3Aantry.yml,line=3,col=7,title=a%2C b%3A c::100%25 broken%0Anext line%0D::warning::x")
        #expect(!annotation.command.contains("\n"))
        #expect(Annotation(.notice, "plain").command == "::notice::plain")
    }

    @Test("at most ten of each level, the first ones, and one notice counts the rest")
    func limit() {
        let errors = (1...13).map { Annotation(.error, "error \($0)") }
        let warnings = (1...2).map { Annotation(.warning, "warning \($0)") }
        let commands = WorkflowCommands.commands(for: errors + warnings, where: "see the summary")
        #expect(commands.count == 13)
        #expect(commands.prefix(10) == (1...10).map { "::error::error \($0)" }[...])
        #expect(commands[10...11] == ["::warning::warning 1", "::warning::warning 2"])
        #expect(commands.last == "::notice::3 more errors not shown as annotations: see the summary")
        #expect(WorkflowCommands.commands(for: errors.prefix(10).map { $0 }, where: "x").count == 10)
    }

    @Test("a secret is masked with its newlines escaped, so it cannot end the command")
    func mask() {
        #expect(WorkflowCommands.mask("s3cr%t\nline2") == "::add-mask::s3cr%25t%0Aline2")
    }
}
