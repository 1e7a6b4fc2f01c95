import Foundation
import HTTP
import TestSupport
import Testing

/// Performs `request` on `session`, expecting it to fail; returns the error and how long it took.
private func failure(
    of request: HTTPRequest,
    on session: HTTPSession,
    sourceLocation: SourceLocation = #_sourceLocation
) async -> (error: HTTPError, elapsed: Duration)? {
    let clock = ContinuousClock()
    let start = clock.now
    do {
        let response = try await session.perform(request)
        Issue.record("expected a failure, got status \(response.status)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return (error, clock.now - start)
    }
}

/// Checks that `elapsed` is within 10% of `deadline`.
private func expectOnSchedule(
    _ elapsed: Duration,
    _ deadline: Duration,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(elapsed >= deadline * 0.9, "finished after \(elapsed), before the deadline \(deadline)", sourceLocation: sourceLocation)
    #expect(elapsed <= deadline * 1.1, "finished after \(elapsed), well after the deadline \(deadline)", sourceLocation: sourceLocation)
}

/// Values a server thread observed, read back by the test.
private final class Recorder<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Value] = []

    func record(_ value: Value) { lock.withLock { values.append(value) } }
    var all: [Value] { lock.withLock { values } }
}

/// How many requests a server is answering at once, and the most it answered at once.
private final class InFlight: @unchecked Sendable {
    private let lock = NSLock()
    private var now = 0
    private var mostAtOnce = 0
    private var count = 0

    func enter() {
        lock.withLock {
            now += 1; count += 1; mostAtOnce = max(mostAtOnce, now)
        }
    }
    func leave() { lock.withLock { now -= 1 } }
    var most: Int { lock.withLock { mostAtOnce } }
    var total: Int { lock.withLock { count } }
}

/// The process's resident memory in bytes, from /proc/self/statm.
private func residentMemory() throws -> Int {
    let fields = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8).split(separator: " ")
    let pages = try #require(fields.count > 1 ? Int(fields[1]) : nil)
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

