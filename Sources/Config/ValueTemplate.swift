import Basics

/// A configuration string with `${url}`, `${port}` and `${env.NAME}` in it, such as
/// `${url}/api/health`. Parsed when the configuration is read, so a typo is a configuration error;
/// resolved when the values are known.
package struct ValueTemplate: Sendable, Equatable {
    /// A piece of the template.
    package enum Part: Sendable, Equatable {
        /// Text as written.
        case text(String)
        /// `${url}` or `${port}`: the service's, from its environment.
        case service(String)
        /// `${env.NAME}`: the process environment's.
        case environment(String)
    }

    /// `${url}`: the service's URL.
    package static let serviceURL = ValueTemplate(text: "${url}", parts: [.service("url")])

    /// The variables a service provides.
    package static let serviceVariables = ["url", "port"]

    /// The template as written.
    package var text: String
    /// The template's parts, in order.
    package var parts: [Part]

    private init(text: String, parts: [Part]) {
        self.text = text
        self.parts = parts
    }

    /// Parses `text`; the error says what is wrong and at which character offset.
    package init(parsing text: String) throws(ExpressionError) {
        self.text = text
        parts = []
        var literal = ""
        var index = text.startIndex
        while index < text.endIndex {
            if text[index...].hasPrefix("${") {
                let start = text.index(index, offsetBy: 2)
                guard let close = text[start...].firstIndex(of: "}") else {
                    throw ExpressionError(
                        "`${` is not closed; expected ${url}, ${port} or ${env.NAME}", at: text.distance(from: text.startIndex, to: index))
                }
                let name = String(text[start..<close])
                let offset = text.distance(from: text.startIndex, to: index)
                if !literal.isEmpty { parts.append(.text(literal)) }
                literal = ""
                if Self.serviceVariables.contains(name) {
                    parts.append(.service(name))
                } else if name.hasPrefix("env."), Self.isVariableName(name.dropFirst(4)) {
                    parts.append(.environment(String(name.dropFirst(4))))
                } else {
                    let hint = closestMatch(to: name, among: Self.serviceVariables).map { "; did you mean ${\($0)}?" } ?? ""
                    throw ExpressionError("unknown variable ${\(name)}\(hint) (expected ${url}, ${port} or ${env.NAME})", at: offset)
                }
                index = text.index(after: close)
            } else {
                literal.append(text[index])
                index = text.index(after: index)
            }
        }
        if !literal.isEmpty { parts.append(.text(literal)) }
    }

    /// Whether the template needs the service's environment (`${url}` or `${port}`).
    package var usesServiceVariables: Bool {
        parts.contains { if case .service = $0 { true } else { false } }
    }

    /// What a template comes to with the values at hand. A variable without a value is not an
    /// error of the template: the caller knows why it has none and what the user can do.
    package enum Resolution: Sendable, Equatable {
        /// The text with every variable replaced.
        case value(String)
        /// The first variable that has no value, as written, such as `${env.TOKEN}`.
        case missing(variable: String)
    }

    /// The text with every variable replaced, or the first variable that has no value.
    package func resolve(service: [String: String], environment: [String: String]) -> Resolution {
        var result = ""
        for part in parts {
            switch part {
            case .text(let text): result += text
            case .service(let name):
                guard let value = service[name] else { return .missing(variable: "${\(name)}") }
                result += value
            case .environment(let name):
                guard let value = environment[name] else { return .missing(variable: "${env.\(name)}") }
                result += value
            }
        }
        return .value(result)
    }

    private static func isVariableName(_ name: Substring) -> Bool {
        guard let first = name.first, first == "_" || first.isLetter else { return false }
        return name.allSatisfy { $0.isASCII && ($0 == "_" || $0.isLetter || $0.isNumber) }
    }
}
