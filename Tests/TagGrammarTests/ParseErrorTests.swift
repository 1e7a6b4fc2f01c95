import Testing

@testable import TagGrammar

/// A rule that does not parse: part of the expected message, and the text the error points at
/// (its first occurrence in the rule; nil for offset 0).
struct ParseErrorCase: Sendable, CustomTestStringConvertible {
    var rule: String
    var message: String
    var at: String?
    /// When the marker is ambiguous.
    var offset: Int?
    var testDescription: String { rule.isEmpty ? "(empty)" : rule }

    var expectedOffset: Int {
        if let offset { return offset }
        guard let at, let range = rule.range(of: at) else { return 0 }
        return rule.distance(from: rule.startIndex, to: range.lowerBound)
    }
}

@Suite("Rules that do not parse")
struct ParseErrorTests {
    static let cases: [ParseErrorCase] = [
        ParseErrorCase(
            rule: "type=semvar,pattern={{version}}",
            message:
                "unknown type 'semvar'; expected one of schedule, semver, pep440, match, edge, ref, raw, sha, tree. Did you mean 'semver'?",
            at: "semvar"),
        ParseErrorCase(rule: "type=foo", message: "unknown type 'foo'", at: "foo"),
        ParseErrorCase(rule: "type=semver", message: "type=semver needs pattern=…"),
        ParseErrorCase(rule: "type=pep440,value=1.0", message: "type=pep440 needs pattern=…"),
        ParseErrorCase(rule: "type=match,group=1", message: "type=match needs pattern=…"),
        ParseErrorCase(rule: "type=ref", message: "type=ref needs event=branch, event=tag or event=pr"),
        ParseErrorCase(rule: "type=ref,event=push", message: "event must be one of branch, tag, pr, not 'push'", at: "push"),
        ParseErrorCase(rule: "type=raw", message: "type=raw needs value=…"),
        ParseErrorCase(rule: "type=match,pattern=v(.*),group=foo", message: "group must be a group number", at: "foo"),
        ParseErrorCase(rule: "type=match,pattern=v(.*),group=01", message: "group must be a group number", at: "01"),
        ParseErrorCase(rule: "type=sha,format=foo", message: "format must be one of short, long, not 'foo'", at: "foo"),
        ParseErrorCase(rule: "type=tree,format=shrot", message: "Did you mean 'short'?", at: "shrot"),
        ParseErrorCase(
            rule: "type=semver,patern={{version}}",
            message:
                "unknown key 'patern' for type=semver. Did you mean 'pattern'? Expected one of type, enable, priority, prefix, suffix, pattern, value, match.",
            at: "patern"),
        ParseErrorCase(rule: "type=edge,event=branch", message: "unknown key 'event' for type=edge", at: "event"),
        ParseErrorCase(rule: "type=sha,foo", message: "'foo' has no '='; a bare field sets value, which type=sha does not take", at: "foo"),
        ParseErrorCase(rule: "type=raw, =x", message: "expected a key before '='", offset: 10),
        ParseErrorCase(rule: "type=raw,value=x,priority=high", message: "priority must be a whole number, not 'high'", at: "high"),
        ParseErrorCase(rule: "type=raw,value=x,priority=", message: "priority must be a whole number, not ''", offset: 26),
        ParseErrorCase(rule: "type=raw,value=x,enable=yes", message: "enable must be true or false", at: "yes"),
        ParseErrorCase(
            rule: "type=raw,value={{brnch}}",
            message:
                "unknown name 'brnch'; expected one of branch, tag, sha, base_ref, is_default_branch, is_not_default_branch, date, commit_date. Did you mean 'branch'?",
            at: "{{brnch"),
        ParseErrorCase(rule: "type=raw,value=a-{{ tag }}-{{version}}", message: "unknown name 'version'", at: "{{version"),
        ParseErrorCase(
            rule: "type=semver,pattern={{branch}}",
            message: "unknown name 'branch' in a version pattern; expected one of raw, version, major, minor, patch.", at: "{{branch"),
        ParseErrorCase(
            rule: "type=schedule,pattern={{sha}}", message: "unknown name 'sha' in a schedule pattern; expected one of date, commit_date.",
            at: "{{sha"),
        ParseErrorCase(rule: "type=raw,value={{date 'YYYY' tz='Mars/Olympus'}}", message: "unknown time zone 'Mars/Olympus'", at: "'Mars"),
        ParseErrorCase(rule: "type=raw,value={{date 'YYYY' tz=UTC}}", message: "tz needs a quoted time zone name", at: "tz="),
        ParseErrorCase(rule: "type=raw,value={{date 'YYYY' zone='UTC'}}", message: "unknown date option 'zone'", at: "zone"),
        ParseErrorCase(rule: "type=raw,value={{date}}", message: "date needs a quoted format", at: "{{"),
        ParseErrorCase(rule: "type=raw,value={{date 'a' 'b'}}", message: "date takes one format", at: "'b'"),
        ParseErrorCase(rule: "type=raw,value={{date 'YYYY}}", message: "the string opened with ' is never closed", at: "'YYYY"),
        ParseErrorCase(rule: "type=raw,value=x-{{branch", message: "'{{' is never closed; expected '}}'", at: "{{"),
        ParseErrorCase(rule: "type=raw,value={{{branch}}", message: "expected '}}}' to close the expression", at: "}}"),
        ParseErrorCase(rule: "type=raw,value={{branch 'x'}}", message: "'branch' takes no arguments", at: "{{"),
        ParseErrorCase(rule: "type=raw,value={{#if x}}y{{/if}}", message: "is not supported", at: "{{#"),
        ParseErrorCase(rule: "type=raw,value={{}}", message: "expected a name after '{{'", at: "{{"),
        ParseErrorCase(rule: "type=match,pattern=/a/x", message: "unsupported regex flag 'x'; expected i, m, s or g", at: "x"),
        ParseErrorCase(rule: "type=match,pattern=/a/gg", message: "the regex flag 'g' is given twice", offset: 23),
        ParseErrorCase(rule: "type=match,pattern=(unclosed", message: "unclosed '('; expected a ')' to close it", at: "(unclosed"),
        ParseErrorCase(rule: "type=match,pattern=v(\\d+)-\\1", message: "backreference '\\1' is not supported", at: "\\1"),
        ParseErrorCase(rule: "type=match,pattern=/(?<v>\\d)\\k<v>/", message: "backreference '\\k<…>' is not supported", at: "\\k"),
        ParseErrorCase(rule: "type=match,pattern=v(?=\\d)", message: "lookaround '(?=' is not supported", at: "(?="),
        ParseErrorCase(rule: "type=match,pattern=/(?<!x)v/i", message: "lookaround '(?<!' is not supported", at: "(?<!"),
        ParseErrorCase(rule: "type=match,pattern=*v", message: "nothing to repeat", at: "*v"),
        ParseErrorCase(rule: "type=match,pattern=v[z-a]", message: "range out of order", at: "z-a"),
        ParseErrorCase(rule: "type=match,pattern=(a{1000}){1000}", message: "compiles to more than 2000 instructions", offset: 28),
        ParseErrorCase(rule: "type=semver,pattern={{version}},match=v\\d+", message: "match needs a capture group", at: "v\\d"),
        ParseErrorCase(rule: "", message: "the rule is empty"),
        ParseErrorCase(rule: " , ", message: "the rule is empty"),
        ParseErrorCase(rule: "type=raw,va\"lue=x", message: "a quote can only open a field", at: "\""),
        ParseErrorCase(rule: "\"type=raw,value=x", message: "the quote that opens this field is never closed"),
        ParseErrorCase(rule: "type=raw,\"value=a,b\"x", message: "a closing quote must end the field", at: "x"),
        ParseErrorCase(rule: "type=raw,value=a\nb", message: "an entry must be one line", at: "\n"),
        ParseErrorCase(rule: "type=raw,value=x,prefix={{sha", message: "'{{' is never closed", at: "{{"),
    ]

