import Foundation
import TestSupport
import Testing

@testable import Basics
@testable import GantryKit
@testable import Reports

extension GateTests {
    @Suite("HTTP checks against servers that misbehave on purpose")
    struct HTTPProbeTests {
        @Test("503 then 200: the check passes at the first 200, and says after how many attempts")
        func unavailableThenReady() async throws {
            try await withTestServer(TestServer.answering { $0 <= 3 ? (503, "warming up") : (200, "ok") }) { server in
                let (result, _) = try await runCheck("{http: \"${url}/health\", deadline: 5s}", url: server.url)
                #expect(result.verdict == .passed)
                #expect(result.attempts == 4)
                #expect(result.status == 200)
                #expect(result.body == "ok")
                let ready = try #require(result.timeToReady)
                #expect(ready >= 0.6 && ready < 0.9, "three 200 ms intervals, got \(ready) s")
                #expect(result.message.hasPrefix("passed after 4 attempts, in "))
                #expect(result.timings.map { $0.total > 0 && $0.total >= $0.firstByte } == true)
            }
        }

        @Test("always 503: fails at the deadline with the status, the attempts, the time and the start of the body")
        func alwaysUnavailable() async throws {
            try await withTestServer(TestServer.answering { _ in (503, "warming up\nstill") }) { server in
                let (result, elapsed) = try await runCheck("{http: \"${url}/\", expect: {status: 200}, deadline: 1s}", url: server.url)
                #expect(result.verdict == .failed)
                expectOnSchedule(elapsed, .seconds(1))
                #expect((5...6).contains(result.attempts), "an attempt every 200 ms for 1 s, got \(result.attempts)")
                #expect(result.status == 503)
                #expect(result.body == "warming up\\nstill", "escaped, on one line")
                #expect(
                    result.message.wholeMatch(
                        of: #/expected status 200, got 503 after \d attempts over 1\.[0-2] s; last body: warming up\\nstill/#) != nil,
                    "\(result.message)")
                #expect(result.message.contains("after \(result.attempts) attempts"))
                #expect(result.timeToReady == nil)
            }
        }

        @Test("a server that accepts and never answers: each attempt is cut at request_timeout, the check fails at the deadline")
        func neverAnswers() async throws {
            let log = RequestLog()
            try await withTestServer({ connection in
                guard connection.readRequest() != nil else { return }
                _ = log.arrived()
                connection.waitUntilClosed()
            }) { server in
                let (result, elapsed) = try await runCheck("{http: \"${url}/\", request_timeout: 300ms, deadline: 1s}", url: server.url)
                #expect(result.verdict == .failed)
                expectOnSchedule(elapsed, .seconds(1))
                // 0–0.3 s, a 200 ms pause, 0.5–0.8 s, a pause to the deadline.
                #expect(result.attempts == 2)
                #expect(log.count == 2)
                #expect(result.status == nil)
                #expect(
                    result.message.wholeMatch(of: #/no response from 127\.0\.0\.1:\d+ within 300 ms after 2 attempts over 1\.[0-2] s/#)
                        != nil, "\(result.message)")
            }
        }

        @Test("headers and a body that never ends: fails at the deadline")
        func unfinishedBody() async throws {
            try await withTestServer({ connection in
                guard connection.readRequest() != nil else { return }
                connection.send("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial")
                connection.waitUntilClosed()
            }) { server in
                let (result, elapsed) = try await runCheck("{http: \"${url}/\", deadline: 1s}", url: server.url)
                #expect(result.verdict == .failed)
                expectOnSchedule(elapsed, .seconds(1))
                #expect(result.attempts == 1, "the deadline cuts the first attempt, whose own timeout is 5 s")
                #expect(
                    result.message.wholeMatch(
                        of: #/response from 127\.0\.0\.1:\d+ not complete within 1\.0 s after 1 attempt over 1\.[0-2] s/#) != nil,
                    "\(result.message)")
            }
        }

