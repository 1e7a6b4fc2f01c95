extension EnvironmentSettings {
    /// The placeholders an environment name template may use: GitHub's run variables (`GITHUB_RUN_ID` is `{run_id}`),
    /// and `{runner}`.
    static let namePlaceholders = [
        "run_id", "run_number", "run_attempt", "job", "workflow", "event_name", "ref_name", "sha", "actor", "repository",
        "repository_owner", "runner",
    ]

    /// What is wrong with an environment name template, or nil.
    package static func problem(withNameTemplate template: String) -> String? {
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { return "has a `{` that is not closed" }
            let name = String(rest[rest.index(after: open)..<close])
            guard namePlaceholders.contains(name) else {
                return "uses {\(name)}; expected \(namePlaceholders.map { "{\($0)}" }.joined(separator: ", "))"
            }
            rest = rest[rest.index(after: close)...]
        }
        return nil
    }
}
