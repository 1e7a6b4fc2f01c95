import Foundation
import TestSupport
import Testing

@testable import Basics
@testable import GantryKit
@testable import Reports

/// The summary's sections for images, the environment, the gates and the phases of `gantry run`:
/// present when recorded, and safe whatever a branch, a server or a log line contains.
@Suite("Summary sections of the later stages")
struct StageSectionsTests {
    static let hostile = "</details><script>alert(1)</script>|`x`\n::error::pwned @someone"

    let gates = GatesDocument(
        checks: [
            CheckResult(
                service: "api", gate: "health", name: "GET ${url}/health", verdict: .passed, attempts: 3, elapsed: 0.4,
                timeToReady: 0.4, status: 200, body: "ok",
                timings: AttemptTimings(nameLookup: 0.1, connect: 0.2, tlsHandshake: 0, firstByte: 1.5, total: 1.6),
                message: "passed after 3 attempts, in 400 ms", isInsecure: false, location: nil),
            CheckResult(
                service: "web", gate: "smoke", name: hostile, verdict: .failed, attempts: 1, elapsed: 0.1, status: 503, body: hostile,
                message: "expected status 200, got 503 after 1 attempt over 100 ms; last body: \(hostile)", isInsecure: true, location: nil),
        ],
        latency: [
            LatencyResult(
                service: "api", verdict: .passed, requests: 100, concurrency: 10, errors: 0, p50: 1.2, p95: 3.4, p99: 5.6,
                requestsPerSecond: 900, message: "p50 1.2 ms", location: nil)
        ])

    @Test("gates: one row per check with its timing, the latency table, and the failure's words")
    func gatesSection() throws {
        let markdown = SummaryReport(records: [Record(command: "gate", exitCode: 1, gates: gates)]).markdown()
        #expect(markdown.contains("### Gates"))
        #expect(markdown.contains("dns 0.1 ms, connect 0.2 ms, first byte 1.5 ms, total 1.6 ms"))
        #expect(markdown.contains("TLS not verified: insecure"))
        let html = try CmarkGFM.html(markdown)
        #expect(!html.contains("<script"))
        #expect(!html.contains("</details>"), "no section is closed by a server's body")
        #expect(html.components(separatedBy: "<tr>").count - 1 == 3 + 2, "two tables: 2 checks and 1 latency row, with headers")
    }

    @Test("environment: its URLs, and a failed service's last log lines collapsed, each line as text")
    func environmentSection() throws {
        var environment = EnvironmentDocument(
            name: "gantry-1-1-build-abc123", provider: "process", state: .down,
            endpoints: [ServiceEndpoint(service: "api", url: "http://127.0.0.1:8000")])
        environment.failures = [ServiceFailure(service: "api", log: "/tmp/api.log", tail: ["starting", Self.hostile, "Traceback"])]
        let markdown = SummaryReport(records: [Record(command: "run", exitCode: 1, environment: environment)]).markdown()
        #expect(markdown.contains("### Environment"))
        #expect(markdown.contains("`http://127.0.0.1:8000`"))
        let html = try CmarkGFM.html(markdown)
        #expect(html.components(separatedBy: "<details>").count - 1 == 1)
        #expect(html.components(separatedBy: "</details>").count - 1 == 1)
        #expect(!html.contains("<script"))
        #expect(html.contains("Traceback"))
    }

    @Test("run: every phase with its duration and outcome")
    func phasesSection() throws {
        let phases = [
            Phase(name: "changes", seconds: 0.01, outcome: "passed"), Phase(name: "up", seconds: 1.5, outcome: "passed"),
            Phase(name: "gates", seconds: 3.25, outcome: "failed"), Phase(name: "down", seconds: 0.2, outcome: "passed"),
        ]
        let markdown = SummaryReport(records: [Record(command: "run", exitCode: 1, phases: phases)]).markdown()
        #expect(markdown.contains("| gates | 3.25 s | failed |"))
        #expect(markdown.hasPrefix("## ❌ gantry: a check failed in run"))
    }

    @Test("images: each service's version and tags as code, a hostile version kept as text")
    func imagesSection() throws {
        let plan = ServiceImage(
            service: "api", image: "ghcr.io/acme/api", version: Self.hostile,
            tags: ["ghcr.io/acme/api:main", "ghcr.io/acme/api:sha-1234567"],
            labels: [:], context: "services/api", dockerfile: "services/api/Dockerfile")
        let document = TagsDocument(event: "push of refs/heads/main", commit: String(repeating: "a", count: 40), images: [plan])
        let report = SummaryReport(records: [Record(command: "tags", exitCode: 0, tags: document)])
        #expect(report.headline == "gantry: 1 image tagged")
        let markdown = report.markdown()
        #expect(markdown.contains("`ghcr.io/acme/api:sha-1234567`"))
        let html = try CmarkGFM.html(markdown)
        #expect(!html.contains("<script"))
        #expect(html.components(separatedBy: "<tr>").count - 1 == 2)
    }
}
