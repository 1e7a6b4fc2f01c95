import Foundation
import TestSupport
import Testing

/// `gantry gate` as a person and a workflow run it: the real binary against real servers on 127.0.0.1.
@Suite("gantry gate")
struct GateCommandTests {
    let fixture: GitFixture

    /// A repository whose `api` has one health check on line 7 and one smoke check on line 9.
    init() throws {
        fixture = try GitFixture()
        try fixture.commit(files: [
            "gantry.yml": """
            version: 1
            gates: {deadline: 1s}
            services:
              api:
                paths: ["services/api/**"]
                health:
                  - "${url}/health"
                smoke:
                  - {name: list videos, http: "${url}/videos", expect: {status: 200, body_contains: items}}

            """,
            "services/api/app.py": "1",
        ])
    }

    func gantry(_ arguments: [String], _ actions: ActionsEnvironment? = nil) throws -> CommandResult {
        try runGantry(arguments, in: fixture.path, variables: actions?.variables ?? [:])
    }

    /// A server that answers every request with `status` and `body`.
    static func answering(_ status: Int, _ body: String) -> TestServer.Behaviour {
        { connection in
            while connection.readRequest() != nil {
                guard connection.respond(status: status, headers: [("Content-Type", "application/json")], body: Array(body.utf8)) else {
                    return
                }
            }
        }
    }

