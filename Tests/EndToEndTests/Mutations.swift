import Foundation
import TestSupport

/// Hostile variations of a valid `gantry.yml`, an event payload and a pushed tag, each with a name
/// that says what was done, for the fuzzing suite.
struct Mutations {
    var generator: SplitMix

    /// A valid configuration using most of the schema: the corpus every mutation starts from.
    static let configuration = """
        version: 1
        registry: ghcr.io/acme
        global: [".github/workflows/**", "gantry.yml"]
        groups:
          common: ["libs/common/**"]
        services:
          api:
            paths: ["services/api/**", "!services/api/docs/**"]
            ignore: ["**/*.md"]
            depends_on: [common]
            run: "exec python3 app.py --port ${port}"
            env: {LOG_LEVEL: debug}
            health:
              - http: "${url}/api/health"
                expect: {status: 200, json: {"$.status": healthy}}
              - tcp: "127.0.0.1:${port}"
            smoke:
              - name: list
                http: {url: "${url}/api/videos", headers: {Accept: application/json}}
                expect: {status: [200], body_contains: items, max_latency: 500ms}
            latency: {requests: 10, concurrency: 2, p95: 300ms}
          web:
            paths: services/web/**
            depends_on: [api]
            tags: ["type=match,pattern=v(\\\\d+)\\\\.(\\\\d+),group=1"]
        tags:
          - type=ref,event=branch
          - type=semver,pattern={{version}}
          - type=sha
          - type=tree
        flavor: [latest=auto]
        labels: ["org.opencontainers.image.vendor=Acme"]
        gates: {deadline: 2m, interval: 1s}
        environment: {provider: process, ttl: 2h}

        """

    /// A `push` payload as GitHub sends it, trimmed to the fields gantry reads.
    static var payload: [String: Any] {
        [
            "ref": "refs/heads/main", "before": String(repeating: "0", count: 40), "after": String(repeating: "a", count: 40),
            "created": false, "deleted": false, "forced": false, "base_ref": NSNull(),
            "repository": [
                "default_branch": "main", "html_url": "https://github.com/acme/mono", "description": "d", "license": ["spdx_id": "MIT"],
            ],
            "pull_request": ["number": 7, "base": ["ref": "main", "sha": "b"], "head": ["ref": "feature", "sha": "c"]],
            "merge_group": ["base_sha": "b", "head_sha": "c", "head_ref": "gh-readonly-queue/main/pr-1-c", "base_ref": "refs/heads/main"],
        ]
    }

