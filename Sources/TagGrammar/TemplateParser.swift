import Basics
import Foundation

extension TagTemplate {
    /// Parses `text`; error offsets are character offsets in `text`.
    package init(parsing text: String, scope: Scope) throws(TagRuleError) {
        var parser = TemplateParser(characters: Array(text), scope: scope)
        self.init(parts: try parser.parse())
    }
}

/// Reads text and `{{…}}` / `{{{…}}}` mustaches. Unknown names are errors, unlike Handlebars which renders
/// them as "", because a misspelt `{{brnch}}` silently producing a wrong tag is worse than stopping.
private struct TemplateParser {
    package let characters: [Character]
    package let scope: TagTemplate.Scope
    package var index = 0
    package var parts: [TagTemplate.Part] = []
    package var text = ""

    package init(characters: [Character], scope: TagTemplate.Scope) {
        self.characters = characters
        self.scope = scope
    }

    /// One token inside a mustache.
    private enum Token {
        case word(String, offset: Int)
        case string(String, offset: Int)
        case hashKey(String, offset: Int)
    }

    package mutating func parse() throws(TagRuleError) -> [TagTemplate.Part] {
        while index < characters.count {
            if characters[index] == "$", startsMustache(at: index + 1) {
                flushText()
                var parser = ExpressionParser(characters: characters, index: index + 3)
                parts.append(.expression(try parser.parseEnclosed(start: index)))
                index = parser.index
                continue
            }
            guard startsMustache(at: index) else {
                text.append(characters[index])
                index += 1
                continue
            }
            // Handlebars escapes: `\{{` is literal text, `\\{{` is a backslash and a real mustache.
            if text.hasSuffix("\\\\") {
                text.removeLast()
            } else if text.hasSuffix("\\") {
                text.removeLast()
                text += "{{"
                index += 2
                continue
            }
            flushText()
            parts.append(try mustache())
        }
        flushText()
        return parts
    }

    private func startsMustache(at position: Int) -> Bool {
        position + 1 < characters.count && characters[position] == "{" && characters[position + 1] == "{"
    }

    private mutating func flushText() {
        if !text.isEmpty { parts.append(.text(text)) }
        text = ""
    }

