import Foundation
import PathPattern
import TestSupport
import Testing

/// `PathPattern` must select exactly the paths `git ls-files -- ':(glob)PATTERN'` selects. The
/// table below states the rules one case at a time (each case was checked against git); the
/// differential test then compares the matcher with the real git CLI over a few hundred paths.
@Suite("PathPattern")
struct PathPatternTests {
    /// One pattern, one path, and whether git selects the path.
    struct MatchCase: Sendable, CustomTestStringConvertible {
        let pattern: String
        let path: String
        let matches: Bool

        init(_ pattern: String, _ path: String, _ matches: Bool) {
            self.pattern = pattern
            self.path = path
            self.matches = matches
        }

        var testDescription: String {
            "'\(pattern)' \(matches ? "matches" : "does not match") '\(path.debugDescription.dropFirst().dropLast())'"
        }
    }

    static let matchCases: [MatchCase] = [
        // `*` matches within one component, including nothing and leading dots.
        MatchCase("*.md", "README.md", true),
        MatchCase("*.md", "a/b.md", false),
        MatchCase("*", ".env", true),
        MatchCase("*", "a/b", false),
        MatchCase("*env", ".env", true),
        MatchCase("a*b", "ab", true),
        MatchCase("src/*.py", "src/main.py", true),
        MatchCase("src/*.py", "src/sub/main.py", false),
        MatchCase("src/*/main.py", "src/x/main.py", true),
        MatchCase("src/*/main.py", "src/main.py", false),
        MatchCase("*.MD", "README.md", false),
        // `?` matches one byte except `/`; a non-ASCII character is several bytes.
        MatchCase("file?.txt", "file1.txt", true),
        MatchCase("file?.txt", "file.txt", false),
        MatchCase("a?b", "a/b", false),
        MatchCase("na?ve.txt", "naïve.txt", false),
        MatchCase("na??ve.txt", "naïve.txt", true),
        // Bracket expressions.
        MatchCase("[abc].txt", "b.txt", true),
        MatchCase("[abc].txt", "d.txt", false),
        MatchCase("[a-c]x", "bx", true),
        MatchCase("[!a-c]x", "dx", true),
        MatchCase("[!a-c]x", "ax", false),
        MatchCase("[^a-c]x", "dx", true),
        MatchCase("[]]", "]", true),
        MatchCase("[!]]", "]", false),
        MatchCase("[!]]", "x", true),
        MatchCase("[a-]", "-", true),
        MatchCase("[\\]]", "]", true),
        MatchCase("[[:alpha:]][[:digit:]]", "a1", true),
        MatchCase("[[:digit:]]", "x", false),
        MatchCase("[[:upper:]]*", "Makefile", true),
        MatchCase("[[:upper:]]*", "makefile", false),
        MatchCase("a[[:space:]]b", "a b", true),
        MatchCase("caf[é]", "café", false),
        MatchCase("a[/]b", "a/b", false),
        MatchCase("a[!x]b", "a/b", false),
        // `**` as a whole component crosses directories; elsewhere it is a `*`.
        MatchCase("services/api/**", "services/api/a/b.py", true),
        MatchCase("services/api/**", "services/api", false),
        MatchCase("services/api/**", "services/apiary/x.py", false),
        MatchCase("**/*.md", "README.md", true),
        MatchCase("**/*.md", "a/b/c.md", true),
        MatchCase("**.md", "b.md", true),
        MatchCase("**.md", "a/b.md", false),
        MatchCase("a/**/b", "a/b", true),
        MatchCase("a/**/b", "a/x/y/b", true),
        MatchCase("a/**/b", "a/xb", false),
        MatchCase(".github/**", ".github/workflows/ci.yml", true),
        MatchCase("**/.env", ".env", true),
        MatchCase("**/.env", "k/.env", true),
        MatchCase("**/.env", "k/x.env", false),
        MatchCase("a/**", "a/.hidden", true),
        MatchCase("**", "any/path/at/all", true),
        MatchCase("x/a**b", "x/axb", true),
        MatchCase("x/a**b", "x/ax/yb", false),
        MatchCase("src/foo**", "src/foobar/x.c", true),
        // A pattern equal to a leading directory matches everything beneath it.
        MatchCase("services/api", "services/api", true),
        MatchCase("services/api", "services/api/x/y.py", true),
        MatchCase("services/api", "services/apiary/x.py", false),
        MatchCase("docs/", "docs/a/b.md", true),
        MatchCase("docs/", "docs", false),
        MatchCase("src/*/", "src/a/b.c", false),
        MatchCase("a*", "a*/x", true),
        MatchCase("[ab]", "[ab]", true),
        MatchCase("a//b", "a/b", true),
        // `\` escapes the next character.
        MatchCase("\\*.md", "*.md", true),
        MatchCase("\\*.md", "a.md", false),
        MatchCase("a\\?b", "a?b", true),
        MatchCase("a\\?b", "axb", false),
        MatchCase("\\[x]", "[x]", true),
        MatchCase("\\!important", "!important", true),
        // Spaces and non-ASCII names are compared byte for byte.
        MatchCase("docs/naïve file.txt", "docs/naïve file.txt", true),
        MatchCase("docs/*.txt", "docs/naïve file.txt", true),
        MatchCase("docs/na*ve file.txt", "docs/naïve file.txt", true),
        MatchCase("café/**", "cafe\u{301}/x.md", false),
    ]