// Serialized because several tests check deadlines to within 10% and one measures resident
// memory; on a two-core machine tests running beside them would blur both.
@Suite("HTTPSession against real servers", .serialized)
struct HTTPSessionTests {
    @Test("a 200 with a body and headers")
    func okResponse() async throws {
        let session = try HTTPSession()
        try await withTestServer { connection in
            guard let request = connection.readRequest() else { return }
            connection.respond(
                status: 200,
                headers: [("Content-Type", "text/plain"), ("X-Target", request.target), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")],
                body: Array("hello, session".utf8))
        } test: { server in
            let response = try await session.perform(HTTPRequest(url: server.url + "/status?x=1"))
            #expect(response.status == 200)
            #expect(response.body == Array("hello, session".utf8))
            #expect(!response.isBodyTruncated)
            #expect(response.value(forHeader: "x-target") == "/status?x=1")
            #expect(response.values(forHeader: "set-cookie") == ["a=1", "b=2"])
            #expect(response.value(forHeader: "content-type") == "text/plain")
            #expect(response.timings.total > .zero)
            #expect(response.timings.firstByte <= response.timings.total)
        }
    }

    @Test("100 concurrent requests to a server that takes 300 ms each finish together")
    func concurrency() async throws {
        let session = try HTTPSession()
        try await withTestServer(TestServer.slow(delay: .milliseconds(300), body: Array("slow".utf8))) { server in
            let clock = ContinuousClock()
            let start = clock.now
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<100 {
                    group.addTask { try await session.perform(HTTPRequest(url: server.url + "/\(index)")).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let elapsed = clock.now - start
            #expect(statuses == Array(repeating: 200, count: 100))
            // One at a time this would take 30 s; at once, little more than the 300 ms of one.
            #expect(elapsed < .seconds(3), "100 requests took \(elapsed)")
        }
    }

    @Test("many requests at limited concurrency reuse a few connections")
    func connectionReuse() async throws {
        let session = try HTTPSession()
        let connections = Recorder<Int>()
        try await withTestServer { connection in
            connections.record(1)
            while let request = connection.readRequest() {
                guard connection.respond(status: 200, body: Array(request.target.utf8)) else { return }
            }
        } test: { server in
            let mismatches = try await withThrowingTaskGroup(of: Int.self) { group in
                for worker in 0..<10 {
                    group.addTask {
                        var mismatches = 0
                        for index in 0..<50 {
                            let path = "/\(worker)/\(index)"
                            let response = try await session.perform(HTTPRequest(url: server.url + path))
                            if response.status != 200 || response.body != Array(path.utf8) { mismatches += 1 }
                        }
                        return mismatches
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(mismatches == 0)
            #expect(connections.all.count <= 12, "\(connections.all.count) connections for 10 workers")
        }
    }

    @Test("a server that accepts and never answers times out on schedule")
    func silentServer() async throws {
        let session = try HTTPSession()
        try await withTestServer { connection in
            connection.waitUntilClosed()
        } test: { server in
            let timeout = Duration.milliseconds(1000)
            let result = try #require(await failure(of: HTTPRequest(url: server.url, timeout: timeout), on: session))
            #expect(result.error.code == .timeout)
            #expect(result.error.message == "no response from 127.0.0.1:\(server.port) within 1.0 s")
            expectOnSchedule(result.elapsed, timeout)
        }
    }

    @Test("a body that never ends times out on schedule")
    func unfinishedBody() async throws {
        let session = try HTTPSession()
        try await withTestServer { connection in
            guard connection.readRequest() != nil else { return }
            connection.send("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial")
            connection.waitUntilClosed()
        } test: { server in
            let timeout = Duration.milliseconds(1000)
            let result = try #require(await failure(of: HTTPRequest(url: server.url, timeout: timeout), on: session))
            #expect(result.error.code == .timeout)
            #expect(result.error.message == "response from 127.0.0.1:\(server.port) not complete within 1.0 s")
            expectOnSchedule(result.elapsed, timeout)
        }
    }

    @Test("a 10 GB Content-Length with an endless body is cut at the cap in bounded memory")
    func endlessBody() async throws {
        let session = try HTTPSession()
        try await withTestServer { connection in
            guard connection.readRequest() != nil else { return }
            guard connection.send("HTTP/1.1 200 OK\r\nContent-Length: 10000000000\r\n\r\n") else { return }
            let chunk = [UInt8](repeating: UInt8(ascii: "z"), count: 64 * 1024)
            while connection.send(chunk) {}
        } test: { server in
            let cap = 4 << 20
            let before = try residentMemory()
            let clock = ContinuousClock()
            let start = clock.now
            let response = try await session.perform(HTTPRequest(url: server.url, timeout: .seconds(20), maximumBodySize: cap))
            let elapsed = clock.now - start
            let growth = try residentMemory() - before
            #expect(response.status == 200)
            #expect(response.isBodyTruncated)
            #expect(response.body.count == cap)
            #expect(response.body.allSatisfy { $0 == UInt8(ascii: "z") })
            #expect(elapsed < .seconds(2))
            // The 4 MiB body and its buffers (about 4.5 MiB measured), with room for tests of
            // other suites running meanwhile; nowhere near what the server offered.
            #expect(growth < 32 << 20, "resident memory grew by \(growth >> 20) MiB")
        }
    }

    @Test("a redirect loop stops at maximumRedirects")
    func redirectLoop() async throws {
        let session = try HTTPSession()
        try await withTestServer { connection in
            var hop = 0
            while connection.readRequest() != nil {
                hop += 1
                connection.respond(status: 302, reason: "Found", headers: [("Location", "/hop\(hop)")])
            }
        } test: { server in
            let result = try #require(await failure(of: HTTPRequest(url: server.url, maximumRedirects: 3), on: session))
            #expect(result.error.code == .tooManyRedirects)
            #expect(result.error.message.hasPrefix("more than 3 redirects"))
        }
    }

    @Test("a redirect to another host is refused unless allowed", arguments: ["localhost", "127.0.0.1"])
    func redirectToOtherHost(targetHost: String) async throws {
        let session = try HTTPSession()
        let reachedTarget = Recorder<String>()
        try await withTestServer { connection in
            while let request = connection.readRequest() {
                reachedTarget.record(request.target)
                connection.respond(status: 200, body: Array("elsewhere".utf8))
            }
        } test: { target in
            let location = "http://\(targetHost):\(target.port)/landing"
            try await withTestServer { connection in
                while let request = connection.readRequest() {
                    if request.target == "/same" {
                        connection.respond(status: 302, reason: "Found", headers: [("Location", "/landing")])
                    } else if request.target == "/landing" {
                        connection.respond(status: 200, body: Array("same host".utf8))
                    } else {
                        connection.respond(status: 302, reason: "Found", headers: [("Location", location)])
                    }
                }
            } test: { origin in
                let refused = try #require(
                    await failure(
                        of: HTTPRequest(url: origin.url + "/start", maximumRedirects: 5), on: session))
                #expect(refused.error.code == .redirectToOtherHost)
                #expect(refused.error.message.contains("127.0.0.1:\(origin.port)"))
                #expect(refused.error.message.contains("\(targetHost):\(target.port)"))
                #expect(reachedTarget.all.isEmpty, "the other host was contacted")

                // The same redirect from a fresh session: the check belongs to the request, not the session.
                let fromClient = await #expect(throws: HTTPError.self) {
                    try await HTTPSession().perform(HTTPRequest(url: origin.url + "/start", maximumRedirects: 5))
                }
                #expect(fromClient?.code == .redirectToOtherHost)

                let sameHost = try await session.perform(HTTPRequest(url: origin.url + "/same", maximumRedirects: 5))
                #expect(sameHost.body == Array("same host".utf8))

                let allowed = try await session.perform(
                    HTTPRequest(
                        url: origin.url + "/start", maximumRedirects: 5, allowsRedirectsToOtherHosts: true))
                #expect(allowed.status == 200)
                #expect(allowed.body == Array("elsewhere".utf8))
                #expect(reachedTarget.all == ["/landing"])
            }
        }
    }

    @Test(
        "a redirect to [::1] is refused by default",
        .enabled(if: TestServer.isIPv6LoopbackAvailable, "this machine has no IPv6 loopback (::1)"))
    func redirectToIPv6() async throws {
        let session = try HTTPSession()
        try await withTestServer(address: .ipv6) { connection in
            while connection.readRequest() != nil { connection.respond(status: 200) }
        } test: { target in
            try await withTestServer { connection in
                while connection.readRequest() != nil {
                    connection.respond(status: 307, reason: "Temporary Redirect", headers: [("Location", target.url + "/")])
                }
            } test: { origin in
                let refused = try #require(await failure(of: HTTPRequest(url: origin.url, maximumRedirects: 2), on: session))
                #expect(refused.error.code == .redirectToOtherHost)
                #expect(refused.error.message.contains("[::1]:\(target.port)"))
                let allowed = try await session.perform(
                    HTTPRequest(url: origin.url, maximumRedirects: 2, allowsRedirectsToOtherHosts: true))
                #expect(allowed.status == 200)
            }
        }
    }

    @Test("a Location that is not a URL is a malformed response, not followed blindly")
    func unreadableLocation() async throws {
        let session = try HTTPSession()
        try await withTestServer { connection in
            while connection.readRequest() != nil {
                connection.respond(status: 302, reason: "Found", headers: [("Location", "http://[::1")])
            }
        } test: { server in
            let result = try #require(await failure(of: HTTPRequest(url: server.url, maximumRedirects: 2), on: session))
            #expect(result.error.code == .malformedResponse)
            #expect(result.error.message == "127.0.0.1:\(server.port) redirected to 'http://[::1', which is not a valid URL")
        }
    }

    @Test("a self-signed certificate fails by default and passes when trusted or unchecked")
    func selfSignedCertificate() async throws {
        let session = try HTTPSession()
        try await withTLSTestServer { server in
            let refused = try #require(await failure(of: HTTPRequest(url: server.url, timeout: .seconds(10)), on: session))
            #expect(refused.error.code == .tls)
            #expect(refused.error.message.hasPrefix("certificate of 127.0.0.1:\(server.port) not trusted"))

            let insecure = try await session.perform(HTTPRequest(url: server.url, timeout: .seconds(10), tls: .insecure))
            #expect(insecure.status == 200)
            #expect(insecure.timings.tlsHandshake > .zero)

            let trusted = try await session.perform(
                HTTPRequest(
                    url: server.url, timeout: .seconds(10), tls: .verifyWith(certificateAuthorityFile: server.certificateFile)))
            #expect(trusted.status == 200)

            let byName = try await session.perform(
                HTTPRequest(
                    url: "https://localhost:\(server.port)/", timeout: .seconds(10),
                    tls: .verifyWith(certificateAuthorityFile: server.certificateFile)))
            #expect(byName.status == 200)

            // Trust given to one request does not carry over to the next on the same session.
            let again = try #require(await failure(of: HTTPRequest(url: server.url, timeout: .seconds(10)), on: session))
            #expect(again.error.code == .tls)

            // A fresh session honours the same settings.
            await #expect(throws: HTTPError.self) { try await HTTPSession().perform(HTTPRequest(url: server.url, timeout: .seconds(10))) }
            let fromClient = try await HTTPSession().perform(
                HTTPRequest(
                    url: server.url, timeout: .seconds(10), tls: .verifyWith(certificateAuthorityFile: server.certificateFile)))
            #expect(fromClient.status == 200)
        }
    }

    @Test("garbage instead of HTTP is a malformed response")
    func garbage() async throws {
        let session = try HTTPSession()
        try await withTestServer { connection in
            guard connection.readRequest() != nil else { return }
            connection.send([0x53, 0x53, 0x48, 0x2D, 0x32, 0x00, 0xFF, 0xFE, 0x0D, 0x0A] + Array(repeating: 0xAB, count: 5000))
        } test: { server in
            let result = try #require(await failure(of: HTTPRequest(url: server.url, timeout: .seconds(5)), on: session))
            #expect(result.error.code == .malformedResponse)
            #expect(result.error.message == "127.0.0.1:\(server.port) did not answer with valid HTTP")
        }
    }

    @Test("huge headers are a malformed response, at the request's own limit")
    func hugeHeaders() async throws {
        let session = try HTTPSession()
        try await withTestServer { connection in
            while connection.readRequest() != nil {
                var head = "HTTP/1.1 200 OK\r\n"
                for index in 0..<2000 { head += "X-Filler-\(index): \(String(repeating: "h", count: 60))\r\n" }
                guard connection.send(head + "Content-Length: 0\r\n\r\n") else { return }
            }
        } test: { server in
            let standard = try #require(await failure(of: HTTPRequest(url: server.url, timeout: .seconds(5)), on: session))
            #expect(standard.error.code == .malformedResponse)
            #expect(standard.error.message == "response headers from 127.0.0.1:\(server.port) exceed 64 KiB")

            let small = try #require(
                await failure(
                    of: HTTPRequest(url: server.url, timeout: .seconds(5), maximumHeaderSize: 1000), on: session))
            #expect(small.error.code == .malformedResponse)
            #expect(small.error.message == "response headers from 127.0.0.1:\(server.port) exceed 1000 bytes")

            let generous = try await session.perform(HTTPRequest(url: server.url, timeout: .seconds(5), maximumHeaderSize: 1 << 20))
            #expect(generous.headers.count == 2001)
        }
    }

    @Test("a single giant header line is a malformed response")
    func giantHeaderLine() async throws {
        let session = try HTTPSession()
        try await withTestServer { connection in
            guard connection.readRequest() != nil else { return }
            connection.send("HTTP/1.1 200 OK\r\nX-Huge: \(String(repeating: "h", count: 300_000))\r\nContent-Length: 0\r\n\r\n")
        } test: { server in
            let result = try #require(await failure(of: HTTPRequest(url: server.url, timeout: .seconds(5)), on: session))
            #expect(result.error.code == .malformedResponse)
        }
    }

    @Test("IPv6 loopback", .enabled(if: TestServer.isIPv6LoopbackAvailable, "this machine has no IPv6 loopback (::1)"))
    func ipv6() async throws {
        let session = try HTTPSession()
        try await withTestServer(address: .ipv6) { connection in
            guard connection.readRequest() != nil else { return }
            connection.respond(status: 200, body: Array("over IPv6".utf8))
        } test: { server in
            #expect(server.url.hasPrefix("http://[::1]:"))
            let response = try await session.perform(HTTPRequest(url: server.url + "/v6"))
            #expect(response.body == Array("over IPv6".utf8))

            let timings = try await session.connect(host: "::1", port: Int(server.port), timeout: .seconds(2))
            #expect(timings.connect > .zero)
        }
    }

    @Test("a refused connection fails quickly with couldNotConnect")
    func refused() async throws {
        let session = try HTTPSession()
        let closed = try ClosedPort()
        let result = try #require(
            await failure(of: HTTPRequest(url: "http://127.0.0.1:\(closed.port)/", timeout: .seconds(10)), on: session))
        #expect(result.error.code == .couldNotConnect)
        #expect(result.error.message == "connection to 127.0.0.1:\(closed.port) refused")
        #expect(result.elapsed < .milliseconds(500))
    }

    @Test("cancelling the task abandons the transfer within 100 ms and closes its connection")
    func cancellation() async throws {
        let session = try HTTPSession()
        let closed = Recorder<ContinuousClock.Instant>()
        try await withTestServer { connection in
            _ = connection.readRequest()
            connection.waitUntilClosed()
            closed.record(.now)
        } test: { server in
            let clock = ContinuousClock()
            let task = Task { try await session.perform(HTTPRequest(url: server.url, timeout: .seconds(30))) }
            try await Task.sleep(for: .milliseconds(300))
            let cancelled = clock.now
            task.cancel()
            let result = await task.result
            let elapsed = clock.now - cancelled
            #expect(throws: HTTPError.self) { try result.get() }
            #expect((result.error() as? HTTPError)?.code == .cancelled)
            #expect(elapsed < .milliseconds(100), "cancellation took \(elapsed)")
            // The server sees the connection go away, so nothing is left half-open.
            let deadline = clock.now + .seconds(2)
            while closed.all.isEmpty, clock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            #expect(closed.all.count == 1)
        }
    }

    @Test("cancellations racing completions each end their request exactly once")
    func cancellationRaces() async throws {
        let session = try HTTPSession()
        try await withTestServer(TestServer.slow(delay: .milliseconds(20), body: Array("ok".utf8))) { server in
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<300 {
                    let task = Task { () -> String in
                        do throws(HTTPError) {
                            let response = try await session.perform(HTTPRequest(url: server.url + "/\(index)"))
                            return "\(response.status)"
                        } catch {
                            return "\(error.code)"
                        }
                    }
                    group.addTask {
                        // Spread the cancellations over before, during and after the exchange.
                        try await Task.sleep(for: .milliseconds(index % 40))
                        if index.isMultiple(of: 2) { task.cancel() }
                        return await task.value
                    }
                }
                return try await group.reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
            }
            #expect(outcomes.values.reduce(0, +) == 300)
            #expect(Set(outcomes.keys).isSubset(of: ["200", "cancelled"]), "\(outcomes)")
            #expect(outcomes["200", default: 0] >= 150)
            // The session still works afterwards.
            #expect(try await session.perform(HTTPRequest(url: server.url)).status == 200)
        }
    }

    @Test("a task cancelled before it starts a request does not send it")
    func cancelledBeforeStart() async throws {
        let session = try HTTPSession()
        let requests = Recorder<String>()
        try await withTestServer { connection in
            while let request = connection.readRequest() {
                requests.record(request.target)
                connection.respond(status: 200)
            }
        } test: { server in
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await session.perform(HTTPRequest(url: server.url + "/never"))
            }
            let result = await task.result
            #expect((result.error() as? HTTPError)?.code == .cancelled)
            #expect(requests.all.isEmpty)
        }
    }

