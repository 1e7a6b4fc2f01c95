import Basics
import Config
import Foundation
import HTTP

/// An HTTP check: sends the request and holds the response to the expectation.
struct HTTPProbe: Probe {
    /// The session all checks share, so that no check waits behind another.
    var session: HTTPSession
    /// The request, variables resolved; its timeout is replaced per attempt.
    var request: HTTPRequest
    /// What the response must show.
    var expectation: HTTPExpectation

    /// The most body bytes a check keeps: enough for any health document, and bounded whatever the server sends.
    static let maximumBodySize = 256 * 1024

    func attempt(timeout: Duration) async -> AttemptOutcome {
        var request = request
        request.timeout = timeout
        let response: HTTPResponse
        do {
            response = try await session.perform(request)
        } catch {
            return AttemptOutcome(
                passed: false, failure: error.message, timedOut: error.code == .timeout, couldNotConnect: error.code == .couldNotConnect)
        }
        let timings = AttemptTimings(response.timings)
        let body = BodyExcerpt.make(response.body, truncated: response.isBodyTruncated)
        let failure = expectation.failure(for: response)
        return AttemptOutcome(passed: failure == nil, failure: failure, status: response.status, body: body, timings: timings)
    }

    func waitUntilAccepting(until deadline: ContinuousClock.Instant) async -> Bool {
        await session.waitUntilAccepting(serverOf: request.url, until: deadline)
    }
}

extension AttemptTimings {
    /// libcurl's timings in milliseconds.
    init(_ timings: HTTPTimings) {
        func milliseconds(_ duration: Duration) -> Double {
            duration.inMilliseconds.rounded(toPlaces: 3)
        }
        self.init(
            nameLookup: milliseconds(timings.nameLookup), connect: milliseconds(timings.connect),
            tlsHandshake: milliseconds(timings.tlsHandshake), firstByte: milliseconds(timings.firstByte), total: milliseconds(timings.total)
        )
    }
}

extension Double {
    func rounded(toPlaces places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (self * scale).rounded() / scale
    }
}

extension HTTPExpectation {
    /// Why `response` does not meet the expectation, naming what was expected and what came back;
    /// nil when it does.
    func failure(for response: HTTPResponse) -> String? {
        guard allows(status: response.status) else {
            let expected =
                statuses.isEmpty
                ? "a 2xx or 3xx status"
                : statuses.count == 1 ? "status \(statuses[0])" : "status \(statuses.map(String.init).joined(separator: " or "))"
            return "expected \(expected), got \(response.status)"
        }
        for header in headers {
            guard let value = response.value(forHeader: header.name) else {
                return "expected header \(header.name): \(header.value), got none"
            }
            guard value == header.value else {
                return "expected header \(header.name): \(header.value), got \(BodyExcerpt.escape(value, limit: 200))"
            }
        }
        if let maximumLatency, response.timings.total > maximumLatency {
            return "took \(DurationText.format(response.timings.total)), over the \(DurationText.format(maximumLatency)) limit"
        }
        if bodyContains != nil || bodyMatches != nil || !json.isEmpty, response.isBodyTruncated {
            return "the body is over \(HTTPProbe.maximumBodySize / 1024) KiB, too long to check"
        }
        let text = String(decoding: response.body, as: UTF8.self)
        if let bodyContains, !text.contains(bodyContains) {
            return "expected the body to contain \"\(BodyExcerpt.escape(bodyContains, limit: 200))\""
        }
        if let bodyMatches, let regex = try? NSRegularExpression(pattern: bodyMatches),
            regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil
        {
            return "expected the body to match /\(BodyExcerpt.escape(bodyMatches, limit: 200))/"
        }
        if !json.isEmpty {
            guard let document = JSONValue(parsing: Data(response.body)) else { return "expected a JSON body, got something else" }
            for (path, expected) in json {
                let found = JSONPath(path)?.value(in: document)
                guard found == expected else {
                    return
                        "expected \(path) = \(expected), got \(found.map { BodyExcerpt.escape($0.description, limit: 200) } ?? "nothing there")"
                }
            }
        }
        return nil
    }
}