    @Test("matches exactly the paths git matches", arguments: matchCases)
    func matchCase(_ matchCase: MatchCase) throws {
        let pattern = try PathPattern(matchCase.pattern)
        #expect(pattern.matches(matchCase.path) == matchCase.matches)
    }

    @Test("a negated pattern matches what it matches without '!'")
    func negatedPatternMatchesLikeItsPositiveForm() throws {
        let pattern = try PathPattern("!services/api/docs/**")
        #expect(pattern.isNegated)
        #expect(pattern.text == "services/api/docs/**")
        #expect(pattern.description == "!services/api/docs/**")
        #expect(pattern.matches("services/api/docs/guide.md"))
        #expect(!pattern.matches("services/api/main.py"))
    }

    @Test("text keeps the pattern as written; equality compares what was written")
    func textAndEquality() throws {
        let pattern = try PathPattern("docs//*.md")
        #expect(pattern.text == "docs//*.md")
        #expect(!pattern.isNegated)
        #expect(pattern.description == "docs//*.md")
        #expect(try PathPattern("!\u{301}x").text == "\u{301}x")
        #expect(try PathPattern("a/**") == PathPattern("a/**"))
        #expect(try PathPattern("a/**") != PathPattern("!a/**"))
        #expect(try Set([PathPattern("a"), PathPattern("a"), PathPattern("!a")]).count == 2)
    }

    @Test("many '**' stay fast on deep paths (git itself needs a minute for this one)", .timeLimit(.minutes(1)))
    func manyGlobstarsOnDeepPaths() throws {
        let pattern = try PathPattern("a/**/a/**/a/**/a/**/a/**/a/**/a/**/a/**/c/**")
        let deep = String(repeating: "a/", count: 60)
        #expect(pattern.matches(deep + "c/x"))
        #expect(!pattern.matches(deep + "b"))
    }

    @Test("long patterns match like short ones")
    func longPatterns() throws {
        let name = String(repeating: "abcdefghij", count: 10)
        let pattern = try PathPattern("**/*\(name)?*")
        #expect(pattern.matches("src/x\(name)yz"))
        #expect(pattern.matches("\(name)y"))
        #expect(!pattern.matches("src/x\(name)"))
        #expect(!pattern.matches("src/x\(name)/y"))
        #expect(try PathPattern("long/*\(name)").matches("long/x\(name)"))
    }

    @Test("the longest pattern allowed, every component a '**/', matches as a short one does")
    func longestGlobstarChain() throws {
        let chain = String(repeating: "**/", count: (PathPattern.maximumLength - 1) / 3)
        let pattern = try PathPattern(chain + "f")
        #expect(pattern.matches("f"))
        #expect(pattern.matches("a/b/c/f"))
        #expect(!pattern.matches("a/b/c/g"))
        #expect(!pattern.matches("a/f/g"))
    }

