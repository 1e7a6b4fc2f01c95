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
}
