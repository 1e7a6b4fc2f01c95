/// Text from places gantry does not control (file and branch names, event payloads, server
/// responses) on its way to a terminal or a workflow log.
package enum UntrustedText {
    /// Replaces control characters with visible escapes (`\n`, `\u{1B}`), so that a name cannot start
    /// a new log line (and with it a workflow command) or drive the terminal.
    package static func escapingControlCharacters(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where isControl(scalar): escaped += "\\u{\(String(scalar.value, radix: 16))}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// Wraps a block for the workflow log between `::stop-commands::TOKEN` and `::TOKEN::`, so the
    /// runner reads no workflow command inside it, whatever it contains. The token is random, so the
    /// block cannot end the pause early.
    package static func pausingWorkflowCommands(_ block: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let token = "gantry-" + String(generator.next() as UInt64, radix: 36) + String(generator.next() as UInt64, radix: 36)
        return "::stop-commands::\(token)\n\(block)\n::\(token)::"
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
    }
}