    @Test("shutdown fails pending requests with cancelled, and later ones at once")
    func shutdown() async throws {
        let session = try HTTPSession()
        try await withTestServer { connection in
            _ = connection.readRequest()
            connection.waitUntilClosed()
        } test: { server in
            let pending = Task { try await session.perform(HTTPRequest(url: server.url, timeout: .seconds(30))) }
            try await Task.sleep(for: .milliseconds(200))
            session.shutdown()
            let result = await pending.result
            #expect((result.error() as? HTTPError)?.code == .cancelled)
            let later = try #require(await failure(of: HTTPRequest(url: server.url), on: session))
            #expect(later.error.code == .cancelled)
            #expect(later.error.message.contains("shut down"))
            session.shutdown()
        }
    }

    @Test("connect succeeds against a listening port, closes the connection, and leaves the session usable")
    func connectSucceeds() async throws {
        let session = try HTTPSession()
        let closedSilently = Recorder<Bool>()
        try await withTestServer { connection in
            var answered = false
            while connection.readRequest() != nil {
                answered = true
                connection.respond(status: 204, reason: "No Content")
            }
            if !answered { closedSilently.record(true) }
        } test: { server in
            let timings = try await session.connect(host: "127.0.0.1", port: Int(server.port), timeout: .seconds(2))
            #expect(timings.connect > .zero)
            #expect(timings.connect <= timings.total)
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(2)
            while closedSilently.all.isEmpty, clock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            #expect(closedSilently.all == [true], "the checked connection was left open, or carried a request")
            // The connect-only handle goes back to the pool; a request after it must work.
            let response = try await session.perform(HTTPRequest(url: server.url))
            #expect(response.status == 204)
        }
    }