    private mutating func mustache() throws(TagRuleError) -> TagTemplate.Part {
        let start = index
        let isTriple = index + 2 < characters.count && characters[index + 2] == "{"
        index += isTriple ? 3 : 2
        let closing = isTriple ? 3 : 2
        if index < characters.count, "~!#/^>&".contains(characters[index]) {
            throw TagRuleError(
                "'\(characters[index])' after '{{' (Handlebars blocks, comments, partials) is not supported; "
                    + "expected a name such as \(scope.knownNames.first ?? "date")", offset: start)
        }
        var tokens: [Token] = []
        while true {
            while index < characters.count, characters[index].isWhitespace { index += 1 }
            guard index < characters.count else {
                throw TagRuleError("'\(isTriple ? "{{{" : "{{")' is never closed; expected '\(isTriple ? "}}}" : "}}")'", offset: start)
            }
            if characters[index] == "}" {
                guard isClosing(count: closing) else {
                    throw TagRuleError("expected '\(isTriple ? "}}}" : "}}")' to close the expression", offset: index)
                }
                index += closing
                break
            }
            tokens.append(try token())
        }
        return try interpret(tokens, start: start)
    }

    private func isClosing(count: Int) -> Bool {
        index + count <= characters.count && characters[index..<(index + count)].allSatisfy { $0 == "}" }
    }

    private mutating func token() throws(TagRuleError) -> Token {
        let start = index
        let character = characters[index]
        if character == "'" || character == "\"" {
            index += 1
            var value = ""
            while index < characters.count, characters[index] != character {
                if characters[index] == "\\", index + 1 < characters.count, characters[index + 1] == character {
                    index += 1
                }
                value.append(characters[index])
                index += 1
            }
            guard index < characters.count else {
                throw TagRuleError("the string opened with \(character) is never closed", offset: start)
            }
            index += 1
            return .string(value, offset: start)
        }
        var word = ""
        while index < characters.count {
            let next = characters[index]
            if next.isWhitespace || next == "}" || next == "=" || next == "'" || next == "\"" { break }
            word.append(next)
            index += 1
        }
        if index < characters.count, characters[index] == "=" {
            index += 1
            guard !word.isEmpty else { throw TagRuleError("expected a name before '='", offset: start) }
            return .hashKey(word, offset: start)
        }
        guard !word.isEmpty else { throw TagRuleError("unexpected '\(character)'", offset: start) }
        return .word(word, offset: start)
    }

    private func interpret(_ tokens: [Token], start: Int) throws(TagRuleError) -> TagTemplate.Part {
        guard case .word(let name, _)? = tokens.first else {
            throw TagRuleError("expected a name after '{{'; known: \(scope.knownNames.joined(separator: ", "))", offset: start)
        }
        let arguments = Array(tokens.dropFirst())
        if let variable = TemplateVariable(rawValue: name), scope.variables.contains(variable) {
            guard arguments.isEmpty else { throw TagRuleError("'\(name)' takes no arguments", offset: start) }
            return .variable(variable)
        }
        if scope.allowsDates, name == "date" || name == "commit_date" {
            return .date(try dateExpression(name, arguments: arguments, start: start))
        }
        let known = scope.knownNames
        let placement =
            switch scope {
            case .global: ""
            case .versionPattern: " in a version pattern"
            case .schedulePattern: " in a schedule pattern"
            }
        throw TagRuleError(
            "unknown name '\(name)'\(placement); expected "
                + (known.isEmpty ? "nothing" : "one of \(known.joined(separator: ", "))") + "."
                + didYouMean(name, among: known), offset: start)
    }

    private func dateExpression(_ name: String, arguments: [Token], start: Int) throws(TagRuleError) -> DateExpression {
        var format: String??
        var timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? .current
        var index = 0
        while index < arguments.count {
            switch arguments[index] {
            case .string(let value, let offset), .word(let value, let offset):
                guard format == nil else {
                    throw TagRuleError("\(name) takes one format, e.g. {{\(name) 'YYYYMMDD'}}", offset: offset)
                }
                if case .string = arguments[index] { format = .some(value) } else { format = .some(nil) }
            case .hashKey(let key, let offset):
                guard key == "tz" else {
                    throw TagRuleError("unknown \(name) option '\(key)'; expected tz='Area/City'", offset: offset)
                }
                index += 1
                guard index < arguments.count, case .string(let zoneName, let zoneOffset) = arguments[index] else {
                    throw TagRuleError("tz needs a quoted time zone name, e.g. tz='Europe/Paris'", offset: offset)
                }
                guard let zone = Self.timeZone(named: zoneName) else {
                    throw TagRuleError("unknown time zone '\(zoneName)'; expected an IANA name such as Europe/Paris", offset: zoneOffset)
                }
                timeZone = zone
            }
            index += 1
        }
        guard let format else {
            throw TagRuleError("\(name) needs a quoted format, e.g. {{\(name) 'YYYYMMDD'}}", offset: start)
        }
        return DateExpression(usesCommitDate: name == "commit_date", format: format, timeZone: timeZone)
    }

    /// IANA names as moment-timezone takes them (it ignores case). Foundation alone also accepts abbreviations
    /// and offsets such as `JST` or `GMT+5`, which moment-timezone does not, so the name must be a tz database entry.
    private static func timeZone(named name: String) -> TimeZone? {
        let known = TimeZone.knownTimeZoneIdentifiers
        if known.contains(name) || isDatabaseFile(name) { return TimeZone(identifier: name) }
        let lowered = name.lowercased()
        return known.first { $0.lowercased() == lowered }.flatMap(TimeZone.init(identifier:))
    }

    /// Names like `UTC` or `Etc/GMT+5` are in the database but not in Foundation's list.
    private static func isDatabaseFile(_ name: String) -> Bool {
        let allowed = name.unicodeScalars.allSatisfy {
            ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) || "_+-/".unicodeScalars.contains($0)
        }
        guard allowed, !name.isEmpty, !name.hasPrefix("/"), !name.contains("..") else { return false }
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: "/usr/share/zoneinfo/" + name, isDirectory: &isDirectory)
            && !isDirectory.boolValue
    }
}