    @Test("a pattern longer than git's longest path is refused, with its length and the limit")
    func tooLong() {
        let error = #expect(throws: PathPattern.SyntaxError.self) { try PathPattern(String(repeating: "**/", count: 150_000) + "f") }
        #expect(error?.message == "the pattern is 450001 bytes long; at most 4096 are allowed, the longest path git takes")
    }

    // MARK: - Syntax errors

    /// A pattern git would accept silently but that cannot mean what the user wants, or that git
    /// cannot take at all, and the part of the message that tells the user why.
    struct InvalidCase: Sendable, CustomTestStringConvertible {
        let pattern: String
        let message: String

        init(_ pattern: String, _ message: String) {
            self.pattern = pattern
            self.message = message
        }

        var testDescription: String { "'\(pattern.debugDescription.dropFirst().dropLast())'" }
    }

    static let invalidCases: [InvalidCase] = [
        InvalidCase("", "empty pattern"),
        InvalidCase("!", "'!' alone excludes nothing"),
        InvalidCase(
            "/src/**", "it starts with '/': patterns are relative to the repository root, write 'src/**'"),
        InvalidCase("!/src", "starts with '/': patterns are relative to the repository root, write 'src'"),
        InvalidCase("/", "write '**' to match every path"),
        InvalidCase("./src/**", "a '.' component"),
        InvalidCase("./src/**", "write 'src/**' instead"),
        InvalidCase("src/./a/", "write 'src/a/' instead"),
        InvalidCase(".", "a '.' component"),
        InvalidCase("src/.", "'.' component"),
        InvalidCase("../x", "a '..' component"),
        InvalidCase("src/../lib", "'..' component"),
        InvalidCase("..", "'..' component"),
        InvalidCase("a/b/..", "'..' component"),
        InvalidCase("src/[ab", "unclosed '[' at character 5"),
        InvalidCase("!src/[ab", "unclosed '[' at character 6"),
        InvalidCase("naïve/[x", "unclosed '[' at character 7"),
        InvalidCase("[", "unclosed '['"),
        InvalidCase("[!", "unclosed '['"),
        InvalidCase("[]", "unclosed '['"),
        InvalidCase("x[a\\", "unclosed '[' at character 2"),
        InvalidCase("[[:alpha:]", "unclosed '['"),
        InvalidCase("[[:alpha", "unclosed '['"),
        InvalidCase("src\\", "trailing '\\' at character 4 escapes nothing"),
        InvalidCase("a\u{0}b", "NUL character at character 2"),
        InvalidCase("[[:foo:]]", "unknown character class '[:foo:]' at character 2"),
        InvalidCase("[[::]]", "unknown character class '[::]'"),
    ]