    @Test("message and offset", arguments: cases)
    func error(_ example: ParseErrorCase) {
        do {
            let rule = try TagRule(parsing: example.rule)
            Issue.record("parsed as \(rule)")
        } catch {
            #expect(error.message.contains(example.message), "\(error.message)")
            #expect(error.offset == example.expectedOffset)
            #expect(error.entryIndex == 0)
        }
    }

    @Test("what a rule remembers")
    func parsedRule() throws {
        let bare = try TagRule(parsing: "  acustomtag ")
        #expect(bare.type == .raw && bare.priority == 200 && bare.description == "acustomtag")
        let pr = try TagRule(parsing: "type=ref,event=pr")
        #expect(pr.type == .ref && pr.priority == 600)
        #expect(try TagRule(parsing: "type=tree").priority == 100)
        #expect(try TagRule(parsing: "type=sha,priority=5").priority == 5)
        let context = Fixtures.context("push", "refs/heads/dev")
        #expect(try evaluate(["type=raw,value=a,value=b"], in: context).tags == ["b"])
        #expect(try evaluate(["type=raw,=x"], in: context).tags == ["x"])  // a field starting with '=' is a bare value
        #expect(TagRuleType.allCases.map(\.defaultPriority) == [1000, 900, 900, 800, 700, 600, 200, 100, 100])
    }