    mutating func below(_ bound: Int) -> Int { Int(generator.next() % UInt64(max(1, bound))) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    // MARK: - Configurations

    /// A mutated configuration and what was done to it.
    mutating func configuration() -> (text: String, mutation: String) {
        var bytes = Array(Self.configuration.utf8)
        var steps: [String] = []
        // Mostly one mutation, so that the rest of the file stays valid and the mutation reaches
        // past the YAML parser.
        for _ in 0..<(chance(70) ? 1 : 2) {
            switch below(10) {
            case 0:
                for _ in 0...below(8) where !bytes.isEmpty { bytes[below(bytes.count)] = UInt8(truncatingIfNeeded: generator.next()) }
                steps.append("byte flips")
            case 1:
                bytes = Array(bytes.prefix(below(bytes.count + 1)))
                steps.append("truncation")
            case 2:
                let start = below(bytes.count)
                let span = bytes[start..<min(bytes.count, start + below(400))]
                bytes.insert(contentsOf: Array(repeating: span, count: 1 + below(40)).joined(), at: below(bytes.count + 1))
                steps.append("duplicated span")
            case 3:
                bytes = insertingValue(deepNesting(), into: bytes)
                steps.append("deep nesting")
            case 4:
                bytes = Array(aliasBomb().utf8) + bytes.drop { $0 != UInt8(ascii: "\n") }
                steps.append("aliases")
            case 5:
                bytes = insertingValue(
                    "\"" + String(repeating: pick(["a", "é", "*", "{{", "\\\\"]), count: 1 << (10 + below(11))) + "\"", into: bytes)
                steps.append("huge scalar")
            case 6:
                bytes = insertingValue("[\"" + longGlob() + "\"]", into: bytes)
                steps.append("long glob")
            case 7:
                return (dependencyChain(), "depends_on chain")
            case 8:
                for _ in 0...below(6) {
                    let scalar = pick([
                        "\u{0}", "\u{1}", "\u{7F}", "\u{202E}", "\u{FEFF}", "\r", "\t", "é", "🙂", "\u{85}", "\u{2028}", "\u{FFFF}",
                    ])
                    bytes.insert(contentsOf: Array(scalar.utf8), at: below(bytes.count + 1))
                }
                steps.append("unicode and control characters")
            default:
                bytes = insertingValue(tagRules(), into: bytes, key: "tags")
                steps.append("tag rules")
            }
        }
        return (String(decoding: bytes, as: UTF8.self), steps.joined(separator: ", "))
    }

    /// `bytes` with a line `key: value` replacing a random top-level or service key's value.
    private mutating func insertingValue(_ value: String, into bytes: [UInt8], key: String? = nil) -> [UInt8] {
        let keys = ["global", "paths", "ignore", "depends_on", "health", "labels", "registry", "env", "services", "groups"]
        let line = "\(key ?? pick(keys)): \(value)\n"
        var text = String(decoding: bytes, as: UTF8.self)
        if chance(50), let range = text.range(of: "\n  api:\n") {
            text.insert(contentsOf: "    " + line, at: range.upperBound)
        } else {
            text += line
        }
        return Array(text.utf8)
    }

    private mutating func deepNesting() -> String {
        let depth = pick([10, 100, 900, 1100, 50_000])
        let (open, close) = pick([("[", "]"), ("{a: ", "}"), ("[{a: ", "}]")])
        return String(repeating: open, count: depth) + "x" + String(repeating: close, count: depth)
    }

    private mutating func aliasBomb() -> String {
        let width = 5 + below(6)
        var lines = ["x0: &a0 [\(Array(repeating: "x", count: width).joined(separator: ", "))]"]
        let levels = 4 + below(6)
        for level in 1...levels {
            lines.append("x\(level): &a\(level) [\(Array(repeating: "*a\(level - 1)", count: width).joined(separator: ", "))]")
        }
        lines.append(chance(50) ? "? *a\(levels)\n: x" : "y: *a\(levels)")
        return lines.joined(separator: "\n") + "\n"
    }

    private mutating func longGlob() -> String {
        let piece = pick(["**/", "*", "?", "[a-z]", "a/", "\\*", "[", "[[:alpha:]]", "**"])
        return String(repeating: piece, count: pick([10, 1000, 2000, 10_000, 150_000])) + pick(["a.py", "", "/", "**"])
    }

    private mutating func dependencyChain() -> String {
        let count = pick([10, 500, 1000, 1001, 3000, 7000])
        let cyclic = chance(50)
        let services = (0..<count).map { index in
            let next = index + 1 < count ? "s\(index + 1)" : cyclic ? "s0" : "nowhere\(index)"
            return "  s\(index): {paths: [s\(index)/**], depends_on: [\(next)]}\n"
        }
        return "version: 1\nservices:\n" + services.joined()
    }

    private mutating func tagRules() -> String {
        let patterns = [
            "(a*)*b", "(a|aa)*c", "^(\\\\w+\\\\s?)*$", "v(\\\\d+)\\\\1", "(?=v)v", "[", "(", "a{2,1}", "a{1000}{1000}",
            String(repeating: "(", count: 40) + String(repeating: ")", count: 40), "/x/gimsu", "(.*){1,500}x", "\\\\", "",
        ]
        let rules = (0...below(4)).map { _ in
            pick([
                "type=match,pattern=\(pick(patterns)),group=\(below(3))", "type=semver,pattern={{version}},match=\(pick(patterns))",
                "type=raw,value=" + String(repeating: "{{", count: below(3000)), "type=match,\"pattern=/\(pick(patterns))/g\"",
            ])
        }
        return "[" + rules.map { "'\($0)'" }.joined(separator: ", ") + "]"
    }

    /// A tag name a pusher might choose.
    mutating func tag() -> String {
        pick([
            "v1.2.3", String(repeating: "a", count: pick([32, 255, 4000])), "v" + String(repeating: "1.", count: 500) + "x",
            "é🙂\u{202E}", String(repeating: "a", count: 40) + "c",
        ])
    }

    // MARK: - Payloads

    /// A mutated event payload and what was done to it.
    mutating func payload() -> (data: Data, mutation: String) {
        switch below(6) {
        case 0:
            let top = pick(["[]", "\"push\"", "42", "null", "true", "[{\"ref\": 1}]"])
            return (Data(top.utf8), "non-object top level \(top)")
        case 1:
            let depth = pick([100, 600, 100_000])
            return (
                Data((String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth)).utf8),
                "nesting \(depth) deep"
            )
        case 2:
            var json = serialized(Self.payload)
            json = Array(json.prefix(below(json.count)))
            return (Data(json), "truncated")
        case 3:
            var json = serialized(Self.payload)
            for _ in 0...below(8) where !json.isEmpty { json[below(json.count)] = UInt8(truncatingIfNeeded: generator.next()) }
            return (Data(json), "byte flips")
        default:
            var payload = Self.payload
            let path = pick([
                ["ref"], ["before"], ["after"], ["created"], ["repository"], ["repository", "default_branch"],
                ["repository", "license", "spdx_id"], ["pull_request"], ["pull_request", "number"],
                ["pull_request", "base", "sha"], ["merge_group", "base_sha"], ["merge_group"],
            ])
            let value: Any = pick(
                [
                    42, -1, 1e300, true, NSNull(), [1, 2] as [Any], ["x": 1] as [String: Any], "",
                    String(repeating: "x", count: 1 << 20), String(repeating: "/", count: 5000), "\u{0}\n::set-output name=x::y",
                ] as [Any])
            set(&payload, at: path, to: value)
            return (Data(serialized(payload)), "\(path.joined(separator: ".")) set to a \(type(of: value))")
        }
    }

    private func serialized(_ object: Any) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8))
    }

    private func set(_ object: inout [String: Any], at path: [String], to value: Any) {
        guard let first = path.first else { return }
        if path.count == 1 {
            object[first] = value
        } else {
            var inner = object[first] as? [String: Any] ?? [:]
            set(&inner, at: Array(path.dropFirst()), to: value)
            object[first] = inner
        }
    }
}
