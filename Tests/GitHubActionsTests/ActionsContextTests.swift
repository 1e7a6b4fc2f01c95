import Basics
import Foundation
import GitHubActions
import TestSupport
import Testing

@Suite("Reading the GitHub Actions context")
struct ActionsContextTests {
    @Test("is absent outside GitHub Actions")
    func outsideActions() throws {
        #expect(ActionsContext.current(environment: ["HOME": "/root"]) == nil)
    }

    @Test("reads the event, its payload and the run's variables")
    func insideActions() throws {
        let actions = try ActionsEnvironment(
            eventName: "push",
            payload: [
                "before": String(repeating: "a", count: 40), "ref": "refs/heads/main", "forced": true,
                "repository": [
                    "default_branch": "main", "html_url": "https://github.com/acme/monorepo",
                    "description": "Videos", "license": ["spdx_id": "MIT"],
                ],
            ],
            workspace: "/src", sha: String(repeating: "b", count: 40), ref: "refs/heads/main")
        actions.set("ACT", "true")
        let context = try #require(ActionsContext.current(environment: actions.variables))
        #expect(context.payloadProblem == nil)
        #expect(context.eventName == "push")
        #expect(context.payload.before == String(repeating: "a", count: 40))
        #expect(context.payload.forced == true)
        #expect(context.defaultBranch == "main")
        #expect(context.payload.repository?.htmlURL == "https://github.com/acme/monorepo")
        #expect(context.payload.repository?.description == "Videos")
        #expect(context.payload.repository?.license?.spdxID == "MIT")
        #expect(context.sha == String(repeating: "b", count: 40))
        #expect(context.runID == "1234")
        #expect(context.runAttempt == "1")
        #expect(context.job == "build")
        #expect(context.workspace == "/src")
        #expect(context.isAct)
    }

    @Test("explains a missing payload file")
    func missingPayload() throws {
        let actions = try ActionsEnvironment(eventName: "push", payload: [:], workspace: "/src")
        actions.set("GITHUB_EVENT_PATH", "/nonexistent/event.json")
        let context = try #require(ActionsContext.current(environment: actions.variables))
        #expect(
            context.payloadProblem
                == .invalidContext(
                    "cannot read the push event payload at /nonexistent/event.json (GITHUB_EVENT_PATH): the file is missing or unreadable"))
        // Everything but the event is still there, for the commands that do not need it.
        #expect(context.runnerTemporaryDirectory == actions.directory.path)
        actions.set("GITHUB_EVENT_PATH", nil)
        #expect(ActionsContext.current(environment: actions.variables)?.payloadProblem != nil)
    }

    @Test("explains a payload that is not JSON, or has fields of the wrong type")
    func malformedPayload() throws {
        let actions = try ActionsEnvironment(eventName: "pull_request", payload: [:], workspace: "/src")
        let path = actions.variables["GITHUB_EVENT_PATH"]!
        try Data("{\"pull_request\": ".utf8).write(to: URL(fileURLWithPath: path))
        #expect(
            "\(ActionsContext.current(environment: actions.variables)!.payloadProblem!)".hasPrefix(
                "the pull_request event payload at \(path) is not valid JSON"))
        try Data("{\"pull_request\": {\"base\": {\"sha\": 42}}}".utf8).write(to: URL(fileURLWithPath: path))
        #expect(
            ActionsContext.current(environment: actions.variables)?.payloadProblem
                == .invalidContext(
                    "the pull_request event payload at \(path) is malformed: `pull_request.base.sha` should be a string"))
    }

    @Test("a payload whose top level is not an object says so, not \"`` should be an object\"")
    func topLevelNotAnObject() throws {
        let actions = try ActionsEnvironment(eventName: "push", payload: [:], workspace: "/src")
        let path = actions.variables["GITHUB_EVENT_PATH"]!
        for payload in ["[1, 2]", "\"push\"", "42", "null"] {
            try Data(payload.utf8).write(to: URL(fileURLWithPath: path))
            #expect(
                ActionsContext.current(environment: actions.variables)?.payloadProblem
                    == .invalidContext("the push event payload at \(path) is malformed: its top level should be an object"), "\(payload)")
        }
    }
}
