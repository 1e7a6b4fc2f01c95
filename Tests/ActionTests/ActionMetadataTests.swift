import Foundation
import TestSupport
import Testing

/// What action.yml promises workflow authors, and the rules that keep its inputs away from a shell.
@Suite("action.yml")
struct ActionMetadataTests {
    let action: CompositeAction

    init() throws { action = try CompositeAction() }

    @Test("no input reaches a shell: no run script contains an expression, every input goes through env")
    func noExpressionInScripts() throws {
        for step in action.steps {
            let script = try #require(step["run"] as? String)
            #expect(!script.contains("${{"), "step \(step["name"] ?? "?") expands an expression inside its script: \(script)")
        }
    }

    @Test("the step that runs gantry execs it, so the runner's signals reach gantry itself")
    func runStepExecs() throws {
        let script = try #require(try action.step("gantry")["run"] as? String)
        #expect(script.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("exec "))
    }

    @Test("every input and output is described; inputs are kebab-case")
    func described() throws {
        for (name, input) in action.inputs {
            #expect(!"\(input["description"] ?? "")".isEmpty, "input \(name) has no description")
            #expect(name.allSatisfy { $0.isLowercase || $0 == "-" }, "input \(name) is not kebab-case")
        }
        for (name, output) in action.outputs {
            #expect(!"\(output["description"] ?? "")".isEmpty, "output \(name) has no description")
            #expect("\(output["value"] ?? "")".hasPrefix("${{ steps."), "output \(name) is not a step's output")
        }
    }

    @Test("the README's table of outputs lists exactly the outputs action.yml declares")
    func readmeListsOutputs() throws {
        let readme = try String(contentsOfFile: CompositeAction.root + "/README.md", encoding: .utf8)
        let section = try #require(readme.firstRange(of: "<!-- action-outputs -->").map { readme[$0.upperBound...] })
        let table = section[..<(section.firstRange(of: "<!-- /action-outputs -->")?.lowerBound ?? section.endIndex)]
        let listed = Set(table.matches(of: /\n\| `([a-z-]+)` \|/).map { String($0.1) })
        #expect(listed == Set(action.outputs.keys))
        let inputs = try #require(readme.firstRange(of: "<!-- action-inputs -->").map { readme[$0.upperBound...] })
        let inputTable = inputs[..<(inputs.firstRange(of: "<!-- /action-inputs -->")?.lowerBound ?? inputs.endIndex)]
        #expect(Set(inputTable.matches(of: /\n\| `([a-z-]+)` \|/).map { String($0.1) }) == Set(action.inputs.keys))
    }
}