    @Test("connect to a refused port fails quickly")
    func connectRefused() async throws {
        let session = try HTTPSession()
        let closed = try ClosedPort()
        let clock = ContinuousClock()
        let start = clock.now
        let error = await #expect(throws: HTTPError.self) {
            try await session.connect(host: "127.0.0.1", port: Int(closed.port), timeout: .seconds(5))
        }
        #expect(error?.code == .couldNotConnect)
        #expect(error?.message == "connection to 127.0.0.1:\(closed.port) refused")
        #expect(clock.now - start < .milliseconds(500))
    }

    @Test("connect to a port that never completes the handshake times out on schedule")
    func connectTimeout() async throws {
        let session = try HTTPSession()
        let unresponsive = try UnresponsivePort()
        let timeout = Duration.milliseconds(1000)
        let clock = ContinuousClock()
        let start = clock.now
        let error = await #expect(throws: HTTPError.self) {
            try await session.connect(host: "127.0.0.1", port: Int(unresponsive.port), timeout: timeout)
        }
        expectOnSchedule(clock.now - start, timeout)
        #expect(error?.code == .timeout)
        #expect(error?.message == "could not connect to 127.0.0.1:\(unresponsive.port) within 1.0 s")
    }

    @Test("performRepeatedly sends exactly `count` requests, `concurrency` at a time, and returns every outcome")
    func repeatedExchanges() async throws {
        let session = try HTTPSession(maximumCachedConnections: 4)
        let inFlight = InFlight()
        try await withTestServer { connection in
            while connection.readRequest() != nil {
                inFlight.enter()
                sleep(for: .milliseconds(5))
                inFlight.leave()
                guard connection.respond(status: 200, body: Array("ok".utf8)) else { return }
            }
        } test: { server in
            let outcomes = await session.performRepeatedly(HTTPRequest(url: server.url), count: 200, concurrency: 4)
            #expect(outcomes.count == 200)
            #expect(outcomes.allSatisfy { (try? $0.get())?.status == 200 })
            #expect(inFlight.total == 200)
            #expect(inFlight.most == 4, "at most 4 at once, and 4 reached")
        }
    }

    @Test(
        "performRepeatedly keeps no headers or body, yet refuses a redirect to another host and an over-large header section, and stops a body at the cap"
    )
    func repeatedExchangesStillJudgeResponses() async throws {
        let session = try HTTPSession()
        let reachedTarget = Recorder<String>()
        try await withTestServer { connection in
            while let request = connection.readRequest() {
                reachedTarget.record(request.target)
                connection.respond(status: 200)
            }
        } test: { target in
            try await withTestServer { connection in
                while let request = connection.readRequest() {
                    switch request.target {
                    case "/elsewhere":
                        connection.respond(status: 302, reason: "Found", headers: [("Location", "http://localhost:\(target.port)/")])
                    case "/padded":
                        connection.respond(status: 200, headers: [("X-Padding", String(repeating: "p", count: 600))])
                    default:
                        guard connection.respond(status: 200, body: Array(repeating: UInt8(ascii: "x"), count: 300_000)) else { return }
                    }
                }
            } test: { origin in
                let redirected = await session.performRepeatedly(
                    HTTPRequest(url: origin.url + "/elsewhere", maximumRedirects: 5), count: 3, concurrency: 2)
                #expect(redirected.count == 3)
                #expect(redirected.allSatisfy { if case .failure(let error) = $0 { error.code == .redirectToOtherHost } else { false } })
                #expect(reachedTarget.all.isEmpty, "the other host was contacted")

                let padded = await session.performRepeatedly(
                    HTTPRequest(url: origin.url + "/padded", maximumHeaderSize: 512), count: 3, concurrency: 2)
                #expect(padded.allSatisfy { if case .failure(let error) = $0 { error.code == .malformedResponse } else { false } })

                let capped = await session.performRepeatedly(
                    HTTPRequest(url: origin.url + "/large", maximumBodySize: 1024), count: 3, concurrency: 2)
                #expect(capped.allSatisfy { (try? $0.get())?.status == 200 }, "a body cut at the cap is a response")
            }
        }
    }

    @Test("cancelling performRepeatedly abandons the exchanges under way and starts no more")
    func repeatedExchangesCancelled() async throws {
        let session = try HTTPSession()
        let requests = Recorder<Int>()
        try await withTestServer { connection in
            while connection.readRequest() != nil {
                requests.record(1)
                sleep(for: .milliseconds(1500))
            }
        } test: { server in
            let clock = ContinuousClock()
            let start = clock.now
            let task = Task {
                await session.performRepeatedly(HTTPRequest(url: server.url, timeout: .seconds(30)), count: 1000, concurrency: 3)
            }
            try await Task.sleep(for: .milliseconds(300))
            task.cancel()
            let outcomes = await task.value
            #expect(clock.now - start < .seconds(1), "cancelled at 0.3 s, long before the 1.5 s answers")
            #expect(outcomes.count == 3, "the three under way, and no more")
            #expect(outcomes.allSatisfy { if case .failure(let error) = $0 { error.code == .cancelled } else { false } })
            #expect(requests.all.count == 3)
        }
    }

    @Test("connect by name goes through libcurl's lookup and connects as an address does")
    func connectByName() async throws {
        let session = try HTTPSession()
        try await withTestServer(TestServer.slow(delay: .zero, body: [])) { server in
            let timings = try await session.connect(host: "localhost", port: Int(server.port), timeout: .seconds(2))
            #expect(timings.connect > .zero)
        }
    }

    @Test("waitUntilAccepting returns as soon as a port that refused connections starts listening")
    func waitUntilAcceptingSeesTheListener() async throws {
        let session = try HTTPSession()
        let server = try TestServer(listeningAfter: .milliseconds(300), TestServer.slow(delay: .zero, body: []))
        defer { #expect(server.stop()) }
        let accepted = await session.waitUntilAccepting(serverOf: server.url, until: .now + .seconds(5))
        let listening = try #require(server.startedListening)
        #expect(accepted)
        #expect(ContinuousClock.now - listening < .milliseconds(200), "seen \(ContinuousClock.now - listening) after it listened")
    }

    @Test("waitUntilAccepting gives up at its deadline on a refused port, and at once for a name it would have to look up")
    func waitUntilAcceptingGivesUp() async throws {
        let session = try HTTPSession()
        let closed = try ClosedPort()
        let clock = ContinuousClock()
        var start = clock.now
        #expect(await !session.waitUntilAccepting(host: "127.0.0.1", port: Int(closed.port), until: start + .milliseconds(500)))
        expectOnSchedule(clock.now - start, .milliseconds(500))
        start = clock.now
        #expect(await !session.waitUntilAccepting(host: "service.invalid", port: Int(closed.port), until: start + .seconds(5)))
        #expect(clock.now - start < .milliseconds(100))
    }

    @Test("connect rejects hosts and ports that are not one")
    func connectValidation() async throws {
        let session = try HTTPSession()
        for (host, port) in [("evil.example/x@127.0.0.1", 80), ("", 80), ("127.0.0.1", 0), ("127.0.0.1", 70000)] {
            let error = await #expect(throws: HTTPError.self) { try await session.connect(host: host, port: port, timeout: .seconds(1)) }
            #expect(error?.code == .other)
        }
    }
}

extension Result {
    /// The failure, or nil for a success.
    fileprivate func error() -> Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