        @Test("a 10 GB Content-Length and an endless body: the check ends at once, in bounded memory, and cannot check the body")
        func endlessBody() async throws {
            try await withTestServer({ connection in
                while connection.readRequest() != nil {
                    guard connection.send("HTTP/1.1 200 OK\r\nContent-Length: 10000000000\r\n\r\n") else { return }
                    let chunk = [UInt8](repeating: UInt8(ascii: "z"), count: 64 * 1024)
                    while connection.send(chunk) {}
                }
            }) { server in
                let before = try residentMemory()
                let (document, elapsed) = try await runGates(
                    """
                      api:
                        paths: [api/**]
                        health: ["${url}/", {http: "${url}/", expect: {body_contains: needle}, failure_threshold: 1}]

                    """, urls: ["api": server.url])
                let growth = try residentMemory() - before
                #expect(elapsed < .seconds(2))
                #expect(growth < 32 << 20, "resident memory grew by \(growth >> 20) MiB")
                let (plain, contains) = (document.checks[0], document.checks[1])
                #expect(plain.verdict == .passed, "a status check needs no more than the 256 KiB kept")
                #expect(plain.body == String(repeating: "z", count: 300) + " …")
                #expect(contains.verdict == .failed)
                #expect(contains.message.hasPrefix("the body is over 256 KiB, too long to check after 1 attempt over "))
            }
        }

        @Test("a redirect loop fails clearly at follow_redirects")
        func redirectLoop() async throws {
            try await withTestServer({ connection in
                var hop = 0
                while connection.readRequest() != nil {
                    hop += 1
                    guard connection.respond(status: 302, reason: "Found", headers: [("Location", "/hop\(hop)")]) else { return }
                }
            }) { server in
                let (result, _) = try await runCheck("{http: \"${url}/\", follow_redirects: 3}", url: server.url, gate: "smoke")
                #expect(result.verdict == .failed)
                #expect(result.message.hasPrefix("more than 3 redirects"), "\(result.message)")
                #expect(result.attempts == 1)

                let unfollowed = try await runCheck("{http: \"${url}/\"}", url: server.url, gate: "smoke").result
                #expect(unfollowed.verdict == .passed, "without follow_redirects a 302 is the answer, and 3xx passes")
                #expect(unfollowed.status == 302)
            }
        }

        @Test("a redirect to another host is refused unless allow_other_hosts, and the other host is never contacted")
        func redirectToOtherHost() async throws {
            let elsewhere = RequestLog()
            try await withTestServer(TestServer.answering(log: elsewhere) { _ in (200, "elsewhere") }) { target in
                try await withTestServer({ connection in
                    while connection.readRequest() != nil {
                        guard connection.respond(status: 302, reason: "Found", headers: [("Location", "http://localhost:\(target.port)/")])
                        else { return }
                    }
                }) { origin in
                    let refused = try await runCheck("{http: \"${url}/\", follow_redirects: 2}", url: origin.url, gate: "smoke").result
                    #expect(refused.verdict == .failed)
                    #expect(
                        refused.message.contains("127.0.0.1:\(origin.port)") && refused.message.contains("localhost:\(target.port)"),
                        "\(refused.message)")
                    #expect(elsewhere.count == 0)

                    let allowed = try await runCheck(
                        "{http: \"${url}/\", follow_redirects: 2, allow_other_hosts: true}", url: origin.url, gate: "smoke"
                    ).result
                    #expect(allowed.verdict == .passed)
                    #expect(allowed.body == "elsewhere")
                    #expect(elsewhere.count == 1)
                }
            }
        }

