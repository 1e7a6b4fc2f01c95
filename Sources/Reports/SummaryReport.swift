import Basics
import Config
import Foundation
import GantryKit
import GitHubActions

/// The consolidated report of a run: every command's latest record, once, headline verdict first.
package struct SummaryReport {
    /// The latest record of each command, in the order the commands first ran.
    package var records: [Record]

    /// Keeps only the latest record of each command, so a command run twice reports once; a
    /// validation that a later successful `changes` outdates (it read the configuration too) goes,
    /// and so does an environment command that found nothing to act on, when another says more.
    package init(records: [Record]) {
        // A `down` or `gc` that found nothing to do (a second `down` under `if: always()`) must not
        // outdate the record of the environment that ran.
        let records =
            records.contains { $0.environment.map { !$0.isNothingToReport } ?? false }
            ? records.filter { $0.environment?.isNothingToReport != true } : records
        var latest: [String: Record] = [:]
        var order: [String] = []
        for record in records {
            if latest[record.command] == nil { order.append(record.command) }
            latest[record.command] = record
        }
        if let validation = latest["validate"], let changes = latest["changes"], changes.exitCode == ExitStatus.success,
            changes.recordedAt > validation.recordedAt
        {
            latest["validate"] = nil
        }
        self.records = order.compactMap { latest[$0] }
    }

    private var changes: ChangesDocument? { records.last { $0.changes != nil }?.changes }
    private var validation: ValidationDocument? { records.last { $0.validation != nil }?.validation }
    private var tags: TagsDocument? { records.last { $0.tags != nil }?.tags }
    private var gates: GatesDocument? { records.last { $0.gates != nil }?.gates }
    private var environment: EnvironmentDocument? { records.last { $0.environment != nil }?.environment }
    private var phases: [Phase]? { records.last { $0.phases != nil }?.phases }
    private var test: TestDocument? { records.last { $0.test != nil }?.test }
    private var failures: [Record] { records.filter { $0.exitCode != ExitStatus.success } }

    /// Whether every recorded command succeeded.
    package var succeeded: Bool { failures.isEmpty }

    /// The verdict in one line, without decoration.
    package var headline: String {
        if let failure = failures.first {
            return failure.exitCode == ExitStatus.failure
                ? "gantry: a check failed in \(failure.command)" : "gantry: \(failure.command) failed"
        }
        if let changes {
            if changes.allServicesReason != nil { return "gantry: \(every(changes.services.count, "service")) changed" }
            if changes.changed.isEmpty { return "gantry: no service changed" }
            return "gantry: \(changes.changed.count) of \(counted(changes.services.count, "service")) changed"
        }
        if let gates { return "gantry: \(every(gates.checks.count + gates.latency.count, "gate")) passed" }
        if let tags { return "gantry: \(counted(tags.images.count, "image")) tagged" }
        if let findings { return "gantry: \(counted(findings.findings.reduce(0) { $0 + $1.count }, "finding")) read" }
        if let validation, validation.valid { return "gantry: \(validation.file) is valid" }
        return records.isEmpty ? "gantry: nothing was recorded" : "gantry: done"
    }

    /// The report as text for a terminal.
    package func text() -> String {
        var sections = ["\(succeeded ? "✓" : "✗") \(headline)"]
        if let changes { sections.append(ChangesReport(changes).text()) }
        if let tags { sections.append(TagsReport(tags).text()) }
        if let environment { sections.append(EnvironmentReport(environment).text()) }
        if let gates { sections.append(GatesReport(gates).text()) }
        if let test { sections.append(Self.describe(test).joined(separator: "\n")) }
        if let findings { sections.append(FindingsReport(findings).text()) }
        if let validation, !validation.valid { sections.append(ValidationReport(validation).text()) }
        for failure in failures where failure.error != nil && failure.validation == nil {
            sections.append(UntrustedText.escapingControlCharacters("\(failure.command): \(failure.error!)"))
        }
        return sections.joined(separator: "\n\n")
    }

    /// The report as GitHub-flavoured markdown for the step summary, never longer than `byteLimit`.
    package func markdown(byteLimit: Int = 1_048_576) -> String {
        var document = MarkdownDocument(byteLimit: byteLimit)
        document.heading(2, "\(succeeded ? "✅" : "❌") \(Markdown.text(headline))")
        for failure in failures where failure.error != nil && failure.validation == nil {
            document.paragraph("**\(Markdown.text(failure.command))** failed: \(Markdown.text(failure.error!))")
        }
        if let validation, !validation.valid { addValidation(validation, to: &document) }
        if let changes { addChanges(changes, to: &document) }
        if let phases { addPhases(phases, to: &document) }
        if let tags { addImages(tags, to: &document) }
        if let environment { addEnvironment(environment, to: &document) }
        if let gates { addGates(gates, to: &document) }
        if let test { addTest(test, to: &document) }
        if let findings { addFindings(findings, to: &document) }
        return document.render()
    }

    private func addChanges(_ changes: ChangesDocument, to document: inout MarkdownDocument) {
        document.heading(3, "Changes")
        let base = changes.base.map { Markdown.code(String($0.prefix(7))) } ?? "none"
        document.paragraph(
            "Base \(base) → head \(Markdown.code(String(changes.head.prefix(7))))\(changes.workingTree ? " + working tree" : ""): "
                + Markdown.text(changes.baseReason))
        if let reason = changes.allServicesReason { document.paragraph("All services changed: \(Markdown.text(reason))") }
        let changed = changes.services.filter(\.changed)
        if !changed.isEmpty {
            document.table(
                header: ["Service", "Why", "Files"],
                rows: changed.lazy.map { service in
                    [Markdown.text(service.name), Markdown.text(Self.why(service)), "\(service.files.count)"]
                })
        }
        let unchanged = changes.services.filter { !$0.changed }
        if !unchanged.isEmpty {
            document.details(summary: Markdown.text("Unchanged services (\(unchanged.count))")) { details in
                details.bulletList(unchanged.lazy.map { Markdown.text($0.name) })
            }
        }
        for service in changed where !service.files.isEmpty {
            document.details(summary: Markdown.text("Files of \(service.name) (\(service.files.count))")) { details in
                details.bulletList(service.files.lazy.map(Markdown.code))
            }
        }
        if !changes.notes.isEmpty { document.bulletList(changes.notes.map(Markdown.text)) }
    }

    private func addImages(_ tags: TagsDocument, to document: inout MarkdownDocument) {
        document.heading(3, "Images")
        document.paragraph("\(Markdown.text(tags.event)) at \(Markdown.code(String(tags.commit.prefix(7))))")
        if let note = tags.note { document.paragraph(Markdown.text(note)) }
        guard !tags.images.isEmpty else { return }
        document.table(
            header: ["Service", "Version", "Tags"],
            rows: tags.images.lazy.map { image in
                [Markdown.text(image.service), Markdown.code(image.version), image.tags.map(Markdown.code).joined(separator: " ")]
            })
    }

    private func addPhases(_ phases: [Phase], to document: inout MarkdownDocument) {
        document.heading(3, "Phases")
        document.table(
            header: ["Phase", "Duration", "Outcome"],
            rows: phases.lazy.map { [Markdown.text($0.name), String(format: "%.2f s", $0.seconds), Markdown.text($0.outcome)] })
    }

    private func addEnvironment(_ environment: EnvironmentDocument, to document: inout MarkdownDocument) {
        document.heading(3, "Environment")
        if !environment.name.isEmpty {
            document.paragraph(
                "\(Markdown.code(environment.name)) (\(Markdown.text(environment.provider))): \(Markdown.text(environment.state.rawValue))")
        }
        if !environment.endpoints.isEmpty {
            document.table(
                header: ["Service", "URL"], rows: environment.endpoints.lazy.map { [Markdown.text($0.service), Markdown.code($0.url)] })
        }
        if let note = environment.note { document.paragraph(Markdown.text(note)) }
        if !environment.problems.isEmpty { document.bulletList(environment.problems.map(Markdown.text)) }
        for failure in environment.failures where !failure.tail.isEmpty {
            let title = "Last lines of the log of \(failure.service)" + (failure.log.map { " (\($0))" } ?? "")
            document.details(summary: Markdown.text(title)) { details in
                details.bulletList(failure.tail.lazy.map(Markdown.code))
            }
        }
    }

    private func addGates(_ gates: GatesDocument, to document: inout MarkdownDocument) {
        document.heading(3, "Gates")
        if !gates.checks.isEmpty {
            document.table(
                header: ["", "Service", "Check", "Attempts", "Ready in", "Last attempt", "Details"],
                rows: gates.checks.lazy.map { result in
                    [
                        GatesReport.mark(result.verdict),
                        Markdown.text(result.service.isEmpty ? "–" : "\(result.service) (\(result.gate))"),
                        Markdown.text(result.name), "\(result.attempts)",
                        result.timeToReady.map { String(format: "%.2f s", $0) } ?? "–",
                        result.timings.map { Markdown.text(GatesReport.describe($0)) } ?? "–",
                        Markdown.text(
                            result.message + (result.isInsecure ? " (TLS not verified: insecure)" : "")
                                + (result.certificate.map { "; certificate: \($0.line)" } ?? "")),
                    ]
                })
        }
        if !gates.latency.isEmpty {
            document.table(
                header: ["", "Service", "Requests", "p50", "p95", "p99", "Errors", "Details"],
                rows: gates.latency.lazy.map { result in
                    [
                        GatesReport.mark(result.verdict), Markdown.text(result.service), "\(result.requests) × \(result.concurrency)",
                        String(format: "%.1f ms", result.p50), String(format: "%.1f ms", result.p95), String(format: "%.1f ms", result.p99),
                        "\(result.errors)", Markdown.text(result.message),
                    ]
                })
        }
    }

    private func addTest(_ test: TestDocument, to document: inout MarkdownDocument) {
        document.heading(3, "Test")
        let ending = test.exitCode.map { "exited with \($0)" } ?? "was stopped"
        document.paragraph(
            "\(Markdown.code(test.command)) \(ending) after \(String(format: "%.2f s", test.seconds)); its output is in \(Markdown.code(test.log))"
        )
        if let results = test.results {
            document.paragraph(Markdown.text(Self.counts(results)))
            if !results.failedNames.isEmpty {
                document.details(summary: Markdown.text("Failed tests (\(results.failed))"), open: true) { details in
                    details.bulletList(results.failedNames.lazy.map(Markdown.code))
                }
            }
        }
        if let problem = test.resultsProblem { document.paragraph("JUnit XML not read: \(Markdown.text(problem))") }
        if !test.tail.isEmpty {
            document.details(summary: Markdown.text("Last lines of the test output")) { details in
                details.bulletList(test.tail.lazy.map(Markdown.code))
            }
        }
    }

    /// The test command in lines for a terminal, names escaped.
    static func describe(_ test: TestDocument) -> [String] {
        var lines = [
            "test `\(test.command)` \(test.exitCode.map { "exited with \($0)" } ?? "was stopped") after \(String(format: "%.2f s", test.seconds)); output: \(test.log)"
        ]
        if let results = test.results {
            lines.append(counts(results))
            lines += results.failedNames.map { "  failed: \($0)" }
        }
        if let problem = test.resultsProblem { lines.append("JUnit XML not read: \(problem)") }
        return lines.map(UntrustedText.escapingControlCharacters)
    }

    private static func counts(_ results: JUnitResults) -> String {
        "\(counted(results.tests, "test")): \(results.passed) passed, \(results.failed) failed, \(results.skipped) skipped"
    }

    private func addValidation(_ validation: ValidationDocument, to document: inout MarkdownDocument) {
        document.heading(3, "Configuration")
        document.paragraph("\(Markdown.code(validation.file)): \(counted(validation.diagnostics.count, "problem"))")
        document.table(
            header: ["Where", "Problem"],
            rows: validation.diagnostics.lazy.map { [Markdown.code("\($0.file):\($0.line):\($0.column)"), Markdown.text($0.message)] })
    }

    private static func why(_ service: ChangesDocument.ServiceEntry) -> String {
        service.reasons.map { reason in
            switch reason.kind {
            case "files": reason.detail
            case "dependency": "via \(reason.detail)"
            case "inputs": reason.detail
            case "global": "\(reason.detail): \((reason.files ?? []).prefix(3).joined(separator: ", "))"
            default: "all services"
            }
        }.joined(separator: "; ")
    }
}
