import Basics

/// Reads the expression of a `${{ … }}`, by Actions' precedence (`!`, then `< <= > >=`, `== !=`,
/// `&&`, `||`). Anything outside the subset is an error at its offset that says what is supported;
/// nesting is bounded, since rules come from pull requests.
package struct ExpressionParser {
    package let characters: [Character]
    /// The offset of the next character to read.
    private(set) var index: Int
    private var depth = 0

    /// Deeper nesting (parentheses, `!`, calls) than any rule needs.
    package static let maximumDepth = 32

    /// Starts reading just after `${{` at `index`.
    package init(characters: [Character], index: Int) {
        self.characters = characters
        self.index = index
    }

    /// The expression and the `}}` that closes it; `start` is the offset of `${{`, for errors.
    package mutating func parseEnclosed(start: Int) throws(TagRuleError) -> ActionsExpression {
        skipWhitespace()
        guard !closes else {
            throw TagRuleError("'${{ }}' is empty; expected an expression such as github.ref == 'refs/heads/main'", offset: start)
        }
        let expression = try or()
        skipWhitespace()
        guard index < characters.count else { throw TagRuleError("'${{' is never closed; expected '}}'", offset: start) }
        guard closes else { throw unexpected() }
        index += 2
        return expression
    }

    private var closes: Bool { index + 1 < characters.count && characters[index] == "}" && characters[index + 1] == "}" }

    private mutating func or() throws(TagRuleError) -> ActionsExpression {
        try binary(.or) { parser throws(TagRuleError) in try parser.and() }
    }

    private mutating func and() throws(TagRuleError) -> ActionsExpression {
        try binary(.and) { parser throws(TagRuleError) in try parser.equality() }
    }

    private mutating func equality() throws(TagRuleError) -> ActionsExpression {
        try binary(.equal, .notEqual) { parser throws(TagRuleError) in try parser.comparison() }
    }

    private mutating func comparison() throws(TagRuleError) -> ActionsExpression {
        try binary(.lessOrEqual, .greaterOrEqual, .less, .greater) { parser throws(TagRuleError) in try parser.unary() }
    }

    /// `operand (op operand)*`, left to right, for the operators of one precedence level.
    private mutating func binary(
        _ operators: ActionsExpression.BinaryOperator..., operand: (inout ExpressionParser) throws(TagRuleError) -> ActionsExpression
    ) throws(TagRuleError) -> ActionsExpression {
        var expression = try operand(&self)
        while true {
            skipWhitespace()
            guard let op = operators.first(where: { starts(with: $0.rawValue) }) else { return expression }
            index += op.rawValue.count
            expression = .binary(op, expression, try operand(&self))
        }
    }

    private mutating func unary() throws(TagRuleError) -> ActionsExpression {
        skipWhitespace()
        if starts(with: "!"), !starts(with: "!=") {
            index += 1
            return .not(try nested { parser throws(TagRuleError) in try parser.unary() })
        }
        return try primary()
    }

    private mutating func primary() throws(TagRuleError) -> ActionsExpression {
        skipWhitespace()
        guard index < characters.count else {
            throw TagRuleError("the expression ends early; \(ActionsExpression.supportedSummary)", offset: index)
        }
        let start = index
        let character = characters[index]
        if character == "(" {
            index += 1
            let inner = try nested { parser throws(TagRuleError) in try parser.or() }
            try expect(")")
            return inner
        }
        if character == "'" { return .literal(.string(try string())) }
        if character.isASCIIDigit || character == "-" || character == "." { return .literal(.number(try number())) }
        guard character.isLetter || character == "_" else { throw unexpected() }
        let name = identifier()
        switch name {
        case "true": return .literal(.bool(true))
        case "false": return .literal(.bool(false))
        case "null": return .literal(.null)
        default: break
        }
        skipWhitespace()
        if starts(with: "(") { return try call(name, start: start) }
        return try property(name, start: start)
    }

    private mutating func call(_ name: String, start: Int) throws(TagRuleError) -> ActionsExpression {
        let names = ActionsExpression.Function.allCases.map(\.rawValue)
        guard let function = ActionsExpression.Function.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else {
            throw TagRuleError(
                "unknown function '\(name)'; gantry supports \(names.joined(separator: ", "))." + didYouMean(name, among: names),
                offset: start)
        }
        index += 1
        var arguments: [ActionsExpression] = []
        skipWhitespace()
        if !starts(with: ")") {
            repeat {
                if arguments.count > 0 { index += 1 }
                arguments.append(try nested { parser throws(TagRuleError) in try parser.or() })
                skipWhitespace()
            } while starts(with: ",")
        }
        try expect(")")
        switch function {
        case .format:
            guard case .literal(.string(let pattern))? = arguments.first else {
                throw TagRuleError(
                    "format needs a quoted pattern first, such as format('refs/heads/{0}', github.event.repository.default_branch)",
                    offset: start)
            }
            if let problem = Self.formatProblem(pattern, argumentCount: arguments.count - 1) { throw TagRuleError(problem, offset: start) }
        default:
            guard arguments.count == 2 else {
                throw TagRuleError(
                    "\(function.rawValue) takes 2 arguments, such as \(function.rawValue)(github.ref, 'refs/tags/'); got \(arguments.count)",
                    offset: start)
            }
        }
        return .call(function, arguments)
    }

    private mutating func property(_ context: String, start: Int) throws(TagRuleError) -> ActionsExpression {
        guard context.lowercased() == "github" else {
            throw TagRuleError(
                "'\(context)' is not available in gantry.yml: gantry evaluates the github context only (github.ref, github.event_name, …); "
                    + ActionsExpression.supportedSummary, offset: start)
        }
        var path: [ActionsExpression.PropertyKey] = []
        while true {
            if starts(with: ".") {
                index += 1
                let name = identifier()
                guard !name.isEmpty else { throw TagRuleError("expected a property name after '.'", offset: index) }
                path.append(.name(name))
            } else if starts(with: "[") {
                index += 1
                skipWhitespace()
                if index < characters.count, characters[index] == "'" {
                    path.append(.name(try string()))
                } else {
                    let position = index
                    let value = try number()
                    guard value >= 0, value.rounded() == value, let whole = Int(exactly: value) else {
                        throw TagRuleError("an index must be a whole number, such as [0]", offset: position)
                    }
                    path.append(.index(whole))
                }
                try expect("]")
            } else {
                break
            }
            guard path.count <= Self.maximumDepth else { throw TagRuleError("the property path is too long", offset: start) }
        }
        guard case .name(let first)? = path.first else {
            throw TagRuleError("expected a property of github, such as github.ref", offset: start)
        }
        let known = ActionsExpression.githubProperties
        guard known.contains(first.lowercased()) else {
            throw TagRuleError(
                "unknown property 'github.\(first)'; expected one of \(known.joined(separator: ", "))." + didYouMean(first, among: known),
                offset: start)
        }
        path[0] = .name(first.lowercased())
        return .property(path)
    }

    /// Why `pattern` cannot be a `format` pattern with `argumentCount` arguments, or nil.
    private static func formatProblem(_ pattern: String, argumentCount: Int) -> String? {
        var characters = pattern[...]
        while let character = characters.popFirst() {
            if (character == "{" && characters.first == "{") || (character == "}" && characters.first == "}") {
                characters.removeFirst()
            } else if character == "{" {
                guard let close = characters.firstIndex(of: "}"), let number = Int(characters[..<close]) else {
                    return "format's pattern has a '{' that is not {N} or {{; write {{ for a brace"
                }
                guard number < argumentCount else {
                    return "format's pattern uses {\(number)} but has \(argumentCount) argument\(argumentCount == 1 ? "" : "s") after it"
                }
                characters = characters[characters.index(after: close)...]
            } else if character == "}" {
                return "format's pattern has a '}' that closes nothing; write }} for a brace"
            }
        }
        return nil
    }

    private mutating func nested(_ body: (inout ExpressionParser) throws(TagRuleError) -> ActionsExpression) throws(TagRuleError)
        -> ActionsExpression
    {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else {
            throw TagRuleError("the expression is nested too deeply (at most \(Self.maximumDepth) levels)", offset: index)
        }
        return try body(&self)
    }

    /// A single-quoted string; `''` is a quote, as in Actions.
    private mutating func string() throws(TagRuleError) -> String {
        let start = index
        index += 1
        var value = ""
        while index < characters.count {
            if characters[index] == "'" {
                if index + 1 < characters.count, characters[index + 1] == "'" {
                    value.append("'")
                    index += 2
                    continue
                }
                index += 1
                return value
            }
            value.append(characters[index])
            index += 1
        }
        throw TagRuleError("the string opened with ' is never closed", offset: start)
    }

    private mutating func number() throws(TagRuleError) -> Double {
        let start = index
        var text = ""
        while index < characters.count, characters[index].isASCIIDigit || ".-+eExXabcdefABCDEF".contains(characters[index]) {
            text.append(characters[index])
            index += 1
        }
        guard let value = Double(text) ?? (text.hasPrefix("0x") ? Int(text.dropFirst(2), radix: 16).map(Double.init) : nil) else {
            throw TagRuleError("'\(text)' is not a number", offset: start)
        }
        return value
    }

    private mutating func identifier() -> String {
        var name = ""
        while index < characters.count,
            characters[index].isLetter || characters[index].isASCIIDigit || characters[index] == "_" || characters[index] == "-"
        {
            name.append(characters[index])
            index += 1
        }
        return name
    }

    private mutating func expect(_ text: String) throws(TagRuleError) {
        skipWhitespace()
        guard starts(with: text) else {
            throw TagRuleError(
                "expected '\(text)'\(index < characters.count ? ", found '\(characters[index])'" : " before the end")", offset: index)
        }
        index += text.count
    }

    private func unexpected() -> TagRuleError {
        let found = characters[index]
        let hint = found == "\"" ? " (Actions strings take single quotes: 'text')" : found == "=" ? " (compare with ==)" : ""
        return TagRuleError("unexpected '\(found)' in the expression\(hint); \(ActionsExpression.supportedSummary)", offset: index)
    }

    private func starts(with text: String) -> Bool {
        let needed = Array(text)
        return index + needed.count <= characters.count && Array(characters[index..<(index + needed.count)]) == needed
    }

    private mutating func skipWhitespace() {
        while index < characters.count, characters[index].isWhitespace { index += 1 }
    }
}
