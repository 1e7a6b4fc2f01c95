import Foundation
import TestSupport
import Testing

@testable import Basics
@testable import GantryKit

extension GateTests {
    @Suite("Gating every service at once, in depends_on order only where it says so")
    struct PreparedGatesTests {
        @Test("B depends on A and A's health fails: B's checks, and A's smoke and latency, are skipped with the reason")
        func dependencyFails() async throws {
            try await withTestServer(TestServer.answering { _ in (503, "") }) { a in
                let log = RequestLog()
                try await withTestServer(TestServer.answering(log: log) { _ in (200, "") }) { b in
                    let (document, elapsed) = try await runGates(
                        """
                          a:
                            paths: [a/**]
                            health: [{http: "${url}/", deadline: 1s}]
                            smoke: ["${url}/smoke"]
                            latency: {requests: 10}
                          b:
                            paths: [b/**]
                            depends_on: [a]
                            health: ["${url}/", {tcp: "127.0.0.1:${port}"}]
                            smoke: ["${url}/smoke"]

                        """, urls: ["a": a.url, "b": b.url])
                    expectOnSchedule(elapsed, .seconds(1))
                    #expect(!document.passed)
                    let verdicts = document.checks.map { "\($0.service) \($0.gate) \($0.verdict.rawValue)" }
                    #expect(verdicts == ["a health failed", "a smoke skipped", "b health skipped", "b health skipped", "b smoke skipped"])
                    // b's smoke checks name a too: b's own health checks never ran.
                    for skipped in document.checks.filter({ $0.verdict == .skipped }) {
                        #expect(skipped.message == "not run: `a` did not pass its health gate")
                        #expect(skipped.attempts == 0)
                    }
                    #expect(document.latency.map(\.verdict) == [.skipped])
                    #expect(document.latency.first?.message == "not run: `a` did not pass its health gate")
                    #expect(log.count == 0, "nothing of b was checked")
                }
            }
        }

        @Test("B depends on A: B's first request comes only after A's health gate has passed")
        func dependencyOrders() async throws {
            let serverA = try TestServer(listeningAfter: .milliseconds(500), TestServer.answering { _ in (200, "") })
            defer { #expect(serverA.stop()) }
            let log = RequestLog()
            try await withTestServer(TestServer.answering(log: log) { _ in (200, "") }) { b in
                let (document, _) = try await runGates(
                    "  a: {paths: [a/**], health: [\"${url}/\"]}\n  b: {paths: [b/**], depends_on: [a], health: [\"${url}/\"]}\n",
                    urls: ["a": serverA.url, "b": b.url])
                #expect(document.passed)
                let opened = try #require(serverA.startedListening)
                let first = try #require(log.arrivals.first)
                #expect(first > opened, "b was checked before a was ready")
                #expect(document.checks.last?.attempts == 1)
            }
        }

        @Test("independent services are gated at the same time: two ready after 1 s each take 1 s in all, not 2")
        func independentServicesConcurrently() async throws {
            let first = try TestServer(listeningAfter: .seconds(1), TestServer.answering { _ in (200, "") })
            let second = try TestServer(listeningAfter: .seconds(1), TestServer.answering { _ in (200, "") })
            defer {
                #expect(first.stop())
                #expect(second.stop())
            }
            let (document, elapsed) = try await runGates(
                "  one: {paths: [one/**], health: [\"${url}/\"]}\n  two: {paths: [two/**], health: [\"${url}/\", {tcp: \"127.0.0.1:${port}\"}]}\n",
                urls: ["one": first.url, "two": second.url])
            #expect(document.passed)
            #expect(document.checks.count == 3)
            #expect(elapsed >= .milliseconds(950) && elapsed < .milliseconds(1400), "took \(elapsed)")
        }

        @Test("${url} and ${port} resolve from the service's endpoint, as --url NAME=URL gives it")
        func endpointVariables() async throws {
            let log = RequestLog()
            let targets = TargetLog()
            try await withTestServer({ connection in
                while let request = connection.readRequest() {
                    _ = log.arrived()
                    targets.record(request.target)
                    guard connection.respond(status: 200) else { return }
                }
            }) { server in
                let (document, _) = try await runGates(
                    """
                      api:
                        paths: [api/**]
                        health: ["${url}/health", "http://127.0.0.1:${port}/by-port", {tcp: "127.0.0.1:${port}"}]

                    """, urls: ["api": server.url + "/"])
                #expect(document.passed)
                #expect(Set(targets.all) == ["/health", "/by-port"], "a trailing / on the URL is not doubled")
            }
        }

        /// A check whose variable has no value, and how the error must read.
        struct Unresolved: Sendable, CustomTestStringConvertible {
            var check: String
            var urls: [String: String]
            var message: String
            var testDescription: String { check }
        }

        static let unresolved: [Unresolved] = [
            Unresolved(
                check: "\"${url}/health\"", urls: [:],
                message:
                    "${url} in \"${url}/health\" has no value: no environment is up for `api`: run gantry env up first, or pass --url api=URL"
            ),
            Unresolved(
                check: "{http: {url: \"http://127.0.0.1:8080/\", headers: {Authorization: \"Bearer ${env.NOPE}\"}}}",
                urls: ["api": "http://127.0.0.1:8080"],
                message: "${env.NOPE} in \"Bearer ${env.NOPE}\" is not set in the environment"),
            Unresolved(
                check: "{command: \"curl ${env.NOPE}\"}", urls: ["api": "http://127.0.0.1:8080"],
                message: "${env.NOPE} in \"curl ${env.NOPE}\" is not set in the environment"),
        ]

        @Test("a variable without a value is a configuration error at the check's line, before any request", arguments: unresolved)
        func unresolvedVariable(_ case: Unresolved) async throws {
            let services =
                "  web:\n    paths: [web/**]\n    health: [\"http://127.0.0.1:1/\"]\n  api:\n    paths: [api/**]\n    health:\n      - \(`case`.check)\n"
            do {
                _ = try prepareGates(services, urls: `case`.urls, environment: ["HOME": "/root"])
                Issue.record("expected a configuration error")
            } catch GantryError.invalidConfiguration(let diagnostics) {
                #expect(diagnostics.map(\.message) == [`case`.message])
                #expect(diagnostics.map { "\($0.location.file):\($0.location.line):\($0.location.column)" } == ["gantry.yml:9:9"])
            }
        }

        @Test("${env.NAME} resolves from the environment given")
        func environmentVariable() async throws {
            let log = RequestLog()
            let targets = TargetLog()
            try await withTestServer({ connection in
                while let request = connection.readRequest() {
                    _ = log.arrived()
                    targets.record(request.header("Authorization") ?? "none")
                    guard connection.respond(status: 200) else { return }
                }
            }) { server in
                let (document, _) = try await runGates(
                    "  api:\n    paths: [api/**]\n    health: [{http: {url: \"${url}/\", headers: {Authorization: \"Bearer ${env.TOKEN}\"}}}]\n",
                    urls: ["api": server.url], environment: ["TOKEN": "s3cret"])
                #expect(document.passed)
                #expect(targets.all == ["Bearer s3cret"])
            }
        }
    }
}

/// Strings a server thread saw, such as request targets.
final class TargetLog: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String] = []

    /// Adds one.
    func record(_ value: String) { lock.withLock { values.append(value) } }
    /// Everything added, in order.
    var all: [String] { lock.withLock { values } }
}
