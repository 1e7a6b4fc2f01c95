import Foundation
import HTTP
import TestSupport
import Testing

/// Performs `request` on a fresh session, expecting it to fail; returns the error and how long it took.
private func failure(
    of request: HTTPRequest,
    sourceLocation: SourceLocation = #_sourceLocation
) async -> (error: HTTPError, elapsed: Duration)? {
    let clock = ContinuousClock()
    let start = clock.now
    do {
        let response = try await HTTPSession().perform(request)
        Issue.record("expected a failure, got status \(response.status)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return (error, clock.now - start)
    }
}

/// Values a server thread observed, read back by the test thread.
private final class Recorder<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Value] = []

    func record(_ value: Value) { lock.withLock { values.append(value) } }
    var all: [Value] { lock.withLock { values } }
}

/// Bytes whose position is recognisable, so a truncated body can be checked byte for byte.
private func pattern(count: Int) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
        for index in 0..<count { buffer[index] = UInt8(truncatingIfNeeded: index &* 7 &+ index >> 8) }
        initialized = count
    }
}

extension HTTPSessionTests {
    /// How a request is configured and a result read, one session per request: what `HTTPSession`
    /// shares with every transfer, against servers that misbehave on purpose. Nested in
    /// `HTTPSessionTests`, so that it runs serialized and alone, as its deadlines need.
    @Suite("HTTP requests and responses against real servers")
    struct Exchange {
        @Test("a 200 with a body and headers")
        func okResponse() async throws {
            let requests = Recorder<ReceivedRequest>()
            try await withTestServer { connection in
                guard let request = connection.readRequest() else { return }
                requests.record(request)
                connection.respond(
                    status: 200,
                    headers: [("Content-Type", "text/plain"), ("X-Trace-ID", "abc123"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")],
                    body: Array("hello, gantry".utf8))
            } test: { server in
                let response = try await HTTPSession().perform(HTTPRequest(url: server.url + "/status?x=1"))
                #expect(response.status == 200)
                #expect(response.body == Array("hello, gantry".utf8))
                #expect(!response.isBodyTruncated)
                #expect(response.value(forHeader: "x-trace-id") == "abc123")
                #expect(response.value(forHeader: "CONTENT-TYPE") == "text/plain")
                #expect(response.values(forHeader: "set-cookie") == ["a=1", "b=2"])
                #expect(response.value(forHeader: "X-Missing") == nil)
                #expect(response.headers.map(\.name) == ["Content-Type", "X-Trace-ID", "Set-Cookie", "Set-Cookie", "Content-Length"])
                #expect(response.timings.total > .zero)
                #expect(response.timings.connect <= response.timings.total)
                #expect(response.timings.firstByte <= response.timings.total)
                #expect(response.timings.tlsHandshake == .zero)
                #expect(requests.all.map(\.method) == ["GET"])
                #expect(requests.all.map(\.target) == ["/status?x=1"])
            }
        }

        @Test("a POST body and a custom header reach the server")
        func postEcho() async throws {
            try await withTestServer { connection in
                guard let request = connection.readRequest() else { return }
                connection.respond(
                    status: 201, reason: "Created",
                    headers: [("X-Method", request.method), ("X-Echo", request.header("X-Gantry-Run") ?? "missing")],
                    body: request.body)
            } test: { server in
                let payload = Array(#"{"job":"build","attempt":2}"#.utf8)
                let response = try await HTTPSession().perform(
                    HTTPRequest(
                        method: "POST", url: server.url + "/jobs",
                        headers: [
                            HTTPHeader(name: "X-Gantry-Run", value: "run 42"), HTTPHeader(name: "Content-Type", value: "application/json"),
                        ],
                        body: payload))
                #expect(response.status == 201)
                #expect(response.body == payload)
                #expect(response.value(forHeader: "X-Method") == "POST")
                #expect(response.value(forHeader: "X-Echo") == "run 42")
            }
        }

        @Test("a large upload is sent at once, without waiting for 100 Continue")
        func largeUpload() async throws {
            let payload = pattern(count: 3_000_000)
            try await withTestServer { connection in
                guard let request = connection.readRequest() else { return }
                connection.respond(
                    status: 200,
                    headers: [("X-Expect", request.header("Expect") ?? "none")],
                    body: Array("\(request.body.count) \(request.body == payload)".utf8))
            } test: { server in
                let clock = ContinuousClock()
                let start = clock.now
                let response = try await HTTPSession().perform(HTTPRequest(method: "PUT", url: server.url + "/artifact", body: payload))
                // libcurl's own behaviour would add a one-second wait for "100 Continue".
                #expect(clock.now - start < .milliseconds(900))
                #expect(String(decoding: response.body, as: UTF8.self) == "3000000 true")
                #expect(response.value(forHeader: "X-Expect") == "none")
            }
        }

        @Test("a 503 is a response, not an error")
        func serviceUnavailable() async throws {
            try await withTestServer { connection in
                guard connection.readRequest() != nil else { return }
                connection.respond(status: 503, reason: "Service Unavailable", headers: [("Retry-After", "7")], body: Array("busy".utf8))
            } test: { server in
                let response = try await HTTPSession().perform(HTTPRequest(url: server.url))
                #expect(response.status == 503)
                #expect(response.value(forHeader: "retry-after") == "7")
                #expect(response.body == Array("busy".utf8))
            }
        }

        @Test("HEAD returns headers only, without waiting for the announced body")
        func head() async throws {
            try await withTestServer { connection in
                guard let request = connection.readRequest() else { return }
                connection.send("HTTP/1.1 200 OK\r\nX-Method: \(request.method)\r\nContent-Length: 1000\r\n\r\n")
                connection.waitUntilClosed()
            } test: { server in
                let clock = ContinuousClock()
                let start = clock.now
                let response = try await HTTPSession().perform(HTTPRequest(method: "HEAD", url: server.url, timeout: .seconds(5)))
                #expect(clock.now - start < .seconds(2))
                #expect(response.status == 200)
                #expect(response.body.isEmpty)
                #expect(response.value(forHeader: "X-Method") == "HEAD")
            }
        }

        @Test("a refused connection fails quickly with couldNotConnect")
        func connectionRefused() async throws {
            let closed = try ClosedPort()
            let result = try #require(await failure(of: HTTPRequest(url: "http://127.0.0.1:\(closed.port)/", timeout: .seconds(10))))
            #expect(result.error.code == .couldNotConnect)
            #expect(result.error.message == "connection to 127.0.0.1:\(closed.port) refused")
            #expect(!result.error.detail.isEmpty)
            #expect(result.elapsed < .seconds(1))
        }

        @Test("a server that accepts and never answers times out on schedule")
        func silentServer() async throws {
            try await withTestServer { connection in
                connection.waitUntilClosed()
            } test: { server in
                let timeout = Duration.milliseconds(1500)
                let result = try #require(await failure(of: HTTPRequest(url: server.url, timeout: timeout)))
                #expect(result.error.code == .timeout)
                #expect(result.error.message == "no response from 127.0.0.1:\(server.port) within 1.5 s")
                #expect(result.elapsed >= timeout * 0.8)
                #expect(result.elapsed <= timeout * 1.2)
            }
        }

        @Test("an https server that accepts and never completes the TLS handshake: a handshake timeout, not a connect timeout")
        func silentTLSHandshake() async throws {
            try await withTestServer { connection in
                connection.waitUntilClosed()
            } test: { server in
                let url = "https://127.0.0.1:\(server.port)/"
                let result = try #require(await failure(of: HTTPRequest(url: url, timeout: .milliseconds(500))))
                #expect(result.error.code == .timeout)
                #expect(result.error.message == "TLS handshake with 127.0.0.1:\(server.port) not complete within 500 ms")
            }
        }

        @Test("a body larger than the cap is cut to exactly the cap")
        func oversizedBody() async throws {
            let body = pattern(count: 5_000_000)
            try await withTestServer { connection in
                guard connection.readRequest() != nil else { return }
                connection.respond(status: 200, body: body)
            } test: { server in
                let cap = 64 * 1024
                let response = try await HTTPSession().perform(HTTPRequest(url: server.url, maximumBodySize: cap))
                #expect(response.status == 200)
                #expect(response.isBodyTruncated)
                #expect(response.body.count == cap)
                #expect(response.body == Array(body.prefix(cap)))
            }
        }

        @Test("a body exactly as long as the cap is not truncated")
        func bodyAtCap() async throws {
            try await withTestServer { connection in
                guard connection.readRequest() != nil else { return }
                connection.respond(status: 200, body: pattern(count: 4096))
            } test: { server in
                let response = try await HTTPSession().perform(HTTPRequest(url: server.url, maximumBodySize: 4096))
                #expect(!response.isBodyTruncated)
                #expect(response.body == pattern(count: 4096))
            }
        }

        @Test("an endless chunked body is cut at the cap and the call returns promptly")
        func endlessChunkedBody() async throws {
            try await withTestServer { connection in
                guard connection.readRequest() != nil else { return }
                guard connection.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n") else { return }
                let chunk = "4000\r\n" + String(repeating: "x", count: 0x4000) + "\r\n"
                while connection.send(chunk) {}
            } test: { server in
                let cap = 64 * 1024
                let clock = ContinuousClock()
                let start = clock.now
                let response = try await HTTPSession().perform(HTTPRequest(url: server.url, timeout: .seconds(20), maximumBodySize: cap))
                #expect(clock.now - start < .seconds(2))
                #expect(response.status == 200)
                #expect(response.isBodyTruncated)
                #expect(response.body.count == cap)
                #expect(response.body.allSatisfy { $0 == UInt8(ascii: "x") })
            }
        }

        @Test("an over-large header section is a malformed response")
        func oversizedHeaders() async throws {
            try await withTestServer { connection in
                guard connection.readRequest() != nil else { return }
                var head = "HTTP/1.1 200 OK\r\n"
                for index in 0..<2000 {
                    head += "X-Filler-\(index): \(String(repeating: "h", count: 60))\r\n"
                }
                connection.send(head + "Content-Length: 0\r\n\r\n")
            } test: { server in
                let result = try #require(await failure(of: HTTPRequest(url: server.url, timeout: .seconds(5))))
                #expect(result.error.code == .malformedResponse)
                #expect(result.error.message == "response headers from 127.0.0.1:\(server.port) exceed 64 KiB")
            }
        }

        @Test("a request's own maximumHeaderSize is honoured")
        func smallerHeaderLimit() async throws {
            try await withTestServer { connection in
                guard connection.readRequest() != nil else { return }
                connection.respond(status: 200, headers: [("X-Padding", String(repeating: "p", count: 600))])
            } test: { server in
                let result = try #require(await failure(of: HTTPRequest(url: server.url, timeout: .seconds(5), maximumHeaderSize: 512)))
                #expect(result.error.code == .malformedResponse)
                #expect(result.error.message == "response headers from 127.0.0.1:\(server.port) exceed 512 bytes")
            }
        }

        @Test("a single header line too long for libcurl is a malformed response")
        func giantHeaderLine() async throws {
            try await withTestServer { connection in
                guard connection.readRequest() != nil else { return }
                connection.send("HTTP/1.1 200 OK\r\nX-Huge: \(String(repeating: "h", count: 300_000))\r\nContent-Length: 0\r\n\r\n")
            } test: { server in
                let result = try #require(await failure(of: HTTPRequest(url: server.url, timeout: .seconds(5))))
                #expect(result.error.code == .malformedResponse)
                #expect(result.error.message == "a response header line from 127.0.0.1:\(server.port) is too long")
            }
        }

        @Test("garbage instead of HTTP is reported, not a crash")
        func garbage() async throws {
            try await withTestServer { connection in
                guard connection.readRequest() != nil else { return }
                connection.send([0x53, 0x53, 0x48, 0x2D, 0x32, 0x00, 0xFF, 0xFE, 0x0D, 0x0A] + pattern(count: 5000))
            } test: { server in
                let result = try #require(await failure(of: HTTPRequest(url: server.url, timeout: .seconds(5))))
                #expect(result.error.code == .malformedResponse)
                #expect(result.error.message == "127.0.0.1:\(server.port) did not answer with valid HTTP")
            }
        }

        @Test("a status line that is not valid HTTP is a malformed response")
        func brokenStatusLine() async throws {
            try await withTestServer { connection in
                guard connection.readRequest() != nil else { return }
                connection.send("HTTP/1.1 twohundred OK\r\nContent-Length: 0\r\n\r\n")
            } test: { server in
                let result = try #require(await failure(of: HTTPRequest(url: server.url, timeout: .seconds(5))))
                #expect([.malformedResponse, .other].contains(result.error.code))
            }
        }

        @Test("a connection closed without a response is a malformed response")
        func emptyReply() async throws {
            try await withTestServer { connection in
                _ = connection.readRequest()
            } test: { server in
                let result = try #require(await failure(of: HTTPRequest(url: server.url, timeout: .seconds(5))))
                #expect(result.error.code == .malformedResponse)
                #expect(result.error.message == "127.0.0.1:\(server.port) closed the connection without responding")
            }
        }

        @Test("with maximumRedirects 0 a redirect is returned as it is")
        func redirectNotFollowed() async throws {
            let targets = Recorder<String>()
            try await withTestServer { connection in
                while let request = connection.readRequest() {
                    targets.record(request.target)
                    connection.respond(status: 302, reason: "Found", headers: [("Location", "/elsewhere")], body: Array("moved".utf8))
                }
            } test: { server in
                let response = try await HTTPSession().perform(HTTPRequest(url: server.url + "/start"))
                #expect(response.status == 302)
                #expect(response.value(forHeader: "location") == "/elsewhere")
                #expect(response.body == Array("moved".utf8))
                #expect(targets.all == ["/start"])
            }
        }

        @Test("followed redirects keep only the final response's headers, and a POST becomes a GET")
        func redirectFollowed() async throws {
            let seen = Recorder<String>()
            try await withTestServer { connection in
                while let request = connection.readRequest() {
                    seen.record("\(request.method) \(request.target)")
                    if request.target == "/start" {
                        connection.respond(status: 302, reason: "Found", headers: [("Location", "/final"), ("X-Hop", "first")])
                    } else {
                        connection.respond(status: 200, headers: [("X-Final", "yes")], body: Array("arrived".utf8))
                    }
                }
            } test: { server in
                let response = try await HTTPSession().perform(
                    HTTPRequest(
                        method: "POST", url: server.url + "/start", body: Array("data".utf8), maximumRedirects: 3))
                #expect(response.status == 200)
                #expect(response.body == Array("arrived".utf8))
                #expect(response.value(forHeader: "X-Final") == "yes")
                #expect(response.value(forHeader: "X-Hop") == nil)
                #expect(response.values(forHeader: "Content-Length") == ["7"])
                #expect(seen.all == ["POST /start", "GET /final"])
            }
        }

        @Test("a redirect loop stops at maximumRedirects")
        func redirectLoop() async throws {
            try await withTestServer { connection in
                var hop = 0
                while connection.readRequest() != nil {
                    hop += 1
                    connection.respond(status: 301, reason: "Moved Permanently", headers: [("Location", "/hop\(hop)")])
                }
            } test: { server in
                let result = try #require(await failure(of: HTTPRequest(url: server.url, maximumRedirects: 2)))
                #expect(result.error.code == .tooManyRedirects)
                #expect(result.error.message.hasPrefix("more than 2 redirects"))
            }
        }

        @Test("one session serves several requests, reusing its connection and none of its options")
        func reuse() async throws {
            let connections = Recorder<Int>()
            let seen = Recorder<String>()
            try await withTestServer { connection in
                connections.record(1)
                while let request = connection.readRequest() {
                    seen.record("\(request.method) \(request.body.count) \(request.header("X-Once") ?? "-")")
                    connection.respond(status: 200, body: Array(request.target.utf8))
                }
            } test: { server in
                let client = try HTTPSession()
                let first = try await client.perform(
                    HTTPRequest(
                        method: "POST", url: server.url + "/one", headers: [HTTPHeader(name: "X-Once", value: "1")],
                        body: Array("payload".utf8)))
                let second = try await client.perform(HTTPRequest(url: server.url + "/two"))
                #expect(first.body == Array("/one".utf8))
                #expect(second.body == Array("/two".utf8))
                #expect(seen.all == ["POST 7 1", "GET 0 -"])
                #expect(connections.all.count == 1)
            }
        }

        @Test("schemes other than http and https are refused")
        func otherSchemes() async throws {
            let result = try #require(await failure(of: HTTPRequest(url: "file:///etc/passwd")))
            #expect(result.error.code == .other)
            #expect(result.error.message.contains("only http and https"))
        }

        @Test("header values with line breaks are rejected before sending")
        func headerInjection() async throws {
            let request = HTTPRequest(
                url: "http://127.0.0.1:9/", headers: [HTTPHeader(name: "X-Note", value: "a\r\nX-Injected: 1")])
            let result = try #require(await failure(of: request))
            #expect(result.error.code == .other)
            #expect(result.error.message.contains("X-Note"))
        }

        @Test("an unresolvable host is couldNotResolve")
        func unresolvable() async throws {
            let result = try #require(await failure(of: HTTPRequest(url: "http://gantry-test.invalid/", timeout: .seconds(10))))
            #expect(result.error.code == .couldNotResolve)
            #expect(result.error.message == "could not resolve host 'gantry-test.invalid'")
        }
    }
}
