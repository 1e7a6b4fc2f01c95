import Foundation
import HTTP
import TestSupport
import Testing

/// Counts what a server's threads saw: connections accepted and requests read.
private final class ServerCounts: @unchecked Sendable {
    private let lock = NSLock()
    private var connectionCount = 0
    private var requestCount = 0
    private var requests: [ReceivedRequest] = []

    func connected() { lock.withLock { connectionCount += 1 } }
    func received(_ request: ReceivedRequest) {
        lock.withLock {
            requestCount += 1
            if requests.count < 10 { requests.append(request) }
        }
    }
    var connections: Int { lock.withLock { connectionCount } }
    var requestsRead: Int { lock.withLock { requestCount } }
    var firstRequests: [ReceivedRequest] { lock.withLock { requests } }
}

/// A server whose every connection is counted, then reads requests and answers each with
/// `answer(request number on this connection, request)`; an answer of nil closes the connection
/// without a word, and `closesAfter` closes it after that many answers.
private func counting(
    _ counts: ServerCounts, closesAfter: Int = .max, _ answer: @escaping @Sendable (Int, ReceivedRequest) -> String?
) -> TestServer.Behaviour {
    { connection in
        counts.connected()
        var number = 0
        while number < closesAfter, let request = connection.readRequest() {
            counts.received(request)
            number += 1
            guard let bytes = answer(number, request), connection.send(bytes) else { return }
        }
    }
}

/// The statuses of `outcomes`; a failure is recorded as an issue, and is -1 here.
private func statuses(_ outcomes: [Result<HTTPExchangeSummary, HTTPError>], sourceLocation: SourceLocation = #_sourceLocation) -> [Int] {
    outcomes.map { outcome in
        switch outcome {
        case .success(let summary):
            return summary.status
        case .failure(let error):
            Issue.record("\(error.message)", sourceLocation: sourceLocation)
            return -1
        }
    }
}

extension Array {
    /// The array cut into consecutive pieces of `count` elements, the last one shorter.
    fileprivate func chunks(ofCount count: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: self.count, by: count).map { self[$0..<Swift.min($0 + count, self.count)] }
    }
}

/// The plain request for `url`, checked to be sent by the loop's own client.
private func plainRequest(_ request: HTTPRequest, sourceLocation: SourceLocation = #_sourceLocation) -> RepeatedRequest {
    let prepared = RepeatedRequest(request, environment: { _ in nil })
    #expect(prepared.client == .plain, sourceLocation: sourceLocation)
    return prepared
}

@Suite("The latency gate's plain HTTP/1.1 client against real servers")
struct PlainClientTests {
    static let okResponse = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"

    @Test("keeps one connection per concurrent exchange alive for all its requests")
    func keepAlive() async throws {
        let session = try HTTPSession(maximumCachedConnections: 4)
        let counts = ServerCounts()
        try await withTestServer(counting(counts) { _, _ in Self.okResponse }) { server in
            let outcomes = await session.performRepeatedly(plainRequest(HTTPRequest(url: server.url)), count: 200, concurrency: 4)
            #expect(statuses(outcomes) == Array(repeating: 200, count: 200))
            #expect(counts.requestsRead == 200)
            #expect(counts.connections == 4, "one connection per slot, kept alive")
        }
    }

    @Test("times each exchange from its start to the end of its response, a new connection's connect included, as libcurl does")
    func timings() async throws {
        let session = try HTTPSession()
        try await withTestServer { connection in
            while connection.readRequest() != nil {
                sleep(for: .milliseconds(30))
                guard connection.send("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab") else { return }
                sleep(for: .milliseconds(20))
                guard connection.send("cd") else { return }
            }
        } test: { server in
            let request = plainRequest(HTTPRequest(url: server.url))
            let first = try await session.performOnce(request)
            let second = try await session.performOnce(request)
            for timings in [first.timings, second.timings] {
                #expect(timings.firstByte >= .milliseconds(30) && timings.total >= timings.firstByte + .milliseconds(15), "\(timings)")
                #expect(timings.total < .seconds(10), "\(timings)")
            }
            #expect(first.timings.connect > .zero && first.timings.connect < first.timings.firstByte, "\(first.timings)")
            #expect(second.timings.connect == .zero, "a kept-alive connection costs no connect: \(second.timings)")
        }
    }

