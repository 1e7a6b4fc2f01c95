import Basics

/// A `.dockerignore` file, read as BuildKit reads it (moby/patternmatcher): one pattern a line, `#`
/// comments, `!` exceptions; the last pattern that matches a path or one of its directories decides.
package struct IgnoreFile: Sendable {
    /// One line's pattern.
    package struct Pattern: Sendable {
        /// The pattern as the builder keeps it: cleaned, without a leading `/` or `!`.
        package var text: String
        /// Whether the line starts with `!`: it re-includes what earlier patterns excluded.
        package var isException: Bool
        /// The line it is on.
        package var line: Int
        let glob: Glob
    }

    /// The file's path, for messages.
    package var file: String
    /// The patterns, in order.
    package var patterns: [Pattern]
    /// Lines the builder reads differently from how they look, with why: `../x` matches nothing.
    package var warnings: [(line: Int, message: String)]

    /// An ignore file that excludes nothing.
    package init() {
        file = ""
        patterns = []
        warnings = []
    }

    /// Reads an ignore file's text.
    ///
    /// - Throws: `DockerfileError` at the line of a pattern that is not one, or where a limit is passed.
    package init(text: String, file: String) throws(DockerfileError) {
        self.file = file
        patterns = []
        warnings = []
        guard text.utf8.count <= ConfigurationLimits.Dockerfile.fileSize else {
            throw DockerfileError(
                "the ignore file is larger than \(ConfigurationLimits.Dockerfile.fileSize / 1024) KiB; expected one below that size",
                file: file, line: 1)
        }
        var number = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            guard number <= ConfigurationLimits.Dockerfile.lines else {
                throw DockerfileError(
                    "the ignore file has more than \(ConfigurationLimits.Dockerfile.lines) lines; expected fewer", file: file, line: number)
            }
            var line = Substring(rawLine)
            if number == 1, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            // A comment is a `#` in the first column only, before any trimming, as the builder reads it.
            guard !line.hasPrefix("#") else { continue }
            var pattern = line.trimmingWhitespace()
            guard !pattern.isEmpty else { continue }
            let isException = pattern.hasPrefix("!")
            if isException { pattern = pattern.dropFirst().trimmingWhitespace() }
            guard !pattern.isEmpty else {
                throw DockerfileError(
                    "`!` alone is not a pattern; expected `!PATTERN`, which re-includes what earlier lines exclude", file: file,
                    line: number)
            }
            guard patterns.count < ConfigurationLimits.Dockerfile.ignorePatterns else {
                throw DockerfileError(
                    "the ignore file has more than \(ConfigurationLimits.Dockerfile.ignorePatterns) patterns; expected fewer", file: file,
                    line: number)
            }
            let parsed = try Self.pattern(pattern, isException: isException, file: file, line: number)
            if parsed.text == ".." || parsed.text.utf8.starts(with: "../".utf8) {
                warnings.append(
                    (number, "`\(pattern)` points above the build context, which the builder never sends: it matches nothing"))
            }
            patterns.append(parsed)
        }
    }

    /// The `--exclude` patterns of a `COPY` or `ADD`, read as ignore-file lines.
    init(excluding texts: [String], file: String, line: Int) throws(DockerfileError) {
        self.file = file
        warnings = []
        patterns = []
        for text in texts {
            let isException = text.hasPrefix("!")
            patterns.append(
                try Self.pattern(Substring(isException ? String(text.dropFirst()) : text), isException: isException, file: file, line: line)
            )
        }
    }

    private static func pattern(_ pattern: Substring, isException: Bool, file: String, line: Int) throws(DockerfileError) -> Pattern {
        guard pattern.utf8.count <= ConfigurationLimits.Dockerfile.patternLength else {
            throw DockerfileError(
                "the pattern is \(pattern.utf8.count) bytes long, more than \(ConfigurationLimits.Dockerfile.patternLength); expected a shorter one",
                file: file, line: line)
        }
        var cleaned = ContextPath.cleanKeepingParents(String(pattern))
        if cleaned.utf8.count > 1 && cleaned.utf8.first == ContextPath.separator { cleaned = String(Substring(cleaned.utf8.dropFirst())) }
        do {
            return Pattern(text: cleaned, isException: isException, line: line, glob: try Glob(cleaned, dialect: .ignore))
        } catch {
            throw DockerfileError("the pattern `\(pattern)` \(error.message)", file: file, line: line)
        }
    }

    /// The pattern that decides that `path` (relative to the context) is excluded, or nil when it is
    /// sent to the builder.
    ///
    /// - Throws: `DockerfileError` at the pattern whose matching passes `budget`.
    func exclusion(of path: String, budget: inout MatchBudget) throws(DockerfileError) -> Pattern? {
        guard !patterns.isEmpty else { return nil }
        let prefixes = ContextPath.prefixes(of: path.utf8[...])
        var decision: Pattern?
        for pattern in patterns {
            // An exception can only change an excluded path, and an exclusion an included one.
            guard pattern.isException == (decision != nil) else { continue }
            do {
                for prefix in prefixes where try pattern.glob.matches(prefix, budget: &budget) {
                    decision = pattern.isException ? nil : pattern
                    break
                }
            } catch {
                throw budget.error(at: pattern.text, file: file, line: pattern.line)
            }
        }
        return decision
    }
}
