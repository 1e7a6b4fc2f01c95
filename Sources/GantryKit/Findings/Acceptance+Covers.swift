import Config
import GitHubActions

extension Acceptance {
    /// Whether `result` is one of the findings it names, whatever its date.
    package func covers(_ result: ScannedResult) -> Bool {
        guard result.rule.caseInsensitiveCompare(rule) == .orderedSame else { return false }
        if let tool, result.tool.caseInsensitiveCompare(tool) != .orderedSame { return false }
        if let location {
            // Globs are relative; a tool that writes absolute paths (`/app/go.mod`) is matched without the `/`.
            guard let path = result.location?.path else { return false }
            return location.matches(path.hasPrefix("/") ? String(path.drop { $0 == "/" }) : path)
        }
        return true
    }
}