    @Test("writes the request libcurl would: target with query, Host with port, Accept, the gate's headers, a body with its length")
    func requestOnTheWire() async throws {
        let session = try HTTPSession()
        let counts = ServerCounts()
        try await withTestServer(counting(counts) { _, _ in Self.okResponse }) { server in
            let request = HTTPRequest(
                method: "PUT", url: server.url + "/items/1?verbose=1#ignored",
                headers: [HTTPHeader(name: "Authorization", value: "Bearer t"), HTTPHeader(name: "X-Empty", value: "")],
                body: Array("{\"a\":1}".utf8))
            let outcome = try await session.performOnce(plainRequest(request))
            #expect(outcome.status == 200)
            let received = try #require(counts.firstRequests.first)
            #expect(received.method == "PUT" && received.target == "/items/1?verbose=1")
            #expect(received.header("Host") == "127.0.0.1:\(server.port)")
            #expect(received.header("Accept") == "*/*")
            #expect(received.header("Authorization") == "Bearer t" && received.header("X-Empty") == "")
            #expect(received.header("Content-Length") == "7" && received.body == Array("{\"a\":1}".utf8))
        }
    }

    @Test("a path that is not ASCII is sent percent-encoded, as libcurl sends it; the query as written")
    func nonASCIIPath() async throws {
        let session = try HTTPSession()
        let counts = ServerCounts()
        try await withTestServer(counting(counts) { _, _ in Self.okResponse }) { server in
            let outcome = try await session.performOnce(plainRequest(HTTPRequest(url: server.url + "/caf\u{E9}?q=1")))
            #expect(outcome.status == 200)
            #expect(counts.firstRequests.first?.target == "/caf%c3%a9?q=1")
        }
    }

