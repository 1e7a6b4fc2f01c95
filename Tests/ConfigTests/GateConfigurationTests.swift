import Testing

@testable import Basics
@testable import Config

/// Parses a configuration whose service `api` has the given lines (indented by four spaces), after
/// optional top-level `gates`; returns its diagnostics as `file:line:col: message`, empty when valid.
private func problems(api lines: String, gates: String? = nil) -> [String] {
    do {
        _ = try configuration(api: lines, gates: gates)
        return []
    } catch .invalidConfiguration(let diagnostics) {
        return diagnostics.map { "\($0.location.file):\($0.location.line):\($0.location.column): \($0.message)" }
    } catch {
        Issue.record("unexpected error \(error)")
        return []
    }
}

/// A configuration with one service, `api`, on lines 4 on (5 on with `gates`).
private func configuration(api lines: String, gates: String? = nil) throws(GantryError) -> Configuration {
    let yaml = "version: 1\n" + (gates.map { "gates: \($0)\n" } ?? "") + "services:\n  api:\n    paths: [api/**]\n" + lines
    return try Configuration(parsing: yaml, file: "gantry.yml")
}

/// The health checks of `api`.
private func health(_ lines: String, gates: String? = nil) throws -> [GateCheck] {
    try #require(try configuration(api: "    health:\n" + lines, gates: gates).service(named: "api")).gates.health
}

