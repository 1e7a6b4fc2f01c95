import Foundation
import TestSupport

extension Mutations {
    /// A scanner's SARIF file (Trivy's, CodeQL's or hadolint's shape), mutated, and what was done to it.
    mutating func sarif() -> (data: Data, mutation: String) {
        let original = pick([
            ScannerSARIF.trivy([
                .init(id: "CVE-2024-3094", package: "xz-utils", severity: "CRITICAL", score: "10.0", title: "xz"),
                .init(id: "CVE-2023-44487", package: "h2", severity: "HIGH", score: nil, title: "rapid reset"),
            ]),
            ScannerSARIF.codeQL([.init(rule: "js/xss", score: "6.1", defaultLevel: "error", path: "src/app.js", line: 3, message: "xss")]),
            ScannerSARIF.hadolint([.init(code: "DL3008", level: "warning", line: 4, message: "Pin versions")]),
        ])
        var bytes = Array(original.utf8)
        switch below(5) {
        case 0:
            return (Data(bytes.prefix(below(bytes.count))), "truncated")
        case 1:
            for _ in 0...below(8) { bytes[below(bytes.count)] = UInt8(truncatingIfNeeded: generator.next()) }
            return (Data(bytes), "byte flips")
        case 2:
            let depth = pick([60, 65, 100_000, 2_000_000])
            let nested =
                #"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "T"}}, "results": "#
                + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}]}"
            return (Data(nested.utf8), "results nested \(depth) deep")
        default:
            let object = try! JSONSerialization.jsonObject(with: Data(original.utf8))
            let value: Any = pick(
                [
                    42, -1, 1e300, 1.5, 1e20, true, NSNull(), [1, 2] as [Any], ["x": 1] as [String: Any], "", "nan", "-5", "1e400",
                    String(repeating: "x", count: 1 << 20), "\u{0}\n::error::pwned\r\n</details><script>", Int.max,
                ] as [Any])
            var path: [String] = []
            let mutated = replacingOneValue(in: object, with: value, path: &path)
            let data = (try? JSONSerialization.data(withJSONObject: mutated, options: [.fragmentsAllowed])) ?? Data("{}".utf8)
            return (data, "\(path.joined()) set to a \(type(of: value))")
        }
    }

    /// `object` with one value, reached by a random walk, replaced by `value`.
    private mutating func replacingOneValue(in object: Any, with value: Any, path: inout [String]) -> Any {
        if var dictionary = object as? [String: Any], !dictionary.isEmpty, !chance(20) {
            let key = pick(dictionary.keys.sorted())
            path.append(".\(key)")
            dictionary[key] = replacingOneValue(in: dictionary[key]!, with: value, path: &path)
            return dictionary
        }
        if var array = object as? [Any], !array.isEmpty, !chance(20) {
            let index = below(array.count)
            path.append("[\(index)]")
            array[index] = replacingOneValue(in: array[index], with: value, path: &path)
            return array
        }
        return value
    }
}
