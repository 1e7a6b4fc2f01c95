import Basics
import Config
import Testing

/// ``ConfigurationLimits``: each refused at the place it is passed, and what stays below passes.
@Suite("Configuration limits")
struct ConfigurationLimitsTests {
    @Test("NUL and other control characters are reported where they are, not at 1:1")
    func controlCharacters() {
        #expect(
            problems("version: 1\nservices:\n  api: {paths: [\"x\u{0}y\"]}\n") == [
                "3:19: invalid YAML text: control characters are not allowed (U+0000 here); expected printable text, with tabs and line breaks only"
            ])
        #expect(problems("version: 1\nservices:\n  é: {paths: [x\u{1}]}\n").first?.hasPrefix("3:16: ") == true)
    }

    @Test("a file of more values than the limit is refused at the first value past it")
    func tooManyNodes() {
        let list = String(repeating: "a,", count: ConfigurationLimits.nodes)
        let found = problems("version: 1\nservices:\n  api:\n    paths: [\(list)]\n")
        // Nine values come before the list's entries: the top mapping, `version`, 1, `services`, its
        // mapping, `api`, its mapping, `paths` and the list; entry k starts at column 12 + 2k - 1.
        let entry = ConfigurationLimits.nodes - 9 + 1
        #expect(
            found == [
                "4:\(12 + 2 * entry - 1): the file holds more than 100000 values (scalars, lists and mappings) by here; expected a smaller configuration"
            ])
    }

    @Test("aliases count as the values they repeat; shared settings well below the limit are read as written")
    func aliases() throws {
        let shared = "x-health: &health [\"${url}/health\", \"${url}/ready\"]\n"
        let services = (0..<300).map { "  s\($0): {paths: [s\($0)/**], health: *health}\n" }.joined()
        let found = problems("version: 1\n" + shared + "services:\n" + services)
        #expect(found.count == 1 && found[0].contains("unknown key `x-health`"), "\(found.prefix(3))")
    }

    @Test("a tag rule, flavor entry or label over 4,096 characters is refused at its line")
    func longRules() {
        let long = "type=raw,value=" + String(repeating: "a", count: 5000)
        #expect(
            problems("version: 1\nservices:\n  api: {paths: [x]}\ntags:\n  - type=sha\n  - \(long)\n")
                == ["6:5: this entry of `tags` is 5015 characters long; expected at most 4096"])
        #expect(
            problems("version: 1\nservices:\n  api: {paths: [x]}\nlabels: |\n  a=b\n  \(long)\n")
                == ["6:3: this entry of `labels` is 5015 characters long; expected at most 4096"])
    }
}
