import Basics

extension Configuration {
    /// Names that `gantry changes` already uses for its own step outputs; a service of that name
    /// would overwrite one of them.
    /// The fixed names of the outputs gantry and its action write: a service of that name would
    /// collide with its own per-service output.
    static let reservedNames: Set<String> = [
        "changed", "matrix", "any-changed", "base", "head", "tags", "bake-file", "json", "passed", "environment", "urls", "logs",
        "sarif", "exit-code", "summary",
    ]

    /// Problems that span entries: names, dependencies and cycles. Per-field problems are found while reading.
    func crossReferenceDiagnostics() -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var definitions: [String: SourceLocation] = [:]
        var urlVariables: [String: String] = [:]

        for (kind, name, location) in groups.map({ ("group", $0.name, $0.location) }) + services.map({ ("service", $0.name, $0.location) })
        {
            if let problem = Self.problem(withName: name) {
                diagnostics.append(Diagnostic("invalid \(kind) name `\(name)`: \(problem)", at: location, kind: .invalidName))
            } else if kind == "service", Self.reservedNames.contains(name) {
                diagnostics.append(
                    Diagnostic(
                        "service name `\(name)` is reserved: gantry writes an output of that name; rename the service",
                        at: location, kind: .invalidName))
            }
            if let first = definitions[name] {
                diagnostics.append(
                    Diagnostic(
                        "`\(name)` is defined twice (also at line \(first.line)); group and service names share one namespace",
                        at: location, kind: .invalidName))
            } else {
                definitions[name] = location
            }
            if kind == "service" {
                let variable = Self.urlVariable(of: name)
                if let other = urlVariables[variable], other != name {
                    diagnostics.append(
                        Diagnostic(
                            "services `\(other)` and `\(name)` both become \(variable) in the environment; rename one",
                            at: location, kind: .invalidName))
                }
                urlVariables[variable] = name
            }
        }

        let names = Suggestions(groups.map(\.name) + services.map(\.name))
        for service in services {
            for dependency in service.dependencies where definitions[dependency.name] == nil {
                let hint = names.hint(for: dependency.name)
                diagnostics.append(
                    Diagnostic(
                        "`\(service.name)` depends on `\(dependency.name)`, which is neither a group nor a service\(hint)",
                        at: dependency.location, kind: .unknownDependency))
            }
        }
        diagnostics += cycleDiagnostics()
        return diagnostics
    }

    /// The variable that carries a service's URL to commands, checks and later steps:
    /// `user-api` → `USER_API_URL`.
    package static func urlVariable(of service: String) -> String {
        service.uppercased().replacingOccurrences(of: "-", with: "_") + "_URL"
    }

    /// Why `name` cannot name a service or group, or nil. Names become output names, image path
    /// components, compose project names and environment variable names, so they take the strictest
    /// common form.
    static func problem(withName name: String) -> String? {
        let bytes = Array(name.utf8)
        let isLower = { (byte: UInt8) in (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) }
        let isDigit = { (byte: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        let isSeparator = { (byte: UInt8) in byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") }
        let expected = "expected lowercase letters, digits, '-' and '_', starting with a letter, such as `user-api`"
        guard let first = bytes.first else { return "a name must not be empty" }
        guard bytes.count <= 63 else { return "at most 63 characters are allowed" }
        guard isLower(first) else { return "it must start with a lowercase letter; \(expected)" }
        guard bytes.allSatisfy({ isLower($0) || isDigit($0) || isSeparator($0) }) else { return expected }
        guard !isSeparator(bytes[bytes.count - 1]) else { return "it must not end with '-' or '_'; \(expected)" }
        for index in 1..<bytes.count where isSeparator(bytes[index]) && isSeparator(bytes[index - 1]) {
            return "separators must not be doubled; \(expected)"
        }
        return nil
    }

    /// One diagnostic per dependency cycle among services, naming the whole cycle. A depth-first
    /// walk over an explicit path rather than recursion, so that a chain of services as long as the
    /// file allows takes no stack.
    private func cycleDiagnostics() -> [Diagnostic] {
        let byName = Dictionary(services.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var diagnostics: [Diagnostic] = []
        // The services being visited, each with the index of the next dependency to follow.
        var path: [(service: Service, next: Int)] = []

        for root in services where marks[root.name] == nil {
            marks[root.name] = .visiting
            path.append((root, 0))
            while let (service, index) = path.last {
                guard index < service.dependencies.count else {
                    marks[service.name] = .done
                    path.removeLast()
                    continue
                }
                path[path.count - 1].next += 1
                let dependency = service.dependencies[index]
                guard let next = byName[dependency.name] else { continue }
                switch marks[next.name] {
                case .visiting:
                    let start = path.lastIndex { $0.service.name == next.name }!
                    let cycle = path[start...].map(\.service.name) + [next.name]
                    diagnostics.append(
                        Diagnostic(
                            "dependency cycle: \(cycle.joined(separator: " → ")); depends_on must not lead back to a service",
                            at: dependency.location, kind: .dependencyCycle))
                case .done:
                    continue
                case nil:
                    marks[next.name] = .visiting
                    path.append((next, 0))
                }
            }
        }
        return diagnostics
    }
}
