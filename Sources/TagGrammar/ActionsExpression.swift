import Basics
import Foundation

/// A GitHub Actions expression, `${{ … }}`, as tag rules pasted from a workflow keep them
/// (`enable=${{ github.ref == 'refs/heads/develop' }}`): in a workflow the runner evaluates them
/// before docker/metadata-action sees the rule; in `gantry.yml` gantry does, with Actions' rules
/// (loose equality, case-insensitive strings, `&&` and `||` giving an operand), over the `github`
/// context only: the subset such rules use.
package indirect enum ActionsExpression: Sendable, Equatable {
    case literal(JSONValue)
    /// `github.event.repository.default_branch`, without the `github`.
    case property([PropertyKey])
    case not(ActionsExpression)
    case binary(BinaryOperator, ActionsExpression, ActionsExpression)
    case call(Function, [ActionsExpression])

    /// One step of a property path: `.name`, `['name']` or `[0]`.
    package enum PropertyKey: Sendable, Equatable {
        case name(String)
        case index(Int)
    }

    package enum BinaryOperator: String, Sendable, CaseIterable {
        case or = "||", and = "&&", equal = "==", notEqual = "!=", lessOrEqual = "<=", greaterOrEqual = ">=", less = "<", greater = ">"
    }

    /// The functions, named as Actions names them (Actions ignores their case, and so does gantry).
    package enum Function: String, Sendable, CaseIterable {
        case startsWith, endsWith, contains, format
    }

    /// The properties of `github` an expression may read: those gantry knows from the run and the
    /// event (never `token`: a rule from a pull request must not put a secret into a tag).
    package static let githubProperties = [
        "base_ref", "event", "event_name", "head_ref", "job", "ref", "ref_name", "ref_type", "repository", "repository_owner",
        "run_attempt", "run_id", "run_number", "sha",
    ]

    /// What is supported, for errors about what is not.
    package static let supportedSummary =
        "gantry evaluates github.* values, 'strings', numbers, true, false, null, == != < <= > >=, && || ! ( ), "
        + "startsWith, endsWith, contains and format"

    /// The value in `github`, the `github` context as an object.
    package func evaluate(github: JSONValue) -> JSONValue {
        switch self {
        case .literal(let value): return value
        case .property(let path): return path.reduce(github) { value, key in value.member(key) }
        case .not(let operand): return .bool(!operand.evaluate(github: github).isTruthy)
        case .binary(let op, let left, let right):
            let first = left.evaluate(github: github)
            switch op {
            case .and: return first.isTruthy ? right.evaluate(github: github) : first
            case .or: return first.isTruthy ? first : right.evaluate(github: github)
            default: return .bool(Self.compare(first, op, right.evaluate(github: github)))
            }
        case .call(let function, let arguments):
            let values = arguments.map { $0.evaluate(github: github) }
            switch function {
            case .startsWith: return .bool(values[0].text.lowercased().hasPrefix(values[1].text.lowercased()))
            case .endsWith: return .bool(values[0].text.lowercased().hasSuffix(values[1].text.lowercased()))
            case .contains:
                if case .array(let items) = values[0] { return .bool(items.contains { Self.compare($0, .equal, values[1]) }) }
                return .bool(values[0].text.lowercased().contains(values[1].text.lowercased()))
            case .format: return .string(Self.format(values[0].text, values.dropFirst().map(\.text)))
            }
        }
    }

    /// Actions' comparisons: values of different types are compared as numbers, strings without case.
    private static func compare(_ left: JSONValue, _ op: BinaryOperator, _ right: JSONValue) -> Bool {
        if case .string(let a) = left, case .string(let b) = right {
            let order = a.lowercased().compare(b.lowercased(), options: .literal)
            switch op {
            case .equal: return order == .orderedSame
            case .notEqual: return order != .orderedSame
            case .less: return order == .orderedAscending
            case .lessOrEqual: return order != .orderedDescending
            case .greater: return order == .orderedDescending
            case .greaterOrEqual: return order != .orderedAscending
            case .and, .or: return false
            }
        }
        let sameKind: Bool =
            switch (left, right) {
            case (.null, .null), (.bool, .bool), (.number, .number): true
            default: false
            }
        if !sameKind, op == .equal || op == .notEqual, left.isContainer || right.isContainer {
            return op == .notEqual
        }
        let a = left.number, b = right.number
        switch op {
        case .equal: return a == b
        case .notEqual: return a != b
        case .less: return a < b
        case .lessOrEqual: return a <= b
        case .greater: return a > b
        case .greaterOrEqual: return a >= b
        case .and, .or: return false
        }
    }

    /// `format('{0}-{1}', a, b)`; `{{` and `}}` are braces. Indexes were checked when it was parsed.
    private static func format(_ pattern: String, _ arguments: [String]) -> String {
        var result = ""
        var characters = pattern[...]
        while let character = characters.popFirst() {
            if character == "{", characters.first == "{" {
                result.append(characters.removeFirst())
            } else if character == "}", characters.first == "}" {
                result.append(characters.removeFirst())
            } else if character == "{", let close = characters.firstIndex(of: "}"), let index = Int(characters[..<close]),
                arguments.indices.contains(index)
            {
                result += arguments[index]
                characters = characters[characters.index(after: close)...]
            } else {
                result.append(character)
            }
        }
        return result
    }
}

extension JSONValue {
    /// Actions' truthiness: false, 0, NaN, "" and null are false.
    package var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let value): value
        case .number(let value): value != 0 && !value.isNaN
        case .string(let value): !value.isEmpty
        case .array, .object: true
        }
    }

    /// The value as a number, the way Actions converts for comparisons.
    package var number: Double {
        switch self {
        case .null: 0
        case .bool(let value): value ? 1 : 0
        case .number(let value): value
        case .string(let value):
            value.trimmingCharacters(in: .whitespaces).isEmpty ? 0 : Double(value.trimmingCharacters(in: .whitespaces)) ?? .nan
        case .array, .object: .nan
        }
    }

    /// The value as text, the way Actions puts a result into the text around it.
    package var text: String {
        switch self {
        case .null: ""
        case .bool(let value): value ? "true" : "false"
        case .number(let value): value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
        case .string(let value): value
        case .array: "Array"
        case .object: "Object"
        }
    }

    package var isContainer: Bool {
        switch self {
        case .array, .object: true
        default: false
        }
    }

    /// A property or an element; null when there is none, as in Actions.
    package func member(_ key: ActionsExpression.PropertyKey) -> JSONValue {
        switch (self, key) {
        case (.object(let members), .name(let name)):
            members[name] ?? members.first { $0.key.lowercased() == name.lowercased() }?.value ?? .null
        case (.array(let items), .index(let index)): items.indices.contains(index) ? items[index] : .null
        default: .null
        }
    }
}