    @Test("rejects invalid patterns with an actionable message", arguments: invalidCases)
    func rejects(_ invalidCase: InvalidCase) {
        let error = #expect(throws: PathPattern.SyntaxError.self) { try PathPattern(invalidCase.pattern) }
        #expect(
            error?.message.contains(invalidCase.message) == true,
            "message was: \(error?.message ?? "none")")
        #expect(error?.description == error?.message)
    }

    @Test("the unclosed bracket message says where and how to fix it")
    func unclosedBracketMessage() {
        let error = #expect(throws: PathPattern.SyntaxError.self) { try PathPattern("src/a/[b") }
        #expect(
            error?.message
                == "unclosed '[' at character 7: close the bracket expression with ']' or escape it as '\\['")
    }

    @Test(
        "accepts unusual but valid patterns",
        arguments: [
            "[]]", "[!]]", "[[:]", "[]-a]", "a\\\\", "\\!x", "!!x", ".hidden", "a/.b", "..a", "a..b", "...", "**",
            "***", "a/**\\/b", "[\\\\]",
        ])
    func acceptsValidPatterns(_ text: String) {
        #expect(throws: Never.self) { try PathPattern(text) }
    }

    // MARK: - Lists

    @Test("the last matching pattern decides")
    func lastMatchingPatternDecides() throws {
        let list = try PathPatternList(["services/api/**", "!services/api/docs/**"].map(PathPattern.init))
        #expect(list.matches("services/api/main.py"))
        #expect(list.matches("services/api/src/handlers/user.py"))
        #expect(!list.matches("services/api/docs/guide.md"))
        #expect(!list.matches("services/web/main.py"))
        #expect(!list.isEmpty)
        #expect(list.patterns.map(\.description) == ["services/api/**", "!services/api/docs/**"])
    }

    @Test("a later pattern re-includes what a negation excluded")
    func reinclusionAfterNegation() throws {
        let list = try PathPatternList(
            ["services/api/**", "!services/api/docs/**", "services/api/docs/openapi.yaml"].map(PathPattern.init))
        #expect(list.matches("services/api/docs/openapi.yaml"))
        #expect(!list.matches("services/api/docs/guide.md"))
        #expect(list.matches("services/api/main.py"))
    }

    @Test("order matters: a negation before an inclusion excludes nothing the inclusion matches")
    func negationFirst() throws {
        let list = try PathPatternList(["!services/api/docs/**", "services/api/**"].map(PathPattern.init))
        #expect(list.matches("services/api/docs/guide.md"))
        #expect(list.matches("services/api/main.py"))
    }

    @Test("a list of negations only, or of nothing, includes nothing")
    func onlyNegationsIncludeNothing() throws {
        let negations = try PathPatternList(["!**/*.md", "!docs/**"].map(PathPattern.init))
        #expect(!negations.matches("main.py"))
        #expect(!negations.matches("README.md"))
        #expect(!negations.matches("docs/x.txt"))

        let empty = PathPatternList([])
        #expect(empty.isEmpty)
        #expect(!empty.matches("main.py"))
        #expect(PathPatternList([]) == empty)
    }

    // MARK: - Differential test against git

    /// Directories × names, plus extras, give about 300 files with nested directories, dotfiles,
    /// spaces, brackets, wildcard characters, backslashes, control characters and non-ASCII names
    /// (including the same name in NFC and NFD).
    static let repositoryPaths: [String] = {
        let directories = [
            "", "services/api", "services/api/docs", "services/web", "services/api-gateway", "libs/core/src",
            "docs", "docs/sub dir", ".github/workflows", "a/b/c", "naïve", "[ab]", "odd/*", "odd/a\\b",
            "deep/1/2/3/4",
        ]
        let names = [
            "README.md", "main.py", ".env", ".hidden.yml", "notes.txt", "a b.txt", "Makefile", "UPPER.MD",
            "café.md", "[x].txt", "q?.txt", "star*.txt", "-dash", "!bang", "#hash", "tab\there", "x",
        ]
        var paths = directories.flatMap { directory in
            names.map { directory.isEmpty ? $0 : "\(directory)/\($0)" }
        }
        paths += [
            "lone", "lone2/x", "services/api.md", "servicesX/api/y", "a/b/c.md", "a/xb", "ab/x/b", "a*/x",
            "a\\*/y", "src/foo/bar.c", "src/foobar/x.c", "src/foo.c", "src/a/b.c", "cafe\u{301}/nfd.md",
            "café/nfc.md", "cafe\u{301}.md", "ctl/\u{1}", "ctl/\u{7F}", "ctl/\u{B}vt", "ctl/\rcr", "ctl/\nnl",
            "v/Ω.txt", "v/日本語.txt", "v/😀.txt", "e/x]y", "e/-", "e/!", "e/^", "e/]", "e/[", "e/a[b", "e/:",
            "e/a-b", "e/a\\b", "e/a b", "e/..x", "w/.y/z", ".a/.b/.c",
        ]
        // Long names, for patterns too long for the matcher's one-word automaton.
        paths += [
            "long/\(longName).txt", "long/x/\(longName).txt", "long/dir-\(longName)/inner.txt", "long/\(longName)-2.md",
        ]
        return paths
    }()

    /// 80 characters.
    static let longName = String(repeating: "abcdefghij", count: 8)

    static let differentialPatterns: [String] = [
        "*", "**", "*.md", "**/*.md", "**.md", "*.MD", "**/README.md", "README.md", "services", "services/",
        "services/api", "services/api/", "services/api/**", "services/api/*", "services/api/**/*.md",
        "services/*/docs/**", "services/api*", "services/api*/**", "services/**/docs", "services/**",
        "**/docs/**", "docs/**", "docs/*", "docs/sub dir/*", "docs/sub\\ dir/*", "**/.env", ".*", "**/.*",
        "*/.env", ".github/**", ".github/*/*.yml", "a/**/c", "a/**/b/**", "a/b/c/**", "a/**/xb", "a**", "a**/b",
        "src/foo**", "src/foo*", "src/*/", "**/", "*/", "a//b/c/*", "[ab]", "[ab]/*", "odd/*", "odd/*/*",
        "odd/\\*/*", "odd/a\\\\b/*", "**/[[]x].txt", "**/\\[x].txt", "**/q\\?.txt", "**/q?.txt",
        "**/star\\*.txt", "**/[!a-z]*", "**/[^.]*", "**/[[:upper:]]*", "**/[[:punct:]]*", "**/*[[:space:]]*",
        "**/[[:cntrl:]]*", "ctl/[[:space:]]*", "ctl/[[:cntrl:]]", "naïve/*", "na?ve/*", "na??ve/*",
        "**/caf?.md", "**/caf??.md", "**/café.md", "café/**", "cafe*/**", "v/*", "v/???.txt", "e/[]]",
        "e/[!]]", "e/[a-]", "e/[[:]", "e/[]-a]", "e/x[]]y", "e/a[[]b", "e/a\\\\b", "**/\\!bang", "**/!bang",
        "**/#hash", "deep/**/4/*", "deep/*/*/3/**", "deep/**/**/x", "deep/***", "deep/1**", "*/*/*/*/*/*",
        "**/*/x", "lone", "lone/**", "lone2", "[[:alpha:]]*/**", "\\**", "**/x", "w/**\\/z", "a/**\\/c.md",
        "**/.*/**", "*/*", "?", "??", "???*/**", "[a-c]/**", "[!a-c]*", "*[[:digit:]]*/**", "*.*",
        "deep/**\\/x", "a[/]b/c/*", "services[!x]api/*", "services?api/*",
        "long/*\(longName.dropFirst(10))*", "**/?\(longName.dropFirst())*", "long/**/*\(longName.dropLast(5))*",
        "long/*-\(longName)/*", "long/**/\(longName)?*", "**/\(longName.prefix(70))*/**",
    ]

    @Test("selects exactly the paths git ls-files selects for ':(glob)PATTERN'")
    func agreesWithGit() throws {
        let fixture = try GitFixture()
        for path in Self.repositoryPaths { try fixture.write(path, "\(path)\n") }
        try fixture.git("add", "--all")

        // The paths as git recorded them are the universe both sides choose from.
        let universe = Self.nulSeparated(try fixture.untrimmedGit(["ls-files", "-z"]))
        #expect(universe.count >= 290, "git recorded only \(universe.count) paths")

        var checked = 0
        for text in Self.differentialPatterns {
            let pattern = try PathPattern(text)
            let ours = Set(universe.filter { pattern.matches(String(decoding: $0, as: UTF8.self)) })
            let output = try fixture.untrimmedGit(["ls-files", "-z", "--", ":(glob)\(text)"])
            let gits = Set(Self.nulSeparated(output))
            checked += 1
            if ours != gits {
                let describe: (Set<[UInt8]>) -> String = { paths in
                    paths.map { String(decoding: $0, as: UTF8.self).debugDescription }.sorted().joined(separator: ", ")
                }
                Issue.record(
                    """
                    PathPattern('\(text)') disagrees with git ls-files -- ':(glob)\(text)'
                      matched by git only:         [\(describe(gits.subtracting(ours)))]
                      matched by PathPattern only: [\(describe(ours.subtracting(gits)))]
                    """)
            }
        }
        #expect(checked == Self.differentialPatterns.count)
    }

    /// Splits `git … -z` output into paths, keeping their exact bytes.
    private static func nulSeparated(_ output: String) -> [[UInt8]] {
        output.utf8.split(separator: 0, omittingEmptySubsequences: true).map { Array($0) }
    }
}
