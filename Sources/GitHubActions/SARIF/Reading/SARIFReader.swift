import Basics
import Foundation

/// Reads the results of another tool's SARIF 2.1.0 file (Trivy, Grype, CodeQL, hadolint, …).
///
/// The file is hostile input: it is refused past `SARIFLimits` (its size before it is read, its
/// nesting before it is parsed, its runs, rules and results once decoded), and anything that is
/// not what SARIF puts there is an error that names the file and the JSON path.
package enum SARIFReader {
    /// The results of the file at `path`, named `name` in messages (the path by default).
    package static func read(contentsOf path: String, as name: String? = nil) throws(GantryError) -> [ScannedResult] {
        let name = name ?? path
        guard let file = FileHandle(forReadingAtPath: path) else {
            throw .io(action: "read the SARIF file \(name)", reason: "no readable file there")
        }
        defer { try? file.close() }
        // One byte past the limit is enough to refuse the file: a larger one is never read whole.
        let data: Data
        do {
            data = try file.read(upToCount: SARIFLimits.fileSize + 1) ?? Data()
        } catch {
            throw .io(action: "read the SARIF file \(name)", reason: error.localizedDescription)
        }
        return try read(data, name: name)
    }

    /// The results of SARIF text, named `name` in messages.
    package static func read(_ data: Data, name: String) throws(GantryError) -> [ScannedResult] {
        guard data.count <= SARIFLimits.fileSize else {
            throw .invalidSARIF("\(name) is larger than \(SARIFLimits.fileSize >> 20) MiB, the most gantry reads of a SARIF file")
        }
        if let (line, column) = JSONNesting.firstPlace(deeperThan: SARIFLimits.nesting, in: data) {
            throw .invalidSARIF("\(name):\(line):\(column): nested deeper than \(SARIFLimits.nesting) levels; SARIF needs about ten")
        }
        let file: SARIFFile
        do {
            file = try JSONDecoder().decode(SARIFFile.self, from: data)
        } catch {
            throw problem(decoding: error, data: data, name: name)
        }
        return try SARIFResults(file: name).results(of: file)
    }

    /// The decoder's error as one a user can act on: where in the file, what was expected there.
    private static func problem(decoding error: any Error, data: Data, name: String) -> GantryError {
        switch error {
        case DecodingError.typeMismatch(_, let context) where context.codingPath.isEmpty:
            return .invalidSARIF("\(name) is not SARIF: expected a JSON object with \"version\": \"2.1.0\" and \"runs\"")
        case DecodingError.typeMismatch(let type, let context):
            return .invalidSARIF(
                "\(name): \(JSONPath.render(context.codingPath)): expected \(describe(type)), got \(found(in: context.debugDescription))")
        case DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty:
            return .invalidSARIF("\(name): \(JSONPath.render(context.codingPath)): \(context.debugDescription)")
        case DecodingError.dataCorrupted(let context):
            guard let syntax = JSONSyntax.firstError(in: data) else {
                return .invalidSARIF("\(name) is not JSON: \(context.debugDescription); expected a SARIF 2.1.0 file")
            }
            return .invalidSARIF("\(name):\(syntax.line):\(syntax.column): not JSON: \(syntax.problem); expected a SARIF 2.1.0 file")
        default:
            return .invalidSARIF("\(name) is not SARIF 2.1.0: \(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "a whole number"
        case is Double.Type: "a number"
        case is [Any].Type: "an array"
        default: "an object"
        }
    }

    /// What the decoder found, from its message ("… but found number instead.").
    private static func found(in description: String) -> String {
        let kinds = [
            ("number", "a number"), ("string", "a string"), ("bool", "a boolean"), ("dictionary", "an object"), ("array", "an array"),
        ]
        guard let range = description.range(of: "found ") else { return "something else" }
        let rest = description[range.upperBound...]
        return kinds.first { rest.hasPrefix($0.0) || rest.hasPrefix("a \($0.0)") || rest.hasPrefix("an \($0.0)") }?.1 ?? "null"
    }
}

/// A JSON path as messages write it: `$.runs[0].properties["security-severity"]`.
enum JSONPath {
    static func render(_ codingPath: [any CodingKey]) -> String {
        codingPath.reduce("$") { path, key in
            if let index = key.intValue { return "\(path)[\(index)]" }
            return member(key.stringValue, of: path)
        }
    }

    static func member(_ key: String, of path: String) -> String {
        let isPlain = key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        return isPlain ? "\(path).\(key)" : "\(path)[\(JSONValue.string(key))]"
    }
}
