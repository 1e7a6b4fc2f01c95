import Basics

/// A message GitHub shows on the run's page and, with a location, on the file's line.
package struct Annotation: Sendable, Equatable {
    /// How GitHub shows it.
    package enum Level: String, Sendable, CaseIterable {
        case error, warning, notice
    }

    /// How GitHub shows it.
    package var level: Level
    /// The text.
    package var message: String
    /// A short title.
    package var title: String?
    /// Where, relative to the repository root.
    package var location: SourceLocation?

    /// Creates an annotation.
    package init(_ level: Level, _ message: String, title: String? = nil, location: SourceLocation? = nil) {
        self.level = level
        self.message = message
        self.title = title
        self.location = location
    }

    /// The workflow command, with every value escaped so that no text can end it early or start another.
    package var command: String {
        var properties: [String] = []
        if let location {
            properties += [
                "file=\(WorkflowCommands.escapeProperty(location.file))", "line=\(location.line)", "col=\(location.column)",
            ]
        }
        if let title { properties.append("title=\(WorkflowCommands.escapeProperty(title))") }
        let head = properties.isEmpty ? level.rawValue : "\(level.rawValue) \(properties.joined(separator: ","))"
        return "::\(head)::\(WorkflowCommands.escapeData(message))"
    }
}

/// Workflow commands: lines the runner reads from a step's output.
package enum WorkflowCommands {
    /// GitHub shows at most this many annotations of each level per step.
    package static let annotationsShownPerLevel = 10

    /// The commands for `annotations`, given most important first: at most ten of each level, and one
    /// notice that counts the rest, so nothing is dropped silently.
    package static func commands(for annotations: [Annotation], where more: String) -> [String] {
        var commands: [String] = []
        var hidden: [Annotation.Level: Int] = [:]
        for level in Annotation.Level.allCases {
            let ofLevel = annotations.filter { $0.level == level }
            commands += ofLevel.prefix(annotationsShownPerLevel).map(\.command)
            if ofLevel.count > annotationsShownPerLevel { hidden[level] = ofLevel.count - annotationsShownPerLevel }
        }
        if !hidden.isEmpty {
            let counts = Annotation.Level.allCases.compactMap { level in hidden[level].map { "\($0) more \(level.rawValue)s" } }
            commands.append(Annotation(.notice, "\(counts.joined(separator: " and ")) not shown as annotations: \(more)").command)
        }
        return commands
    }

    /// `::add-mask::VALUE`: the runner replaces the value with *** in every later line of the log.
    package static func mask(_ value: String) -> String { "::add-mask::\(escapeData(value))" }

    /// Escapes a command's message as the runner unescapes it.
    package static func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    /// Escapes a property value, where `:` and `,` end the value too.
    package static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
