import ArgumentParser
import Basics
import Foundation
import GantryKit
import GitHubActions
import Pipeline

/// `gantry gate`
struct Gate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "Run health, smoke and latency gates against running services.",
        discussion: """
            Every service's gates run at once; a service's start when the services it depends on are \
            healthy. Its checks' ${url} and ${port} come from --url, or from the environment \
            `gantry env up` recorded. Without a configuration, one check can be given on the command \
            line. Exit 1 when a gate fails. Under Actions the step outputs are `passed` and `json`.

            Examples:
              gantry gate
              gantry gate --url api=http://127.0.0.1:8000 --service api
              gantry gate --http https://staging.example.com/health --expect-status 200 --deadline 5m
              gantry gate --http http://127.0.0.1:8080/ready --expect-json '$.status="ok"'
              gantry gate --tcp 127.0.0.1:5432
              gantry gate --tls staging.example.com:443 --min-days-valid 14
            """
    )

    @OptionGroup var workspaceOptions: WorkspaceOptions
    @OptionGroup var reportArguments: ReportArguments

    @Option(name: .customLong("service"), help: ArgumentHelp("Gate this service (repeatable).", valueName: "name"))
    var services: [String] = []

    @Option(name: .customLong("url"), help: ArgumentHelp("Where a service answers (repeatable).", valueName: "name=url"))
    var urls: [String] = []

    @OptionGroup(title: "A check without a configuration") var check: AdHocCheckArguments

    func validate() throws {
        for url in urls where !url.contains("=") {
            throw ValidationError("--url must be NAME=URL, such as api=http://127.0.0.1:8000; got \"\(url)\"")
        }
        if check.isGiven && (!services.isEmpty || !urls.isEmpty) {
            throw ValidationError("a check given with --http, --tcp, --tls or --command runs alone: drop --service and --url")
        }
    }

    func run() async throws {
        let context = ActionsContext.current()
        let target: GateStep.Target
        if check.isGiven {
            target = .check(check)
        } else {
            var addresses: [String: String] = [:]
            for url in urls {
                let parts = url.split(separator: "=", maxSplits: 1)
                addresses[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
            }
            target = .services(services, urls: addresses)
        }
        let step = GateStep(
            workspace: workspaceOptions.workspace(context: context), target: target, options: reportArguments.options,
            context: context, environment: ProcessInfo.processInfo.environment)
        try Gantry.finish(try await step.run())
    }
}

/// The options of an ad hoc check, the check itself: its properties are `AdHocCheck`'s.
struct AdHocCheckArguments: ParsableArguments, AdHocCheck {
    @Option(help: ArgumentHelp("Check this URL.", valueName: "url")) var http: String?
    @Option(help: ArgumentHelp("Check that this address accepts connections.", valueName: "host:port")) var tcp: String?
    @Option(help: ArgumentHelp("Check that this shell command exits with 0.", valueName: "command")) var command: String?
    @Option(help: ArgumentHelp("Check this server's TLS certificate and protocol.", valueName: "host:port|https://url")) var tls: String?
    @Option(help: ArgumentHelp("The name the certificate must carry (default: the host).", valueName: "name")) var hostname: String?
    @Option(
        name: .customLong("min-days-valid"),
        help: ArgumentHelp("The fewest days the certificate must stay valid (default 14).", valueName: "n"))
    var minimumDaysValid: Int?
    @Option(
        name: .customLong("spki-sha256"),
        help: ArgumentHelp("The pinned public key: base64 SHA-256 of its SubjectPublicKeyInfo.", valueName: "base64"))
    var publicKeySHA256: String?
    @Option(help: "The HTTP method.") var method = "GET"
    @Option(name: .customLong("header"), help: ArgumentHelp("A request header (repeatable).", valueName: "name: value")) var headers:
        [String] = []
    @Option(help: "The request body.") var body: String?
    @Option(name: .customLong("expect-status"), help: ArgumentHelp("An allowed status (repeatable; default 200–399).", valueName: "code"))
    var statuses: [Int] = []
    @Option(
        name: .customLong("expect-header"), help: ArgumentHelp("A header the response must have (repeatable).", valueName: "name: value"))
    var expectedHeaders: [String] = []
    @Option(name: .customLong("expect-body-contains"), help: ArgumentHelp("Text the body must contain.", valueName: "text"))
    var bodyContains: String?
    @Option(name: .customLong("expect-body-matches"), help: ArgumentHelp("A regular expression the body must match.", valueName: "regex"))
    var bodyMatches: String?
    @Option(
        name: .customLong("expect-json"),
        help: ArgumentHelp("A JSON path and the value it must hold (repeatable).", valueName: "$.path=value")) var json: [String] = []
    @Flag(name: .customLong("insecure"), help: "Do not verify the TLS certificate (shown in the report).") var isInsecure = false
    @Option(
        name: .customLong("ca"),
        help: ArgumentHelp("Verify TLS with this CA bundle instead of the system's (--http, --tls).", valueName: "file"))
    var certificateAuthorityFile: String?
    @Option(name: .customLong("follow-redirects"), help: ArgumentHelp("Redirects to follow (default 0).", valueName: "n"))
    var maximumRedirects = 0
    @Option(help: ArgumentHelp("The longest the check may take (default 2m, or none with --attempts).", valueName: "duration"))
    var deadline: String?
    @Option(help: ArgumentHelp("The most attempts; with --deadline, whichever ends first.", valueName: "n")) var attempts: Int?
    @Option(help: ArgumentHelp("The wait between attempts (default 200ms).", valueName: "duration")) var interval: String?
    @Option(name: .customLong("max-interval"), help: ArgumentHelp("Back off, doubling the interval up to this.", valueName: "duration"))
    var maximumInterval: String?
    @Option(help: ArgumentHelp("The longest one attempt may take (default 5s).", valueName: "duration")) var requestTimeout: String?
    @Option(help: ArgumentHelp("Passes in a row needed (default 1).", valueName: "n")) var successThreshold: Int?
    @Option(help: ArgumentHelp("Failures in a row that fail the check (default: none; the deadline decides).", valueName: "n"))
    var failureThreshold: Int?
}