@Suite("Reading gates in gantry.yml")
struct GateConfigurationTests {
    /// A mistake in a check and the error it must give, at its line and column. The check is line 6.
    static let mistakes: [(check: String, problem: String)] = [
        (
            #"{http: "${url}/", deadlin: 1s}"#,
            "6:27: unknown key `deadlin` in `services.api.health[0]`; did you mean `deadline`? (expected one of: name, http, tcp, command, tls, expect, insecure, ca, follow_redirects, allow_other_hosts, hostname, min_days_valid, spki_sha256, deadline, attempts, interval, max_interval, request_timeout, success_threshold, failure_threshold)"
        ),
        ("{name: nothing}", "6:9: `services.api.health[0]` must have exactly one of `http`, `tcp`, `tls` or `command`; found none"),
        (
            #"{http: "${url}/", tcp: "127.0.0.1:1"}"#,
            "6:9: `services.api.health[0]` must have exactly one of `http`, `tcp`, `tls` or `command`; found `http` and `tcp`"
        ),
        (
            #"{http: "${url}/", deadline: 5}"#,
            "6:37: `services.api.health[0].deadline` must be a duration such as 500ms, 5s or 2m, got the number 5"
        ),
        (
            #"{http: "${url}/", request_timeout: 0s}"#,
            "6:44: `services.api.health[0].request_timeout` must be a duration such as 500ms, 5s or 2m, got the string \"0s\""
        ),
        (#"{http: "${url}/", expect: {status: 700}}"#, "6:44: `services.api.health[0].expect.status` must be from 100 to 599; got 700"),
        (
            #"{http: "${url}/", expect: {status: [200, ok]}}"#,
            "6:50: `services.api.health[0].expect.status` must be a whole number, got the string \"ok\""
        ),
        (
            #"{http: "${url}/", expect: {body_matches: "(["}}"#,
            "6:50: `services.api.health[0].expect.body_matches` is not a valid regular expression: \"([\""
        ),
        (
            #"{http: "${url}/", expect: {json: {"status": ok}}}"#,
            "6:43: invalid JSON path `status` in `services.api.health[0].expect.json`: a path starts with $, such as $.status"
        ),
        (
            #"{http: "${url}/", expect: {json: {"$.a[x]": ok}}}"#,
            "6:43: invalid JSON path `$.a[x]` in `services.api.health[0].expect.json`: `[x]` must hold an index such as [0] or a quoted name such as [\"a b\"]"
        ),
        (
            #"{http: "${url}/", expect: {statis: 200}}"#,
            "6:36: unknown key `statis` in `services.api.health[0].expect`; did you mean `status`? (expected one of: status, headers, body_contains, body_matches, json, max_latency)"
        ),
        (
            #"{tcp: "127.0.0.1:${port}", expect: {status: 200}}"#,
            "6:36: `expect` applies to `http` checks only; a tcp check passes when it succeeds"
        ),
        (
            #"{command: "true", expect: {status: 200}}"#,
            "6:27: `expect` applies to `http` checks only; a command check passes when it succeeds"
        ),
        (
            #"{http: "${url}/", interval: 2s, max_interval: 1s}"#,
            "6:55: `services.api.health[0].max_interval` must be at least the interval (2.0 s)"
        ),
        (#"{tcp: localhost}"#, "6:15: `services.api.health[0].tcp` must be host:port, such as 127.0.0.1:${port}; got \"localhost\""),
        (#""${nope}/health""#, "6:10: `services.api.health[0]`: unknown variable ${nope} (expected ${url}, ${port} or ${env.NAME})"),
        (
            #""${ur}/health""#,
            "6:10: `services.api.health[0]`: unknown variable ${ur}; did you mean ${url}? (expected ${url}, ${port} or ${env.NAME})"
        ),
        (
            #"{http: {url: "${url}/", method: get}}"#,
            "6:41: `services.api.health[0].http.method` must be an HTTP method in capitals, such as GET or POST; got \"get\""
        ),
        (#"{http: {method: POST}}"#, "6:16: `services.api.health[0].http` needs a `url`, such as url: \"${url}/api/health\""),
        (#"{http: "${url}/", success_threshold: 0}"#, "6:46: `services.api.health[0].success_threshold` must be from 1 to 1000; got 0"),
        (#"{http: "${url}/", attempts: 0}"#, "6:37: `services.api.health[0].attempts` must be from 1 to 100000; got 0"),
        (#"{http: "${url}/", insecure: yes}"#, "6:37: `services.api.health[0].insecure` must be true or false, got the string \"yes\""),
        (#"{http: "${url}/", follow_redirects: 50}"#, "6:45: `services.api.health[0].follow_redirects` must be from 0 to 20; got 50"),
    ]

    @Test("a mistake in a check is an error at its line and column that says what was expected", arguments: mistakes)
    func checkMistakes(check: String, problem: String) {
        #expect(problems(api: "    health:\n      - \(check)\n") == ["gantry.yml:" + problem])
    }

    @Test("mistakes in gates, smoke and latency are located and explained too")
    func otherMistakes() {
        #expect(
            problems(api: "", gates: "{deadline: 5, interval: 1s, max_interval: 500ms, bogus: 1}") == [
                "gantry.yml:2:19: `gates.deadline` must be a duration such as 500ms, 5s or 2m, got the number 5",
                "gantry.yml:2:50: `gates.max_interval` must be at least the interval (1.0 s)",
                "gantry.yml:2:57: unknown key `bogus` in `gates` (expected one of: deadline, attempts, interval, max_interval, request_timeout, success_threshold, failure_threshold)",
            ])
        #expect(
            problems(api: "    smoke: 3\n") == [
                "gantry.yml:5:12: `services.api.smoke` must be an http:// or https:// URL, such as \"${url}/health\"; got \"3\""
            ])
        #expect(
            problems(api: "    smoke: \"${url}/\"\n    health: {tcp: \"127.0.0.1:${port}\"}\n") == [],
            "one check without a list is a list of one")
        #expect(
            problems(api: "    latency: {requests: 0, concurrency: 5000, error_rate: 2, p95: 3, p90: 1s}\n") == [
                "gantry.yml:5:25: `services.api.latency.requests` must be from 1 to 1000000; got 0",
                "gantry.yml:5:41: `services.api.latency.concurrency` must be from 1 to 1000; got 5000",
                "gantry.yml:5:59: `services.api.latency.error_rate` must be a fraction from 0 to 1, such as 0.01; got the number 2",
                "gantry.yml:5:67: `services.api.latency.p95` must be a duration such as 500ms, 5s or 2m, got the number 3",
                "gantry.yml:5:70: unknown key `p90` in `services.api.latency`; did you mean `p50`? (expected one of: http, requests, rate, duration, concurrency, p50, p95, p99, error_rate, request_timeout)",
            ])
    }

    @Test("the open model: rate and duration set the schedule and the number of requests")
    func openModel() throws {
        let latency = try #require(
            try configuration(api: "    latency: {rate: 500/s, duration: 10s, concurrency: 50, p99: 300ms}\n").services[0].gates.latency)
        #expect(latency.arrivals == ArrivalSchedule(rate: 500, duration: .seconds(10)))
        #expect(latency.requests == 5000 && latency.concurrency == 50 && latency.p99 == .milliseconds(300))
        let closed = try #require(try configuration(api: "    latency: {requests: 10}\n").services[0].gates.latency)
        #expect(closed.arrivals == nil, "the closed model stays the default")
    }

    @Test("the open model's mistakes are located at the key's value and say what was expected")
    func openModelMistakes() {
        #expect(
            problems(api: "    latency: {rate: 500, duration: 10s}\n") == [
                "gantry.yml:5:21: `services.api.latency.rate` must be requests a second from 1/s to 100000/s, such as 500/s; got the number 500"
            ])
        #expect(
            problems(api: "    latency: {rate: 500/s}\n") == [
                "gantry.yml:5:21: `services.api.latency.rate` needs a `duration`, how long requests fall due, such as duration: 10s"
            ])
        #expect(
            problems(api: "    latency: {duration: 10s}\n") == [
                "gantry.yml:5:25: `services.api.latency.duration` belongs to the open model: give a `rate` too, such as rate: 500/s, or count requests with `requests`"
            ])
        #expect(
            problems(api: "    latency: {requests: 10, rate: 5/s, duration: 1s}\n") == [
                "gantry.yml:5:25: `services.api.latency.requests` is the closed model's count; with `rate`, rate × duration requests are sent: remove one of them"
            ])
        #expect(
            problems(api: "    latency: {rate: 100000/s, duration: 1h}\n") == [
                "gantry.yml:5:41: `services.api.latency.rate` × `duration` is 360000000 requests; it must be from 1 to 1000000"
            ])
    }

    @Test("a bare string is a GET that must answer 2xx or 3xx, with the default timing")
    func bareStringShorthand() throws {
        let check = try #require(try health("      - \"${url}/api/health\"\n").first)
        #expect(check.name == "GET ${url}/api/health")
        guard case .http(let request) = check.action else {
            Issue.record("expected an HTTP check, got \(check.action)")
            return
        }
        #expect(request.method == "GET" && request.url.text == "${url}/api/health" && request.headers.isEmpty && request.body == nil)
        #expect(!request.isInsecure && request.maximumRedirects == 0 && !request.allowsRedirectsToOtherHosts)
        #expect(check.expectation == .success)
        #expect(check.timing == .defaults)
        #expect(check.location.line == 6 && check.location.column == 9)
    }

    @Test("the defaults notice a ready local service within 0.2 s and send at most 5 requests a second, for up to 2 minutes")
    func defaults() {
        #expect(GateTiming.defaults.interval == .milliseconds(200))
        #expect(GateTiming.defaults.maximumInterval == .milliseconds(200))
        #expect(GateTiming.defaults.effectiveDeadline == .seconds(120))
        #expect(GateTiming.defaults.requestTimeout == .seconds(5))
        #expect(GateTiming.defaults.successThreshold == 1)
        #expect(GateTiming.defaults.failureThreshold == nil)
    }

    @Test("gates sets every check's timing; a check overrides it key by key")
    func timingOverrides() throws {
        let checks = try health(
            """
                  - "${url}/"
                  - {http: "${url}/", deadline: 10s, success_threshold: 2}
                  - {tcp: "127.0.0.1:${port}", interval: 50ms}
                  - {command: "true", max_interval: 8s, request_timeout: 1s, failure_threshold: 4}

            """,
            gates: "{deadline: 30s, interval: 500ms, max_interval: 4s, request_timeout: 2s, success_threshold: 1, failure_threshold: 3}")
        let shared = GateTiming(
            deadline: .seconds(30), interval: .milliseconds(500), maximumInterval: .seconds(4), requestTimeout: .seconds(2),
            successThreshold: 1, failureThreshold: 3)
        #expect(
            checks.map(\.timing) == [
                shared,
                GateTiming(
                    deadline: .seconds(10), interval: .milliseconds(500), maximumInterval: .seconds(4), requestTimeout: .seconds(2),
                    successThreshold: 2, failureThreshold: 3),
                GateTiming(
                    deadline: .seconds(30), interval: .milliseconds(50), maximumInterval: .seconds(4), requestTimeout: .seconds(2),
                    successThreshold: 1, failureThreshold: 3),
                GateTiming(
                    deadline: .seconds(30), interval: .milliseconds(500), maximumInterval: .seconds(8), requestTimeout: .seconds(1),
                    successThreshold: 1, failureThreshold: 4),
            ])
    }

    @Test("attempts without a deadline are not cut short by the default deadline; with one, whichever ends first")
    func attemptsBesideDeadline() throws {
        let checks = try health(
            """
                  - {http: "${url}/", attempts: 30, interval: 10s}
                  - {http: "${url}/", attempts: 30, interval: 10s, deadline: 1m}
                  - "${url}/"

            """)
        #expect(checks.map(\.timing.attempts) == [30, 30, nil])
        // 30 attempts of at most 5 s, 10 s apart: the default 2 minutes would end them after 12.
        #expect(checks[0].timing.effectiveDeadline == .seconds(450))
        #expect(checks[1].timing.effectiveDeadline == .seconds(60))
        #expect(checks[2].timing.effectiveDeadline == GateTiming.defaultDeadline)
        let inherited = try #require(try health("      - \"${url}/\"\n", gates: "{attempts: 5}").first).timing
        #expect(inherited.attempts == 5)
    }

    @Test("an interval alone is a fixed interval; max_interval alone backs off from the default interval")
    func intervalAlone() throws {
        let fixed = try #require(try health("      - \"${url}/\"\n", gates: "{interval: 1s}").first).timing
        #expect(fixed.interval == .seconds(1) && fixed.maximumInterval == .seconds(1))
        let backOff = try #require(try health("      - \"${url}/\"\n", gates: "{max_interval: 2s}").first).timing
        #expect(backOff.interval == .milliseconds(200) && backOff.maximumInterval == .seconds(2))
    }

    @Test("smoke checks fail at their first failure by default; health checks wait for the deadline; gates may say otherwise for both")
    func failureThresholdDefaults() throws {
        let lines = "    health: [\"${url}/\"]\n    smoke: [\"${url}/smoke\", {http: \"${url}/slow\", failure_threshold: 2}]\n"
        let plain = try #require(try configuration(api: lines).service(named: "api")).gates
        #expect(plain.health.map(\.timing.failureThreshold) == [nil])
        #expect(plain.smoke.map(\.timing.failureThreshold) == [1, 2])
        let configured = try #require(try configuration(api: lines, gates: "{failure_threshold: 3}").service(named: "api")).gates
        #expect(configured.health.map(\.timing.failureThreshold) == [3])
        #expect(configured.smoke.map(\.timing.failureThreshold) == [3, 2])
    }

    @Test("a full HTTP check: request, expectations, TLS and redirect settings")
    func fullCheck() throws {
        let check = try #require(
            try configuration(
                api: """
                        smoke:
                          - name: list videos
                            http: {method: POST, url: "${url}/api/videos", headers: {Accept: application/json}, body: "{}"}
                            expect: {status: [200, 201], headers: {Content-Type: application/json}, body_contains: items,
                                     body_matches: "\\"id\\": *1", json: {"$.count": 2, "$.ok": true, "$.name": "x"}, max_latency: 500ms}
                            ca: certs/ca.pem
                            follow_redirects: 3
                            allow_other_hosts: true

                    """
            ).service(named: "api")?.gates.smoke.first)
        #expect(check.name == "list videos")
        #expect(check.location.line == 6)
        guard case .http(let request) = check.action else {
            Issue.record("expected an HTTP check")
            return
        }
        #expect(request.method == "POST" && request.url.text == "${url}/api/videos" && request.body?.text == "{}")
        #expect(request.headers.map(\.name) == ["Accept"] && request.headers.map(\.value.text) == ["application/json"])
        #expect(request.certificateAuthorityFile == "certs/ca.pem" && !request.isInsecure)
        #expect(request.maximumRedirects == 3 && request.allowsRedirectsToOtherHosts)
        #expect(check.expectation.statuses == [200, 201])
        #expect(check.expectation.headers.map(\.name) == ["Content-Type"])
        #expect(check.expectation.bodyContains == "items")
        #expect(check.expectation.bodyMatches == "\"id\": *1")
        #expect(check.expectation.json.map(\.path) == ["$.count", "$.ok", "$.name"])
        #expect(check.expectation.json.map(\.value) == [.number(2), .bool(true), .string("x")])
        #expect(check.expectation.maximumLatency == .milliseconds(500))
    }

    @Test("a latency gate defaults to 100 GETs of the service's URL, 10 at a time, no errors allowed")
    func latencyDefaults() throws {
        let gate = try #require(try configuration(api: "    latency: {p95: 300ms}\n").service(named: "api")?.gates.latency)
        #expect(gate.requests == 100 && gate.concurrency == 10 && gate.errorRate == 0)
        #expect(gate.check.url.text == "${url}" && gate.check.method == "GET")
        #expect(gate.p95 == .milliseconds(300) && gate.p50 == nil && gate.p99 == nil)
        #expect(gate.requestTimeout == .seconds(5))
        let small = try #require(
            try configuration(api: "    latency: {requests: 5, concurrency: 50}\n").service(named: "api")?.gates.latency)
        #expect(small.concurrency == 5, "never more at once than there are requests")
    }
}
