import Basics
import Config
import Foundation

/// The user's own commands (azd, terraform, az …): `up` creates, `outputs` prints `KEY=VALUE` lines
/// (a service's URL as `<NAME>_URL`), `down` removes. Each runs with `GANTRY_ENVIRONMENT` set to the
/// environment's name, in the repository root, within its timeout. What `up` starts in the
/// background (`server &`) is part of the environment: it runs until `down`, which stops it after
/// the `down` command.
struct CommandProvider: EnvironmentProvider {
    /// The commands.
    var commands: EnvironmentSettings.Commands

    func up(_ request: EnvironmentRequest, journal: Journal) async throws(EnvironmentFailure) -> [ServiceEndpoint] {
        let log = request.logDirectory + "/command.log"
        do {
            try journal.update { ledger in
                ledger.downCommand = commands.down
                ledger.commandTimeout = commands.timeout.inSeconds
            }
            _ = try journal.plan(Ledger.Resource(kind: "command", status: .planned, log: log))
        } catch {
            throw EnvironmentFailure(message: "\(error)")
        }
        let environment = Self.environment(request.environment, name: request.name)
        let up = try await run(commands.up, "up", request: request, environment: environment, log: log, keepsBackground: true)
        // Whatever `up` got to create before it failed, `down` must remove, its background processes included.
        try? journal.update(resource: 0) { resource in
            resource.status = .created
            if !up.session.members().isEmpty { resource.session = up.session.id }
        }
        guard up.status == 0 else { throw failure("up", up, log: log) }
        guard let outputs = commands.outputs else { return [] }
        let printed = try await run(outputs, "outputs", request: request, environment: environment, log: log + ".outputs")
        guard printed.status == 0 else { throw failure("outputs", printed, log: log) }
        let values = Self.parseOutputs(printed.output)
        return request.services.compactMap { service in
            values[Configuration.urlVariable(of: service.name)].map { ServiceEndpoint(service: service.name, url: $0) }
        }
    }

    func down(_ ledger: Ledger, journal: Journal) async -> [String] {
        guard let command = ledger.downCommand, ledger.resources.contains(where: { $0.kind == "command" && $0.status != .removed }) else {
            return []
        }
        let log = ledger.resources.first { $0.kind == "command" }?.log ?? NSTemporaryDirectory() + "/gantry-\(ledger.name)-down.log"
        let environment = Self.environment(ProcessInfo.processInfo.environment, name: ledger.name)
        let timeout = Duration(seconds: ledger.commandTimeout ?? 1800)
        var problems: [String] = []
        do {
            let outcome = try await ShellCommand(command: command, directory: ledger.root, environment: environment, log: log)
                .run(timeout: timeout)
            if outcome.status != 0 {
                problems.append("`\(command)` \(outcome.ending(timeout: timeout)): " + outcome.lastLines(5).joined(separator: " / "))
            }
        } catch {
            problems.append("`\(command)` could not run: \(error)")
        }
        // What `up` left running in the background; a session whose id now belongs to others is not ours.
        if let id = ledger.resources.first(where: { $0.kind == "command" })?.session, ProcessSession(id: id).belongs(to: ledger.name) {
            let left = await ProcessSession(id: id).terminate(grace: Duration(seconds: ledger.gracePeriod))
            if !left.isEmpty {
                problems.append("what `up` started left processes \(left.map(String.init).joined(separator: ", ")) running")
            }
        }
        if problems.isEmpty { try? journal.markRemoved(kind: "command") }
        return problems
    }

    /// `KEY=VALUE` lines, as `azd env get-values` prints them: quotes around a value are removed;
    /// other lines are ignored.
    static func parseOutputs(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let quote = value.first, quote == "\"" || quote == "'", value.last == quote {
                value = String(value.dropFirst().dropLast())
            }
            guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0 == "_" || $0.isLetter || $0.isNumber) }) else { continue }
            values[key] = value
        }
        return values
    }

    private static func environment(_ base: [String: String], name: String) -> [String: String] {
        var environment = base
        environment[ProcessSession.environmentVariable] = name
        return environment
    }

    private func run(
        _ command: String, _ role: String, request: EnvironmentRequest, environment: [String: String], log: String,
        keepsBackground: Bool = false
    ) async throws(EnvironmentFailure) -> ShellCommand.Outcome {
        do {
            return try await ShellCommand(command: command, directory: request.root, environment: environment, log: log)
                .run(timeout: commands.timeout, keepsBackground: keepsBackground)
        } catch {
            throw EnvironmentFailure(message: "cannot run the `\(role)` command: \(error)", logPath: log)
        }
    }

    private func failure(_ role: String, _ outcome: ShellCommand.Outcome, log: String) -> EnvironmentFailure {
        EnvironmentFailure(
            message: "the `\(role)` command \(outcome.ending(timeout: commands.timeout))", logTail: outcome.lastLines(30), logPath: log)
    }
}
