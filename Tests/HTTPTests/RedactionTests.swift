import HTTP
import TestSupport
import Testing

@Suite("Credentials are redacted from error messages")
struct RedactionTests {
    @Test(
        "userinfo becomes ***",
        arguments: [
            ("request to https://alice:s3cret@example.com/repo failed", "request to https://***@example.com/repo failed"),
            ("malformed URL 'http://token123@example.com'", "malformed URL 'http://***@example.com'"),
            ("see https://user:p@ss@host:8443?x=1", "see https://***@host:8443?x=1"),
            ("no URL here", "no URL here"),
            ("plain http://example.com/a@b stays", "plain http://example.com/a@b stays"),
        ])
    func userinfo(message: String, expected: String) {
        #expect(HTTPError(code: .other, message: message).message == expected)
    }

    @Test(
        "secret-looking query values become ***",
        arguments: [
            ("https://h/p?access_token=abc&page=2", "https://h/p?access_token=***&page=2"),
            ("https://h/p?api_key=abc", "https://h/p?api_key=***"),
            ("https://h/p?APIKEY=abc#frag", "https://h/p?APIKEY=***#frag"),
            (
                "https://h/p?X-Amz-Signature=abc&X-Amz-Credential=AKIA&X-Amz-Date=1",
                "https://h/p?X-Amz-Signature=***&X-Amz-Credential=***&X-Amz-Date=1"
            ),
            ("https://h/p?sig=abc;client_secret=def", "https://h/p?sig=***;client_secret=***"),
            ("https://h/p?password=hunter2&user=bob", "https://h/p?password=***&user=bob"),
            ("https://h/p?api%5Fkey=abc", "https://h/p?api%5Fkey=***"),
            ("https://h/p?q=token&page=1", "https://h/p?q=token&page=1"),
        ])
    func query(url: String, expected: String) {
        #expect(HTTPError(code: .other, message: "request to \(url) failed").message == "request to \(expected) failed")
    }

    @Test("the detail is redacted too")
    func detail() {
        let error = HTTPError(code: .other, message: "failed", detail: "libcurl: http://bob:pw@h/?token=t1")
        #expect(error.detail == "libcurl: http://***@h/?token=***")
    }

    @Test("a real failure never shows the credentials it was given")
    func realFailure() async throws {
        let url = "ftp://alice:s3cret@127.0.0.1:9/file?token=t0ps3cret&page=1"
        let request = HTTPRequest(url: url)
        let session = try HTTPSession()
        let error = await #expect(throws: HTTPError.self) { try await session.perform(request) }
        let message = try #require(error).message
        #expect(message == "unsupported URL 'ftp://***@127.0.0.1:9/file?token=***&page=1': only http and https are allowed")
        #expect(!message.contains("s3cret") && !message.contains("t0ps3cret"))
    }

    @Test("a redirect chain that ends in too many redirects hides credentials of the last URL")
    func redirectMessage() async throws {
        try await withTestServer { connection in
            var hop = 0
            while connection.readRequest() != nil {
                hop += 1
                connection.respond(status: 302, reason: "Found", headers: [("Location", "/hop\(hop)?signature=sig\(hop)")])
            }
        } test: { server in
            let error = await #expect(throws: HTTPError.self) {
                try await HTTPSession().perform(HTTPRequest(url: "http://bob:pw@127.0.0.1:\(server.port)/", maximumRedirects: 2))
            }
            #expect(error?.code == .tooManyRedirects)
            #expect(error?.message.contains("signature=***") == true)
            #expect(error?.message.contains("pw") == false)
            #expect(error?.message.contains("sig3") == false)
        }
    }
}