        @Test("a self-signed certificate fails by default with a TLS message, passes with insecure (shown) or with its CA file")
        func selfSignedCertificate() async throws {
            let repository = try TemporaryDirectory(prefix: "gantry-gate-tls")
            try await withTLSTestServer { server in
                try FileManager.default.createDirectory(atPath: repository.url("certs"), withIntermediateDirectories: true)
                try FileManager.default.copyItem(atPath: server.certificateFile, toPath: repository.url("certs/ca.pem"))
                let (document, _) = try await runGates(
                    """
                      api:
                        paths: [api/**]
                        smoke:
                          - {name: verified, http: "${url}/"}
                          - {name: insecure, http: "${url}/", insecure: true}
                          - {name: absolute ca, http: "${url}/", ca: "\(server.certificateFile)"}
                          - {name: relative ca, http: "${url}/", ca: certs/ca.pem}

                    """, urls: ["api": server.url], directory: repository.path)
                let results = Dictionary(uniqueKeysWithValues: document.checks.map { ($0.name, $0) })
                let verified = try #require(results["verified"])
                #expect(verified.verdict == .failed)
                #expect(verified.message.hasPrefix("certificate of 127.0.0.1:\(server.port) not trusted"), "\(verified.message)")
                #expect(!verified.isInsecure)
                let insecure = try #require(results["insecure"])
                #expect(insecure.verdict == .passed)
                #expect(insecure.isInsecure)
                #expect(insecure.timings.map { $0.tlsHandshake > 0 } == true)
                for name in ["absolute ca", "relative ca"] {
                    let trusted = try #require(results[name])
                    #expect(trusted.verdict == .passed, "\(name): \(trusted.message)")
                    #expect(!trusted.isInsecure)
                }
                #expect(GatesReport(document).text().contains("`api` smoke `insecure`: passed at the first attempt"))
                #expect(GatesReport(document).text().contains("(TLS not verified: insecure)"))
            }
        }

