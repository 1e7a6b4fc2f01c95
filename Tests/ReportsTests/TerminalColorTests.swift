import Testing

@testable import Reports

@Suite("Colour on a terminal")
struct TerminalColorTests {
    @Test("only on a terminal, and never with NO_COLOR, TERM=dumb or under Actions")
    func whenColourIsWanted() {
        #expect(TerminalColor.isWanted(environment: ["TERM": "xterm-256color"], isTerminal: true))
        #expect(TerminalColor.isWanted(environment: ["NO_COLOR": ""], isTerminal: true), "an empty NO_COLOR does not count")
        #expect(!TerminalColor.isWanted(environment: [:], isTerminal: false))
        #expect(!TerminalColor.isWanted(environment: ["NO_COLOR": "1"], isTerminal: true))
        #expect(!TerminalColor.isWanted(environment: ["TERM": "dumb"], isTerminal: true))
        #expect(!TerminalColor.isWanted(environment: ["GITHUB_ACTIONS": "true"], isTerminal: true))
    }

    @Test("marks and verdicts are coloured; names and messages are left as they are")
    func whatIsColoured() {
        let gates =
            "✓ `api` health `GET /`: passed\n✗ `web` smoke `list`: expected status 200, got 503\n○ `db` smoke `x`: not run\n1 of 3 gates did not pass"
        #expect(
            TerminalColor.colouring(gates) == """
                \u{1B}[32m✓\u{1B}[0m `api` health `GET /`: passed
                \u{1B}[31m✗\u{1B}[0m `web` smoke `list`: expected status 200, got 503
                \u{1B}[2m○\u{1B}[0m `db` smoke `x`: not run
                \u{1B}[31m1 of 3 gates did not pass\u{1B}[0m
                """)
        #expect(TerminalColor.colouring("both gates passed") == "\u{1B}[32mboth gates passed\u{1B}[0m")
        #expect(
            TerminalColor.colouring("  ● api  via group common\n  ○ web  unchanged")
                == "\u{1B}[33m  ●\u{1B}[0m api  via group common\n\u{1B}[2m  ○\u{1B}[0m web  unchanged")
        #expect(
            TerminalColor.colouring("up         0.26 s  passed\ntest       0.28 s  failed: exit 3")
                == "up         0.26 s  \u{1B}[32mpassed\u{1B}[0m\ntest       0.28 s  \u{1B}[31mfailed: exit 3\u{1B}[0m")
        #expect(TerminalColor.colouring("{\"passed\": true}") == "{\"passed\": true}")
    }
}
