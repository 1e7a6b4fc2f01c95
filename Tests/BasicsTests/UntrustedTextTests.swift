import Basics
import Testing

@Suite("Untrusted text in logs")
struct UntrustedTextTests {
    @Test("control characters become visible escapes; everything else is kept")
    func escaping() {
        #expect(UntrustedText.escapingControlCharacters("plain naïve 日本 | <b>") == "plain naïve 日本 | <b>")
        #expect(UntrustedText.escapingControlCharacters("a\n::error::b") == "a\\n::error::b")
        #expect(UntrustedText.escapingControlCharacters("\r\t\u{1B}[31m\u{7F}\u{2028}") == "\\r\\t\\u{1b}[31m\\u{7f}\\u{2028}")
    }

    @Test("a block is wrapped in a pause of workflow commands with a fresh token")
    func pausing() {
        let first = UntrustedText.pausingWorkflowCommands("::error::x")
        let second = UntrustedText.pausingWorkflowCommands("::error::x")
        let lines = first.split(separator: "\n")
        #expect(lines.count == 3)
        let token = lines[0].dropFirst("::stop-commands::".count)
        #expect(token.count >= 12)
        #expect(lines[1] == "::error::x")
        #expect(lines[2] == "::\(token)::")
        #expect(first != second)
    }
}