    @Test("error descriptions say where, 1-based")
    func description() {
        #expect(TagRuleError("bad", offset: 4, entryIndex: 1).description == "entry 2, column 5: bad")
    }
}

/// A flavor list that does not parse.
struct FlavorErrorCase: Sendable, CustomTestStringConvertible {
    var entries: [String]
    var message: String
    var entryIndex = 0
    var offset = 0
    var testDescription: String { entries.joined(separator: " | ") }
}

@Suite("Flavor entries")
struct FlavorTests {
    static let errors: [FlavorErrorCase] = [
        FlavorErrorCase(
            entries: ["latest"], message: "'latest' has no '='; expected key=value with key latest, prefix, suffix or onlatest"),
        FlavorErrorCase(entries: ["randomstr"], message: "'randomstr' has no '='"),
        FlavorErrorCase(entries: ["unknwown=foo"], message: "unknown flavor key 'unknwown'; expected latest, prefix, suffix or onlatest."),
        FlavorErrorCase(entries: ["sufix=-x"], message: "Did you mean 'suffix'?"),
        FlavorErrorCase(entries: ["latest=foo"], message: "latest must be auto, true or false, not 'foo'", offset: 7),
        FlavorErrorCase(
            entries: ["prefix=a-", "prefix=b-,onlatest=maybe"], message: "onlatest must be true or false, not 'maybe'", entryIndex: 1,
            offset: 19),
        FlavorErrorCase(entries: ["suffix=-{{oops}}"], message: "unknown name 'oops'", offset: 8),
    ]

    @Test("errors say which entry and where", arguments: errors)
    func error(_ example: FlavorErrorCase) {
        do {
            _ = try Flavor(parsing: example.entries)
            Issue.record("parsed")
        } catch {
            #expect(error.message.contains(example.message), "\(error.message)")
            #expect(error.entryIndex == example.entryIndex)
            #expect(error.offset == example.offset)
        }
    }

    @Test("values and defaults")
    func values() throws {
        #expect(Flavor.automatic.latest == .automatic && Flavor.automatic.prefix.isEmpty)
        #expect(try Flavor(parsing: ["prefix= "]).prefix == "")
        let flavor = try Flavor(parsing: ["latest=false", " prefix = v , onlatest=true ", "suffix=-x"])
        #expect(flavor.latest == .never && flavor.prefix == "v" && flavor.prefixesLatest && flavor.suffix == "-x" && !flavor.suffixesLatest)
        #expect(try Flavor(parsing: ["onlatest=true"]) == Flavor.automatic)
        #expect(try Flavor(parsing: ["", "latest=auto"]) == Flavor.automatic)
    }
}