    @Test("a kept-alive connection that received bytes while idle is dropped, not read as the next response")
    func bytesWhileIdle() async throws {
        let session = try HTTPSession()
        let counts = ServerCounts()
        try await withTestServer { connection in
            counts.connected()
            while let request = connection.readRequest() {
                counts.received(request)
                guard connection.send(Array(Self.okResponse.utf8)) else { return }
                sleep(for: .milliseconds(10))
                // Late bytes after a whole response, as a server about to time the connection out sends.
                guard connection.send(Array("HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n\r\n".utf8)) else { return }
            }
        } test: { server in
            let request = plainRequest(HTTPRequest(url: server.url))
            #expect(try await session.performOnce(request).status == 200)
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await session.performOnce(request).status == 200, "the 408 is not taken for the answer")
            #expect(counts.connections == 2)
        }
    }

    @Test("frames Content-Length and chunked bodies (extensions, trailers, bare LF) so the connection carries the next response")
    func framing() async throws {
        let session = try HTTPSession()
        let counts = ServerCounts()
        let chunked =
            "HTTP/1.1 201 Created\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5;name=value\r\nhello\r\n1A\r\n"
            + String(repeating: "z", count: 26) + "\r\n0\r\nX-Trailer: 1\r\n\r\n"
        let lineFeeds = "HTTP/1.1 202 Accepted\nContent-Length: 3\n\nabc"
        let large = "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + String(repeating: "b", count: 100_000)
        let responses = [Self.okResponse, chunked, lineFeeds, large]
        try await withTestServer(counting(counts) { number, _ in responses[(number - 1) % responses.count] }) { server in
            let outcomes = await session.performRepeatedly(plainRequest(HTTPRequest(url: server.url)), count: 40, concurrency: 1)
            #expect(statuses(outcomes) == Array(repeating: [200, 201, 202, 200], count: 10).flatMap { $0 })
            #expect(counts.connections == 1)
        }
    }

    @Test("responses that arrive a few bytes at a time, lines and chunk sizes cut anywhere, are framed as whole ones")
    func responsesInPieces() async throws {
        let session = try HTTPSession()
        let counts = ServerCounts()
        let responses = [
            "HTTP/1.1 200 OK\r\nServer: slow\r\nContent-Length: 5\r\n\r\nhello",
            "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\nTrailer: 1\r\n\r\n",
        ]
        try await withTestServer { connection in
            counts.connected()
            // Each piece its own segment, not coalesced while the previous one is unacknowledged.
            var one: Int32 = 1
            setsockopt(connection.socket, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            var number = 0
            while let request = connection.readRequest() {
                counts.received(request)
                for piece in Array(responses[number % 2].utf8).chunks(ofCount: 3) {
                    guard connection.send(Array(piece)) else { return }
                    sleep(for: .milliseconds(1))
                }
                number += 1
            }
        } test: { server in
            let outcomes = await session.performRepeatedly(plainRequest(HTTPRequest(url: server.url)), count: 6, concurrency: 1)
            #expect(statuses(outcomes) == [200, 201, 200, 201, 200, 201])
            #expect(counts.connections == 1)
        }
    }

    @Test("HEAD, 204 and 304 responses have no body whatever their Content-Length, and 1xx interim responses are skipped")
    func responsesWithoutBodies() async throws {
        let session = try HTTPSession()
        let counts = ServerCounts()
        let responses = [
            "HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n",
            "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n",
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" + Self.okResponse,
        ]
        try await withTestServer(
            counting(counts) { number, request in
                request.method == "HEAD" ? "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n" : responses[(number - 1) % responses.count]
            }
        ) { server in
            let outcomes = await session.performRepeatedly(plainRequest(HTTPRequest(url: server.url)), count: 9, concurrency: 1)
            #expect(statuses(outcomes) == [204, 304, 200, 204, 304, 200, 204, 304, 200])
            let heads = await session.performRepeatedly(
                plainRequest(HTTPRequest(method: "HEAD", url: server.url)), count: 5, concurrency: 1)
            #expect(statuses(heads) == Array(repeating: 200, count: 5))
            #expect(counts.connections == 1, "one connection for both runs: no body was waited for")
        }
    }

    @Test("a server that closes after every response (Connection: close) gets a new connection per request")
    func connectionClose() async throws {
        let session = try HTTPSession()
        let counts = ServerCounts()
        let answer = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"
        try await withTestServer(counting(counts, closesAfter: 1) { _, _ in answer }) { server in
            let outcomes = await session.performRepeatedly(plainRequest(HTTPRequest(url: server.url)), count: 20, concurrency: 2)
            #expect(statuses(outcomes) == Array(repeating: 200, count: 20))
            #expect(counts.connections == 20)
        }
    }

    @Test("an HTTP/1.0 server's body runs to the close, and its connection is not reused")
    func http10() async throws {
        let session = try HTTPSession()
        let counts = ServerCounts()
        try await withTestServer(counting(counts, closesAfter: 1) { _, _ in "HTTP/1.0 200 OK\r\nServer: old\r\n\r\nuntil the end" }) {
            server in
            let outcomes = await session.performRepeatedly(plainRequest(HTTPRequest(url: server.url)), count: 10, concurrency: 2)
            #expect(statuses(outcomes) == Array(repeating: 200, count: 10))
            #expect(counts.connections == 10)
        }
    }

    @Test("Python's http.server (HTTP/1.0, a close per response) is measured request by request")
    func pythonServer() async throws {
        let directory = try TemporaryDirectory()
        try "ok\n".write(toFile: directory.url("index.html"), atomically: true, encoding: .utf8)
        let script = """
            import http.server, os, sys
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
            with open(sys.argv[1] + ".tmp", "w") as f: f.write(f"{server.server_address[1]}\\n")
            os.rename(sys.argv[1] + ".tmp", sys.argv[1])
            server.serve_forever()
            """
        let portFile = directory.url("port")
        let server = try SpawnedProcess(
            "timeout", ["60", "python3", "-c", script, portFile], in: directory.path,
            environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"])
        defer { server.stop() }
        var port: Int?
        for _ in 0..<500 where port == nil {
            port = (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { Int($0.dropLast()) }
            if port == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        let session = try HTTPSession()
        let url = "http://127.0.0.1:\(try #require(port, "the server did not start: \(server.standardError)"))/index.html"
        let outcomes = await session.performRepeatedly(plainRequest(HTTPRequest(url: url)), count: 30, concurrency: 3)
        #expect(statuses(outcomes) == Array(repeating: 200, count: 30))
    }

    @Test("a kept-alive connection the server closed while idle is replaced, and the request sent once more on a new one")
    func staleConnectionRetried() async throws {
        let session = try HTTPSession()
        let counts = ServerCounts()
        // Every connection answers its first request and closes at its second without a word.
        try await withTestServer(counting(counts) { number, _ in number == 1 ? Self.okResponse : nil }) { server in
            let outcomes = await session.performRepeatedly(plainRequest(HTTPRequest(url: server.url)), count: 10, concurrency: 1)
            #expect(statuses(outcomes) == Array(repeating: 200, count: 10))
            #expect(counts.connections == 10)
            #expect(counts.requestsRead == 19, "requests 2 to 10 each reached a closing connection once, then a new one")
        }
    }

    @Test("a request whose response had begun when the connection closed is not sent again")
    func partialResponseNotRetried() async throws {
        let session = try HTTPSession()
        let counts = ServerCounts()
        try await withTestServer(
            counting(counts, closesAfter: 2) { number, _ in
                number == 1 ? Self.okResponse : "HTTP/1.1 200 OK\r\nContent-Le"
            }
        ) { server in
            let outcomes = await session.performRepeatedly(plainRequest(HTTPRequest(url: server.url)), count: 2, concurrency: 1)
            guard case .failure(let error) = outcomes.last else {
                Issue.record("the second request succeeded")
                return
            }
            #expect(error.message == "127.0.0.1:\(server.port) closed the connection before the response headers were complete")
            #expect(counts.requestsRead == 2 && counts.connections == 1)
        }
    }

    @Test("a body longer than its Content-Length ends at the declared length, as libcurl reads it, and its connection is dropped")
    func bodyLongerThanDeclared() async throws {
        let session = try HTTPSession()
        let counts = ServerCounts()
        try await withTestServer(counting(counts) { _, _ in "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokSURPLUS" }) { server in
            let outcomes = await session.performRepeatedly(plainRequest(HTTPRequest(url: server.url)), count: 5, concurrency: 1)
            #expect(statuses(outcomes) == Array(repeating: 200, count: 5))
            #expect(counts.connections == 5, "the surplus is never read as the next response")
            let libcurl = try await session.perform(HTTPRequest(url: server.url))
            #expect(libcurl.status == 200 && libcurl.body == Array("ok".utf8))
        }
    }

    /// A hostile answer, the failure it must produce, and whether libcurl words it the same.
    struct Hostile: Sendable, CustomTestStringConvertible {
        var name: String
        var answer: String?
        var message: String
        var sameAsLibcurl: Bool
        var testDescription: String { name }
    }

    static let hostile: [Hostile] = [
        Hostile(
            name: "a header section over the limit",
            answer: "HTTP/1.1 200 OK\r\nX-Pad: \(String(repeating: "p", count: 70_000))\r\nContent-Length: 0\r\n\r\n",
            message: "response headers from ENDPOINT exceed 64 KiB", sameAsLibcurl: true),
        Hostile(
            name: "more header fields than allowed",
            answer: "HTTP/1.1 200 OK\r\n" + String(repeating: "A: b\r\n", count: 1001) + "Content-Length: 0\r\n\r\n",
            message: "response headers from ENDPOINT exceed 1000 fields", sameAsLibcurl: false),
        Hostile(
            name: "a malformed status line", answer: "HTTP/1.1 2x0 OK\r\n\r\n",
            message: "malformed response from ENDPOINT: invalid status line 'HTTP/1.1 2x0 OK'", sameAsLibcurl: false),
        Hostile(
            name: "something other than HTTP", answer: "SSH-2.0-OpenSSH_9.2\r\n",
            message: "ENDPOINT did not answer with valid HTTP", sameAsLibcurl: true),
        Hostile(
            name: "a chunk size that overflows",
            answer: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\n",
            message: "malformed response from ENDPOINT: a chunk size overflows", sameAsLibcurl: false),
        Hostile(
            name: "a chunk longer than its size",
            answer: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokSURPLUS\r\n0\r\n\r\n",
            message: "malformed response from ENDPOINT: a chunk is longer than its size", sameAsLibcurl: false),
        Hostile(
            name: "conflicting Content-Lengths", answer: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok",
            message: "malformed response from ENDPOINT: conflicting Content-Length values", sameAsLibcurl: false),
        Hostile(
            name: "a close in the middle of the body", answer: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
            message: "ENDPOINT closed the connection before the body was complete", sameAsLibcurl: true),
        Hostile(
            name: "a close without a response", answer: nil,
            message: "ENDPOINT closed the connection without responding", sameAsLibcurl: true),
    ]

    @Test("a hostile server fails the request with a clear reason, in libcurl's words where libcurl has them", arguments: hostile)
    func hostileServer(_ hostile: Hostile) async throws {
        let session = try HTTPSession()
        let answer = hostile.answer
        try await withTestServer(counting(ServerCounts(), closesAfter: 1) { _, _ in answer }) { server in
            let request = HTTPRequest(url: server.url, timeout: .seconds(5))
            let expected = hostile.message.replacingOccurrences(of: "ENDPOINT", with: "127.0.0.1:\(server.port)")
            let outcomes = await session.performRepeatedly(plainRequest(request), count: 2, concurrency: 1)
            for outcome in outcomes {
                guard case .failure(let error) = outcome else {
                    Issue.record("succeeded: \(outcome)")
                    continue
                }
                #expect(error.code == .malformedResponse)
                #expect(error.message == expected)
            }
            if hostile.sameAsLibcurl {
                do throws(HTTPError) {
                    let response = try await session.perform(request)
                    Issue.record("libcurl got status \(response.status)")
                } catch {
                    #expect(error.message == expected, "libcurl's words")
                }
            }
        }
    }

    @Test("a server that never answers fails the request at its timeout, as libcurl words it")
    func silentServer() async throws {
        let session = try HTTPSession()
        try await withTestServer({ connection in connection.waitUntilClosed() }) { server in
            let request = HTTPRequest(url: server.url, timeout: .milliseconds(300))
            let clock = ContinuousClock()
            let start = clock.now
            let outcomes = await session.performRepeatedly(plainRequest(request), count: 2, concurrency: 2)
            let elapsed = clock.now - start
            #expect(elapsed >= .milliseconds(300) && elapsed < .seconds(10), "\(elapsed)")
            for outcome in outcomes {
                guard case .failure(let error) = outcome else {
                    Issue.record("succeeded")
                    continue
                }
                #expect(error.code == .timeout)
                #expect(error.message == "no response from 127.0.0.1:\(server.port) within 300 ms")
            }
        }
    }

    @Test("a refused connection fails each request as libcurl words it")
    func refused() async throws {
        let session = try HTTPSession()
        let closed = try ClosedPort()
        let outcomes = await session.performRepeatedly(
            plainRequest(HTTPRequest(url: "http://127.0.0.1:\(closed.port)/")), count: 3, concurrency: 1)
        #expect(outcomes.count == 3)
        for case .failure(let error) in outcomes {
            #expect(error.code == .couldNotConnect && error.message == "connection to 127.0.0.1:\(closed.port) refused")
        }
    }

    @Test("a request the plain client does not take (a host name) is sent by libcurl, repeatedly and once, with the same outcomes")
    func libcurlFallback() async throws {
        let session = try HTTPSession()
        let counts = ServerCounts()
        try await withTestServer(counting(counts) { _, _ in Self.okResponse }) { server in
            let request = RepeatedRequest(HTTPRequest(url: "http://localhost:\(server.port)/"), environment: { _ in nil })
            #expect(request.client == .libcurl)
            let outcomes = await session.performRepeatedly(request, count: 20, concurrency: 2)
            #expect(statuses(outcomes) == Array(repeating: 200, count: 20))
            let once = try await session.performOnce(request)
            #expect(once.status == 200)
            #expect(counts.requestsRead == 21)
        }
    }

    /// A request and the client it must go through.
    static let clients: [(url: String, redirects: Int, environment: [String: String], client: RepeatedRequest.Client)] = [
        ("http://127.0.0.1:8080/health", 0, [:], .plain),
        ("http://[::1]:8080/", 0, [:], .plain),
        ("https://127.0.0.1:8443/", 0, [:], .libcurl),
        ("http://localhost:8080/", 0, [:], .libcurl),
        ("http://user:secret@127.0.0.1:8080/", 0, [:], .libcurl),
        ("http://127.0.0.1:8080/", 3, [:], .libcurl),
        ("http://127.0.0.1:8080/", 0, ["http_proxy": "http://proxy:3128"], .libcurl),
        ("http://127.0.0.1:8080/", 0, ["ALL_PROXY": "http://proxy:3128"], .libcurl),
        ("http://127.0.0.1:8080/", 0, ["HTTP_PROXY": "http://proxy:3128"], .plain),
        ("http://127.0.0.1:8080/", 0, ["http_proxy": "http://proxy:3128", "no_proxy": "example.com,127.0.0.1"], .plain),
        ("http://127.0.0.1:8080/", 0, ["http_proxy": "http://proxy:3128", "NO_PROXY": "*"], .plain),
        ("http://127.0.0.1:8080/", 0, ["http_proxy": "http://proxy:3128", "no_proxy": "127.0.0.0/8"], .libcurl),
    ]

    @Test("the plain client sends only what needs nothing of libcurl: https, names, credentials, redirects and proxies go through libcurl")
    func clientChoice() {
        for (url, redirects, environment, client) in Self.clients {
            let request = RepeatedRequest(HTTPRequest(url: url, maximumRedirects: redirects), environment: { environment[$0] })
            #expect(request.client == client, "\(url) \(environment)")
        }
    }
}