    @Test("--http URL --expect-status 200: exit 0 when it answers 200, exit 1 and the reason when it does not")
    func adHocCheck() throws {
        try withTestServer(Self.answering(200, "ok")) { ready in
            let passed = try gantry(["gate", "--http", ready.url + "/health", "--expect-status", "200"])
            #expect(passed.status == 0, "\(passed.standardError)")
            #expect(passed.standardOutput.hasPrefix("✓ `GET \(ready.url)/health`: passed at the first attempt, in "))
            #expect(passed.standardOutput.hasSuffix("the one gate passed\n"))
        }
        try withTestServer(Self.answering(503, "{\"status\": \"starting\"}")) { unavailable in
            let failed = try gantry(["gate", "--http", unavailable.url + "/health", "--expect-status", "200", "--deadline", "1s"])
            #expect(failed.status == 1)
            let line = try #require(failed.standardOutput.split(separator: "\n").first.map(String.init))
            #expect(
                line.wholeMatch(
                    of:
                        #/✗ `GET http://127\.0\.0\.1:\d+/health`: expected status 200, got 503 after \d+ attempts over 1\.\d s; last body: \{"status": "starting"\} \[dns .*total .*\]/#
                ) != nil, "\(line)")
            #expect(failed.standardOutput.hasSuffix("1 of 1 gate did not pass\n"))
        }
    }

    @Test("a command check's ${env.NAME} reaches the shell as data: a hostile value prints, and runs nothing")
    func environmentValueInCommandIsData() throws {
        let hostile = "x; touch PWNED $(touch PWNED2)"
        let result = try runGantry(
            ["gate", "--command", "printf '%s' \"${env.HOSTILE}\" > seen.txt", "--failure-threshold", "1"], in: fixture.path,
            variables: ["HOSTILE": hostile])
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        #expect(try String(contentsOfFile: fixture.path + "/seen.txt", encoding: .utf8) == hostile)
        #expect(!FileManager.default.fileExists(atPath: fixture.path + "/PWNED"))
        #expect(!FileManager.default.fileExists(atPath: fixture.path + "/PWNED2"))
    }

    @Test("--attempts 2 --interval 100ms: the check fails after two attempts, without waiting for the default deadline")
    func attemptsFlag() throws {
        let closed = try ClosedPort()
        let clock = ContinuousClock()
        let start = clock.now
        let failed = try gantry(["gate", "--tcp", "127.0.0.1:\(closed.port)", "--attempts", "2", "--interval", "100ms"])
        #expect(failed.status == 1)
        #expect(clock.now - start < .seconds(5))
        let over = failed.standardOutput.firstMatch(of: #/refused \(attempts: 2\) after 2 attempts over (\d+) ms/#)
        #expect(over.flatMap { Int($0.1) }.map { $0 >= 100 } == true, "the interval is waited: \(failed.standardOutput)")
    }

    @Test("on a terminal the verdict marks are coloured; with NO_COLOR, or into a pipe, they are not")
    func colourOnATerminal() throws {
        let closed = try ClosedPort()
        let command = "'\(try gantryExecutable())' gate --tcp 127.0.0.1:\(closed.port) --attempts 1"
        var environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "TERM": "xterm"]
        // script(1) runs the command on a pseudo-terminal, as a person's shell does.
        let terminal = try runCommand("script", ["-qec", command, "/dev/null"], in: fixture.path, environment: environment)
        #expect(terminal.standardOutput.contains("\u{1B}[31m✗\u{1B}[0m `tcp 127.0.0.1:\(closed.port)`"), "\(terminal.standardOutput)")
        environment["NO_COLOR"] = "1"
        let plain = try runCommand("script", ["-qec", command, "/dev/null"], in: fixture.path, environment: environment)
        #expect(plain.standardOutput.contains("✗ `tcp") && !plain.standardOutput.contains("\u{1B}["), "\(plain.standardOutput)")
        let piped = try gantry(["gate", "--tcp", "127.0.0.1:\(closed.port)", "--attempts", "1"])
        #expect(piped.standardOutput.hasPrefix("✗ `tcp") && !piped.standardOutput.contains("\u{1B}["))
    }

    @Test("--format json prints the results alone, with stable keys")
    func json() throws {
        try withTestServer(Self.answering(200, "{\"status\": \"ok\"}")) { server in
            let result = try gantry(["gate", "--http", server.url + "/", "--expect-json", "$.status=\"ok\"", "--format", "json"])
            #expect(result.status == 0, "\(result.standardError)")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
            #expect(Set(document.keys) == ["checks", "latency"])
            let check = try #require((document["checks"] as? [[String: Any]])?.first)
            #expect(check["verdict"] as? String == "passed")
            #expect(check["status"] as? Int == 200)
            #expect(check["attempts"] as? Int == 1)
            #expect(check["gate"] as? String == "check")
            #expect(check["insecure"] as? Bool == false)
            #expect(check["time_to_ready"] is Double)
            #expect(Set((check["timings"] as? [String: Any])?.keys.map { $0 } ?? []) == ["dns", "connect", "tls", "first_byte", "total"])
        }
    }

    @Test("under Actions: outputs, an annotation and a SARIF result at the failing check's line, and a Gates section in the summary")
    func underActions() throws {
        try withTestServer({ connection in
            while let request = connection.readRequest() {
                let body = request.target == "/health" ? "ok" : "{\"videos\": []}"
                guard connection.respond(status: 200, body: Array(body.utf8)) else { return }
            }
        }) { server in
            let actions = try ActionsEnvironment(eventName: "push", payload: [:], workspace: fixture.path)
            let sarif = actions.directory.url("gate.sarif")
            let result = try gantry(["gate", "--url", "api=\(server.url)", "--sarif", sarif], actions)
            #expect(result.status == 1, "\(result.standardError)")
            #expect(actions.outputs["passed"] == "false")
            let json = try #require(actions.outputs["json"])
            let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            #expect((document["checks"] as? [[String: Any]])?.compactMap { $0["verdict"] as? String } == ["passed", "failed"])

            let annotations = workflowCommands(in: result)
            #expect(annotations.count == 1)
            #expect(annotations.first?.hasPrefix("::error file=gantry.yml,line=9,col=9,") == true, "\(annotations)")
            #expect(annotations.first?.contains("expected the body to contain \"items\" after 1 attempt over ") == true)

            let log = try String(contentsOfFile: sarif, encoding: .utf8)
            #expect(try sarifSchemaErrors(of: log) == [])
            let run = try #require(
                ((try JSONSerialization.jsonObject(with: Data(log.utf8)) as? [String: Any])?["runs"] as? [[String: Any]])?.first)
            let results = try #require(run["results"] as? [[String: Any]])
            #expect(results.count == 1)
            #expect(results.first?["ruleId"] as? String == "gantry/gate/smoke-failed")
            let location = (results.first?["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
            #expect((location?["artifactLocation"] as? [String: Any])?["uri"] as? String == "gantry.yml")
            #expect((location?["region"] as? [String: Any])?["startLine"] as? Int == 9)

            let summary = try gantry(["summary"], actions)
            #expect(summary.status == 0)
            let markdown = try String(contentsOfFile: try #require(actions.variables["GITHUB_STEP_SUMMARY"]), encoding: .utf8)
            #expect(markdown.contains("### Gates"))
            let html = try CmarkGFM.html(markdown)
            #expect(html.contains("<td>list videos</td>"))
        }
    }

    @Test("a hostile server body cannot issue a workflow command, set an output or break the summary")
    func hostileBody() throws {
        let hostile =
            "down\n::error::x\n::set-output name=passed::true\n</details></td></tr></table><script>alert(1)</script>|`|\r\n::warning::y"
        try withTestServer(Self.answering(503, hostile)) { server in
            let actions = try ActionsEnvironment(eventName: "push", payload: [:], workspace: fixture.path)
            let result = try gantry(["gate", "--url", "api=\(server.url)"], actions)
            #expect(result.status == 1)
            let annotations = workflowCommands(in: result)
            #expect(annotations.count == 1, "\(annotations)")
            #expect(annotations.allSatisfy { $0.hasPrefix("::error file=gantry.yml,line=7,") }, "\(annotations)")
            #expect(actions.outputs["passed"] == "false")
            #expect(Set(actions.outputs.keys) == ["passed", "json"])

            let summary = try gantry(["summary"], actions)
            #expect(workflowCommands(in: summary) == [])
            let markdown = try String(contentsOfFile: try #require(actions.variables["GITHUB_STEP_SUMMARY"]), encoding: .utf8)
            let html = try CmarkGFM.html(markdown)
            #expect(!html.contains("<script"))
            #expect(html.components(separatedBy: "<details").count == html.components(separatedBy: "</details>").count)
            // Two checks, two rows: the body stays inside its cell.
            #expect(html.components(separatedBy: "<tr>").count - 1 == 3, "a header row and two checks")
        }
    }

    @Test("a ${url} without an environment or --url stops gate before any request, at the check's line")
    func unresolvedURL() throws {
        let result = try gantry(["gate"])
        #expect(result.status == 2)
        #expect(
            result.standardError.contains(
                "gantry.yml:7:9: ${url} in \"${url}/health\" has no value: no environment is up for `api`: run gantry env up first, or pass --url api=URL"
            ),
            "\(result.standardError)")
    }
}
