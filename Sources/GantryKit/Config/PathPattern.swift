// TEMPORARY STUB, replaced by the real matcher.
import Glibc
public struct PathPattern: Hashable, Sendable, CustomStringConvertible {
    public struct SyntaxError: Error, Equatable, Sendable, CustomStringConvertible { public let message: String; public var description: String { message } }
    public let text: String
    public let isNegated: Bool
    public init(_ text: String) throws(PathPattern.SyntaxError) {
        if text.isEmpty { throw SyntaxError(message: "empty") }
        isNegated = text.hasPrefix("!"); self.text = isNegated ? String(text.dropFirst()) : text
    }
    public func matches(_ path: String) -> Bool { fnmatch(text.replacingOccurrences(of: "**", with: "*"), path, 0) == 0 || path.hasPrefix(text + "/") }
    public var description: String { text }
}
public struct PathPatternList: Hashable, Sendable {
    public let patterns: [PathPattern]
    public init(_ patterns: [PathPattern]) { self.patterns = patterns }
    public var isEmpty: Bool { patterns.isEmpty }
    public func matches(_ path: String) -> Bool { var r = false; for p in patterns where p.matches(path) { r = !p.isNegated }; return r }
}
