import Basics
import Yams

extension Configuration {
    /// `inputs:` and `build_args:` of a service: whether its inputs come from its Dockerfile, and the
    /// build arguments its build is given (`ARG` values, and the bake file's `args`).
    static func readBuildInputs(
        _ value: (String) -> YAMLReader.Entry?, field: String, with reader: inout YAMLReader
    ) -> (fromDockerfile: Bool, buildArguments: [String: String]) {
        var fromDockerfile = false
        if let entry = value("inputs"), let text = reader.string(entry.value, "\(field).inputs") {
            if text == "dockerfile" {
                fromDockerfile = true
            } else {
                reader.report(
                    "`\(field).inputs` must be `dockerfile` (the files its Dockerfile's COPY and ADD read); got \"\(text)\"",
                    at: entry.value, kind: .invalidValue)
            }
        }
        var arguments: [String: String] = [:]
        if let entry = value("build_args"),
            let entries = reader.mapping(entry.value, "\(field).build_args", expected: "a mapping of argument names to values")
        {
            for argument in entries {
                let name = argument.key
                guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic),
                    name.unicodeScalars.allSatisfy({ $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0) })
                else {
                    reader.report(
                        "`\(field).build_args` has the name \"\(name)\", which no ARG can declare; expected letters, digits and _, like NODE_VERSION",
                        at: argument.keyNode, kind: .invalidName)
                    continue
                }
                guard case .scalar(let scalar) = argument.value else {
                    reader.report(
                        "`\(field).build_args.\(name)` must be a string, got \(reader.describe(argument.value))", at: argument.value,
                        kind: .wrongType)
                    continue
                }
                arguments[name] = scalar.string
            }
        }
        return (fromDockerfile, arguments)
    }

    /// `target:` of a service: the Dockerfile stage its build targets, as docker's `--target` names
    /// it. BuildKit lowercases stage names and requires `[a-z][a-z0-9-_.]*`, and takes no index.
    static func readBuildTarget(_ value: (String) -> YAMLReader.Entry?, field: String, with reader: inout YAMLReader) -> String? {
        guard let entry = value("target"), let stage = reader.string(entry.value, "\(field).target") else { return nil }
        let scalars = stage.lowercased().unicodeScalars
        guard let first = scalars.first, ("a"..."z").contains(first),
            scalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0) })
        else {
            reader.report(
                "`\(field).target` must name a stage of the Dockerfile (`FROM IMAGE AS NAME`): a letter, then letters, digits, "
                    + "`-`, `_` or `.`, like runtime (a stage's index is not accepted); got \(reader.describe(entry.value))",
                at: entry.value, kind: .invalidValue)
            return nil
        }
        return stage
    }
}
