import Basics
import Foundation

/// A name a template can refer to.
package enum TemplateVariable: String, Sendable, CaseIterable {
    case branch, tag, sha
    case baseReference = "base_ref"
    case isDefaultBranch = "is_default_branch"
    case isNotDefaultBranch = "is_not_default_branch"
    case raw, version, major, minor, patch
}

/// `{{date …}}` or `{{commit_date …}}`.
package struct DateExpression: Sendable, Equatable {
    /// `commit_date` rather than `date` ("now").
    package var usesCommitDate: Bool
    /// The moment.js format; nil when it was not quoted, which metadata-action turns into moment's default format.
    package var format: String?
    package var timeZone: TimeZone
}

/// The Handlebars subset metadata-action's expressions use, parsed once when the rule is read so that a
/// typo is reported before anything runs.
package struct TagTemplate: Sendable, Equatable {
    /// Where a template appears decides which names it may use.
    package enum Scope: Sendable {
        /// `value`, `prefix`, `suffix`, `enable`, flavor prefix/suffix, labels.
        case global
        /// A semver/pep440 `pattern`.
        case versionPattern
        /// A schedule `pattern`.
        case schedulePattern

        package var variables: [TemplateVariable] {
            switch self {
            case .global: [.branch, .tag, .sha, .baseReference, .isDefaultBranch, .isNotDefaultBranch]
            case .versionPattern: [.raw, .version, .major, .minor, .patch]
            case .schedulePattern: []
            }
        }

        package var allowsDates: Bool { self != .versionPattern }

        package var knownNames: [String] { variables.map(\.rawValue) + (allowsDates ? ["date", "commit_date"] : []) }
    }

    package enum Part: Sendable, Equatable {
        case text(String)
        case variable(TemplateVariable)
        case date(DateExpression)
        /// `${{ … }}`, pasted from a workflow.
        case expression(ActionsExpression)
    }

    package var parts: [Part]

    /// A template that is plain text.
    package init(literal: String) { parts = literal.isEmpty ? [] : [.text(literal)] }

    package init(parts: [Part]) { self.parts = parts }

    /// Whether the template is exactly one `{{raw}}`: metadata-action then keeps a pre-release's raw text.
    package var isSingleRaw: Bool { parts == [.variable(.raw)] }

    /// The text, when the template has no expressions.
    package var constantText: String? {
        var text = ""
        for part in parts {
            guard case .text(let piece) = part else { return nil }
            text += piece
        }
        return text
    }

    /// The text with every expression replaced. No HTML escaping: Handlebars' `&#x3D;` and friends only
    /// ever turned into odd dashes in tags.
    package func render(variables: (TemplateVariable) -> String, github: JSONValue, now: Date, commitDate: Date) -> String {
        var result = ""
        for part in parts {
            switch part {
            case .text(let text): result += text
            case .variable(let variable): result += variables(variable)
            case .date(let expression):
                let date = expression.usesCommitDate ? commitDate : now
                let format = expression.format ?? MomentFormat.defaultFormat(for: date, in: expression.timeZone)
                result += MomentFormat.format(date, format, in: expression.timeZone)
            case .expression(let expression):
                result += expression.evaluate(github: github).text
            }
        }
        return result
    }
}