        @Test("garbage instead of HTTP fails as such")
        func garbage() async throws {
            try await withTestServer({ connection in
                guard connection.readRequest() != nil else { return }
                connection.send([0x53, 0x53, 0x48, 0x2D, 0x32, 0x00, 0xFF, 0xFE, 0x0D, 0x0A] + Array(repeating: 0xAB, count: 5000))
            }) { server in
                let (result, _) = try await runCheck("\"${url}/\"", url: server.url, gate: "smoke")
                #expect(result.verdict == .failed)
                #expect(
                    result.message.hasPrefix("127.0.0.1:\(server.port) did not answer with valid HTTP after 1 attempt over "),
                    "\(result.message)")
            }
        }

        @Test("headers over 64 KiB fail as such")
        func hugeHeaders() async throws {
            try await withTestServer({ connection in
                while connection.readRequest() != nil {
                    var head = "HTTP/1.1 200 OK\r\n"
                    for index in 0..<2000 { head += "X-Filler-\(index): \(String(repeating: "h", count: 60))\r\n" }
                    guard connection.send(head + "Content-Length: 0\r\n\r\n") else { return }
                }
            }) { server in
                let (result, _) = try await runCheck("\"${url}/\"", url: server.url, gate: "smoke")
                #expect(result.verdict == .failed)
                #expect(
                    result.message.hasPrefix("response headers from 127.0.0.1:\(server.port) exceed 64 KiB after 1 attempt"),
                    "\(result.message)")
            }
        }

        /// An expectation, a response that does not meet it, and how the failure must read.
        struct Mismatch: Sendable, CustomTestStringConvertible {
            var expect: String
            var headers: [(String, String)] = []
            var body: String
            var message: String
            var testDescription: String { "expect \(expect)" }
        }

        static let mismatches: [Mismatch] = [
            Mismatch(
                expect: #"{json: {"$.status": healthy}}"#, body: #"{"status":"starting"}"#,
                message: #"expected $.status = "healthy", got "starting""#),
            Mismatch(
                expect: #"{json: {"$.checks[0].ok": true}}"#, body: #"{"checks":[{"ok":false}]}"#,
                message: "expected $.checks[0].ok = true, got false"),
            Mismatch(
                expect: #"{json: {"$.status": healthy}}"#, body: #"{"state":"healthy"}"#,
                message: #"expected $.status = "healthy", got nothing there"#),
            Mismatch(
                expect: #"{json: {"$.status": healthy}}"#, body: "<html>healthy</html>", message: "expected a JSON body, got something else"
            ),
            Mismatch(expect: "{status: [200, 204]}", body: "", message: "expected status 200 or 204, got 202"),
            Mismatch(expect: "{body_contains: items}", body: #"{"videos":[]}"#, message: #"expected the body to contain "items""#),
            Mismatch(expect: #"{body_matches: "\"id\": *1"}"#, body: #"{"id": 2}"#, message: #"expected the body to match /"id": *1/"#),
            Mismatch(
                expect: "{headers: {Content-Type: application/json}}", headers: [("Content-Type", "text/html")], body: "",
                message: "expected header Content-Type: application/json, got text/html"),
            Mismatch(expect: "{headers: {X-Ready: yes}}", body: "", message: "expected header X-Ready: yes, got none"),
        ]

        @Test("a response that does not meet the expectation fails, saying what was expected and what came back", arguments: mismatches)
        func expectationFailures(mismatch: Mismatch) async throws {
            let status = mismatch.expect.contains("status") ? 202 : 200
            try await withTestServer({ connection in
                while connection.readRequest() != nil {
                    guard connection.respond(status: status, headers: mismatch.headers, body: Array(mismatch.body.utf8)) else { return }
                }
            }) { server in
                let (result, _) = try await runCheck("{http: \"${url}/\", expect: \(mismatch.expect)}", url: server.url, gate: "smoke")
                #expect(result.verdict == .failed)
                #expect(result.attempts == 1, "a smoke check fails at its first failure")
                #expect(result.message.hasPrefix(mismatch.message + " after 1 attempt over "), "\(result.message)")
                #expect(result.status == status)
            }
        }

        @Test("a response that meets every expectation at once passes")
        func everyExpectationMet() async throws {
            try await withTestServer({ connection in
                while connection.readRequest() != nil {
                    let body = #"{"status": "healthy", "items": [{"id": 1}]}"#
                    guard connection.respond(status: 200, headers: [("Content-Type", "application/json")], body: Array(body.utf8)) else {
                        return
                    }
                }
            }) { server in
                let expect =
                    #"{status: [200], headers: {content-type: application/json}, body_contains: items, body_matches: "\"id\": *1", json: {"$.status": healthy, "$.items[0].id": 1}, max_latency: 1s}"#
                let (result, _) = try await runCheck("{http: \"${url}/\", expect: \(expect)}", url: server.url, gate: "smoke")
                #expect(result.verdict == .passed, "\(result.message)")
            }
        }

        @Test("a response slower than max_latency fails, with the time it took")
        func slowerThanMaximumLatency() async throws {
            try await withTestServer(TestServer.answering(delay: .milliseconds(150)) { _ in (200, "ok") }) { server in
                let (result, _) = try await runCheck("{http: \"${url}/\", expect: {max_latency: 50ms}}", url: server.url, gate: "smoke")
                #expect(result.verdict == .failed)
                #expect(
                    result.message.wholeMatch(of: #/took 1\d\d ms, over the 50 ms limit after 1 attempt over 1\d\d ms; last body: ok/#)
                        != nil, "\(result.message)")
            }
        }

        @Test(
            "IPv6 loopback: http://[::1]:PORT/ and tcp [::1]:PORT",
            .enabled(if: TestServer.isIPv6LoopbackAvailable, "this machine has no IPv6 loopback (::1)"))
        func ipv6() async throws {
            try await withTestServer(address: .ipv6, TestServer.answering { _ in (200, "six") }) { server in
                #expect(server.url == "http://[::1]:\(server.port)")
                let (document, _) = try await runGates(
                    "  api:\n    paths: [api/**]\n    health: [\"http://[::1]:${port}/\", {tcp: \"[::1]:${port}\"}, \"${url}/\"]\n",
                    urls: ["api": server.url])
                #expect(document.checks.map(\.verdict) == [.passed, .passed, .passed])
                #expect(document.checks[0].body == "six")
            }
        }
    }
}
