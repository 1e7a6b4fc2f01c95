import Foundation
import TestSupport
import Testing

@testable import Basics
@testable import Config
@testable import GantryKit
@testable import GitHubActions

/// Environment names: unique per run, attempt, job and runner, valid for compose, capped with a hash.
@Suite("Environment names")
struct EnvironmentNameTests {
    static var composeValid: Regex<Substring> { /^[a-z0-9][a-z0-9_-]*$/ }

    func name(runID: String = "1234", attempt: String = "1", job: String = "build", runner: String = "runner-1", template: String? = nil)
        -> String
    {
        let variables = [
            "GITHUB_ACTIONS": "true", "GITHUB_RUN_ID": runID, "GITHUB_RUN_ATTEMPT": attempt, "GITHUB_JOB": job,
            "GITHUB_REPOSITORY": "acme/monorepo", "GITHUB_EVENT_NAME": "push",
        ]
        return EnvironmentName.make(
            template: template ?? EnvironmentSettings.defaults.nameTemplate, context: ActionsContext.current(environment: variables),
            repositoryRoot: "/work/monorepo", environment: ["RUNNER_NAME": runner])
    }

    @Test("the default name holds the run, the attempt, the job and a hash of the runner")
    func defaultName() {
        #expect(name().wholeMatch(of: /gantry-1234-1-build-[0-9a-f]{6}/) != nil, "\(name())")
    }

    @Test("a re-run, another job and another matrix leg each get their own name")
    func unique() {
        let names = [name(), name(attempt: "2"), name(job: "e2e"), name(runner: "runner-2"), name(runID: "1235")]
        #expect(Set(names).count == names.count, "\(names)")
        #expect(name() == name(), "the same job on the same runner finds its environment again")
    }

    @Test("names are valid compose project names whatever the job is called")
    func composeValid() {
        for job in ["Build & Test", "UPPER_case", "--leading", "ünïcode/job", "a.b:c", "..."] {
            let made = name(job: job, template: "{job}")
            #expect(made.wholeMatch(of: Self.composeValid) != nil, "\(job) gave \(made)")
        }
        #expect(EnvironmentName.sanitized("CI Run #42 / Build:Linux") == "ci-run-42-build-linux")
        #expect(EnvironmentName.sanitized("!!!") == "gantry")
    }

    @Test("long names are cut to 63 characters and end in a hash of the whole")
    func capped() {
        let long = String(repeating: "integration-tests-", count: 6)
        let first = name(job: long + "linux")
        let second = name(job: long + "macos")
        for made in [first, second] {
            #expect(made.count == EnvironmentName.maximumLength)
            #expect(made.wholeMatch(of: Self.composeValid) != nil)
            #expect(made.suffix(9).wholeMatch(of: /-[0-9a-f]{8}/) != nil, "\(made)")
        }
        #expect(first != second, "names that share their first 63 characters stay apart")
        #expect(first.dropLast(9) == second.dropLast(9))
    }

    @Test("every run variable GitHub documents is a placeholder: run number, workflow, event, ref name, sha, actor, owner")
    func runVariables() throws {
        let variables = [
            "GITHUB_ACTIONS": "true", "GITHUB_RUN_ID": "1234", "GITHUB_RUN_NUMBER": "87", "GITHUB_RUN_ATTEMPT": "2", "GITHUB_JOB": "e2e",
            "GITHUB_WORKFLOW": "CI", "GITHUB_EVENT_NAME": "push", "GITHUB_REF_NAME": "main", "GITHUB_SHA": "0123456789abcdef0123",
            "GITHUB_ACTOR": "octocat", "GITHUB_REPOSITORY": "acme/monorepo", "GITHUB_REPOSITORY_OWNER": "acme",
        ]
        let template = "{run_number}.{run_attempt}.{workflow}.{event_name}.{ref_name}.{sha}.{actor}.{repository_owner}.{repository}"
        #expect(EnvironmentSettings.problem(withNameTemplate: template) == nil)
        let made = EnvironmentName.make(
            template: template, context: ActionsContext.current(environment: variables), repositoryRoot: "/work/monorepo",
            environment: variables.merging(["RUNNER_NAME": "runner-1"]) { first, _ in first })
        #expect(made == "87-2-ci-push-main-0123456-octocat-acme-monorepo")
        let local = EnvironmentName.make(
            template: "pr-{run_number}-{ref_name}", context: nil, repositoryRoot: "/work/monorepo", environment: [:])
        #expect(local == "pr-0-local")
    }

    @Test("a template with an unknown placeholder or an open brace is an error at its line and column")
    func templateErrors() {
        for (template, problem) in [
            (
                "ci-{run}",
                "uses {run}; expected {run_id}, {run_number}, {run_attempt}, {job}, {workflow}, {event_name}, {ref_name}, {sha}, {actor}, {repository}, {repository_owner}, {runner}"
            ),
            ("ci-{run_id", "has a `{` that is not closed"),
        ] {
            let yaml = "version: 1\nservices:\n  api: {paths: [api/**]}\nenvironment:\n  name: \"\(template)\"\n"
            do {
                _ = try Configuration(parsing: yaml, file: "gantry.yml")
                Issue.record("\(template) was accepted")
            } catch .invalidConfiguration(let diagnostics) {
                #expect(
                    diagnostics.map { "\($0.location.line):\($0.location.column): \($0.message)" } == ["5:9: `environment.name` \(problem)"]
                )
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }
}
