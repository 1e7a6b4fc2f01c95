import Foundation

/// Why the schema could not be checked; a test that needs the check fails with this.
public struct SchemaValidatorUnavailable: Error, CustomStringConvertible {
    public var description: String
}

/// The SARIF 2.1.0 schema: `$GANTRY_SARIF_SCHEMA`, else the copy vendored in `Tests/Schemas/`
/// (with OASIS's license beside it), so the suite runs from a plain clone.
private func sarifSchemaPath(filePath: String = #filePath) throws(SchemaValidatorUnavailable) -> String {
    let name = "sarif-schema-2.1.0.json"
    if let path = ProcessInfo.processInfo.environment["GANTRY_SARIF_SCHEMA"], !path.isEmpty {
        guard FileManager.default.fileExists(atPath: path) else {
            throw SchemaValidatorUnavailable(description: "GANTRY_SARIF_SCHEMA is set to \(path), but there is no file there")
        }
        return path
    }
    let vendored = URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Schemas/\(name)").path
    guard FileManager.default.fileExists(atPath: vendored) else {
        throw SchemaValidatorUnavailable(
            description: "the SARIF 2.1.0 schema is missing at \(vendored); set GANTRY_SARIF_SCHEMA to the path of \(name)")
    }
    return vendored
}

/// Validates with Draft4Validator, checking `uri` and `uri-reference` formats against RFC 3986's
/// characters. Exit 0: valid; 1: invalid, one line per error; 3: jsonschema cannot be imported.
private let validatorScript = #"""
    import json, re, sys
    try:
        import jsonschema
    except ImportError as error:
        print("python3 cannot import jsonschema (%s); install it with `pip install jsonschema` or `apt-get install python3-jsonschema`" % error)
        sys.exit(3)
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    with open(sys.argv[2], encoding="utf-8") as f:
        document = json.load(f)
    characters = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]]|%[0-9A-Fa-f]{2})*"
    checker = jsonschema.FormatChecker()
    @checker.checks("uri-reference")
    def is_uri_reference(value):
        return not isinstance(value, str) or re.fullmatch(characters, value) is not None
    @checker.checks("uri")
    def is_uri(value):
        return not isinstance(value, str) or re.fullmatch(r"[A-Za-z][A-Za-z0-9+.\-]*:" + characters, value) is not None
    jsonschema.Draft4Validator.check_schema(schema)
    validator = jsonschema.Draft4Validator(schema, format_checker=checker)
    errors = sorted(validator.iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        print("/" + "/".join(str(p) for p in error.absolute_path) + ": " + error.message)
    sys.exit(1 if errors else 0)
    """#

/// The schema errors of a SARIF log, one line each; empty when it is valid.
public func sarifSchemaErrors(of json: String) throws -> [String] {
    let schema = try sarifSchemaPath()
    let document = FileManager.default.temporaryDirectory.appendingPathComponent("gantry-sarif-\(UUID().uuidString).json")
    try Data(json.utf8).write(to: document)
    defer { try? FileManager.default.removeItem(at: document) }

    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", validatorScript, schema, document.path]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    do {
        try process.run()
    } catch {
        throw SchemaValidatorUnavailable(description: "cannot run python3 to validate against the SARIF schema: \(error)")
    }
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let lines = text.split(separator: "\n").map(String.init)
    switch process.terminationStatus {
    case 0: return []
    case 1 where !lines.isEmpty: return lines
    case 3: throw SchemaValidatorUnavailable(description: text.trimmingCharacters(in: .whitespacesAndNewlines))
    case 127: throw SchemaValidatorUnavailable(description: "python3 is not installed, so the SARIF schema cannot be checked: \(text)")
    default:
        throw SchemaValidatorUnavailable(
            description: "the SARIF schema validator failed (exit \(process.terminationStatus)): \(text)")
    }
}
