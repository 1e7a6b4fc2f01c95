import Testing

@testable import Basics

@Suite("The action's command input is split into words as a POSIX shell splits them, and never expanded")
struct ShellWordsTests {
    @Test(
        "quotes, backslashes and blanks",
        arguments: [
            ("changes", ["changes"]),
            ("  run   --test  'pytest tests/e2e' ", ["run", "--test", "pytest tests/e2e"]),
            (#"run --test "pytest -k \"slow or fast\"""#, ["run", "--test", #"pytest -k "slow or fast""#]),
            (#"gate --header 'X-A: it'\''s'"#, ["gate", "--header", "X-A: it's"]),
            (#"a\ b c"#, ["a b", "c"]),
            ("a''b \"\"", ["ab", ""]),
            (#""a\nb" 'c\d'"#, [#"a\nb"#, #"c\d"#]),
            ("run \\\n  --always", ["run", "--always"]),
            ("run\n# a comment\n--always # another", ["run", "--always"]),
            ("gate --http https://x/#fragment", ["gate", "--http", "https://x/#fragment"]),
            ("tabs\tand\nnewlines", ["tabs", "and", "newlines"]),
            ("windows\r\nline\r\nendings", ["windows", "line", "endings"]),
            ("'a'\u{301} b", ["a\u{301}", "b"]),
        ])
    func splits(text: String, words: [String]) throws {
        #expect(try ShellWords.split(text) == words)
    }

    @Test(
        "substitutions, variables, globs and operators inside words stay plain text",
        arguments: [
            ("changes --base $(touch /tmp/pwned)", ["changes", "--base", "$(touch", "/tmp/pwned)"]),
            ("changes --base \"$(touch /tmp/pwned)\"", ["changes", "--base", "$(touch /tmp/pwned)"]),
            ("changes --base `id`", ["changes", "--base", "`id`"]),
            ("tags --ref $HOME ${GITHUB_TOKEN}", ["tags", "--ref", "$HOME", "${GITHUB_TOKEN}"]),
            ("validate --config *.yml", ["validate", "--config", "*.yml"]),
            ("tags --ref a;b", ["tags", "--ref", "a;b"]),
            ("tags --ref 'a && b' \"|\"", ["tags", "--ref", "a && b", "|"]),
        ])
    func neverExpands(text: String, words: [String]) throws {
        #expect(try ShellWords.split(text) == words)
    }

    @Test(
        "a control operator standing alone is refused with what to do instead",
        arguments: ["changes ; rm -rf /", "changes && gantry tags", "changes | tee x", "changes > out", "run &"])
    func refusesOperators(text: String) throws {
        #expect {
            try ShellWords.split(text)
        } throws: { error in
            "\(error)".contains("no shell runs it") && "\(error)".contains("one step per command")
        }
    }

    @Test(
        "unterminated quotes and a trailing backslash are errors that say which",
        arguments: [("run --test 'x", "single quote"), ("run --test \"x", "double quote"), ("run \\", "backslash")])
    func refusesUnterminated(text: String, what: String) throws {
        #expect {
            try ShellWords.split(text)
        } throws: { error in
            "\(error)".contains(what)
        }
    }

    @Test("a line past the limit is refused rather than parsed")
    func boundsLength() throws {
        #expect(throws: GantryError.self) { try ShellWords.split(String(repeating: "a ", count: ShellWords.maximumLength)) }
    }
}
