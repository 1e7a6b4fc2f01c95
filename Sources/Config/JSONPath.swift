import Basics

/// A JSON path of the simple kind health checks use: `$.status`, `$.checks[0].name`, `$["a b"]`.
package struct JSONPath: Sendable, Equatable {
    /// One step into a value.
    package enum Step: Sendable, Equatable {
        /// An object member.
        case member(String)
        /// An array element; negative counts from the end.
        case element(Int)
    }

    /// The steps after `$`.
    package var steps: [Step]

    /// Parses a path, or nil when it is not one.
    package init?(_ text: String) {
        guard case .success(let steps) = Self.parse(text) else { return nil }
        self.steps = steps
    }

    /// What is wrong with `text` as a path, or nil when it is fine.
    package static func problem(with text: String) -> String? {
        if case .failure(let problem) = parse(text) { return problem.message }
        return nil
    }

    /// The value at the path, or nil when there is none.
    package func value(in root: JSONValue) -> JSONValue? {
        var current = root
        for step in steps {
            switch (step, current) {
            case (.member(let name), .object(let members)):
                guard let next = members[name] else { return nil }
                current = next
            case (.element(let index), .array(let elements)):
                let position = index < 0 ? elements.count + index : index
                guard elements.indices.contains(position) else { return nil }
                current = elements[position]
            default:
                return nil
            }
        }
        return current
    }

    private static func parse(_ text: String) -> Result<[Step], ExpressionError> {
        var rest = Substring(text)
        guard rest.first == "$" else {
            return .failure(ExpressionError("a path starts with $, such as $.status", at: text.count - rest.count))
        }
        rest.removeFirst()
        var steps: [Step] = []
        while let first = rest.first {
            if first == "." {
                rest.removeFirst()
                let name = rest.prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty else {
                    return .failure(ExpressionError("a `.` must be followed by a member name", at: text.count - rest.count))
                }
                steps.append(.member(String(name)))
                rest = rest.dropFirst(name.count)
            } else if first == "[" {
                guard let close = rest.firstIndex(of: "]") else {
                    return .failure(ExpressionError("a `[` is not closed", at: text.count - rest.count))
                }
                let inside = rest[rest.index(after: rest.startIndex)..<close]
                if let index = Int(inside) {
                    steps.append(.element(index))
                } else if inside.count >= 2, let quote = inside.first, quote == "\"" || quote == "'", inside.last == quote {
                    steps.append(.member(String(inside.dropFirst().dropLast())))
                } else {
                    return .failure(
                        ExpressionError(
                            "`[\(inside)]` must hold an index such as [0] or a quoted name such as [\"a b\"]", at: text.count - rest.count))
                }
                rest = rest[rest.index(after: close)...]
            } else {
                return .failure(ExpressionError("expected `.` or `[` after \(text.dropLast(rest.count))", at: text.count - rest.count))
            }
        }
        return .success(steps)
    }
}
