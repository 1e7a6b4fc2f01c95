import Basics

/// A compiled regular expression, run as a Pike VM: every alternative is followed at once, one
/// character at a time, so a match takes time proportional to the text's length times the
/// program's, whatever the pattern (`(a*)*b` against a tag of 32 `a`s took backtracking 12 s).
/// Priorities between threads give the same match and groups as JavaScript's backtracking.
package struct RegexProgram: Sendable {
    package enum Instruction: Sendable {
        case scalar(ScalarSet)
        case assertion(RegexAssertion)
        /// Continue at both offsets, relative to this instruction; the first has priority.
        case split(Int, Int)
        case jump(Int)
        /// Record the position in capture slot n (group n / 2, its start or end).
        case save(Int)
        case match
    }

    /// The match was cut off at ``ConfigurationLimits/matchSteps``.
    package struct CutOff: Error {}

    package let instructions: [Instruction]
    /// Capture groups, not counting the whole match.
    package let groupCount: Int
    package let ignoresCase: Bool
    package let multiline: Bool

    /// Compiles `node`; a program past ``ConfigurationLimits/patternSize`` is refused at the
    /// quantifier that took it there (or at the start).
    package init(_ node: RegexNode, groupCount: Int, ignoresCase: Bool, multiline: Bool) throws(TagRuleError) {
        var program = try Self.compile(node)
        program.insert(.save(0), at: 0)
        program += [.save(1), .match]
        self.instructions = program
        self.groupCount = groupCount
        self.ignoresCase = ignoresCase
        self.multiline = multiline
    }

    private static func compile(_ node: RegexNode) throws(TagRuleError) -> [Instruction] {
        let program: [Instruction]
        switch node {
        case .empty:
            program = []
        case .scalar(let set):
            program = [.scalar(set)]
        case .assertion(let assertion):
            program = [.assertion(assertion)]
        case .group(let inner, let capture):
            let body = try compile(inner)
            program = capture.map { [.save(2 * $0)] + body + [.save(2 * $0 + 1)] } ?? body
        case .sequence(let items):
            var joined: [Instruction] = []
            for item in items {
                joined += try compile(item)
                try checkSize(joined.count, at: 0)
            }
            program = joined
        case .alternatives(let branches):
            let bodies = try branches.map { branch throws(TagRuleError) in try compile(branch) }
            try checkSize(bodies.reduce(0) { $0 + $1.count + 2 }, at: 0)
            // split(next branch) body jump(end) … last body
            var joined: [Instruction] = []
            var remaining = bodies.reduce(0) { $0 + $1.count + 2 } - 2
            for (index, body) in bodies.enumerated() {
                if index < bodies.count - 1 {
                    joined.append(.split(1, body.count + 2))
                    joined += body
                    remaining -= body.count + 2
                    joined.append(.jump(remaining + 1))
                } else {
                    joined += body
                }
            }
            program = joined
        case .repetition(let inner, let minimum, let maximum, let isGreedy, let offset):
            let body = try compile(inner)
            let optionalCopies = maximum.map { $0 - minimum } ?? 1
            // Checked before the copies are made: `(a{1000}){1000}` must not build a million instructions.
            try checkSize(minimum * body.count + optionalCopies * (body.count + 1) + (maximum == nil ? 1 : 0), at: offset)
            var repeated = Array([[Instruction]](repeating: body, count: minimum).joined())
            if maximum == nil {
                // split(body, past) body jump(back to split)
                repeated.append(isGreedy ? .split(1, body.count + 2) : .split(body.count + 2, 1))
                repeated += body
                repeated.append(.jump(-(body.count + 1)))
            } else {
                for _ in 0..<optionalCopies {
                    repeated.append(isGreedy ? .split(1, body.count + 1) : .split(body.count + 1, 1))
                    repeated += body
                }
            }
            program = repeated
        }
        try checkSize(program.count, at: 0)
        return program
    }

    private static func checkSize(_ size: Int, at offset: Int) throws(TagRuleError) {
        guard size > ConfigurationLimits.patternSize else { return }
        throw TagRuleError(
            "the regular expression compiles to more than \(ConfigurationLimits.patternSize) instructions (a repeat such "
                + "as {n,m} counts what it repeats m times); expected a simpler pattern", offset: offset)
    }

    /// A running match: where it is in the program, and its capture slots (-1 for unset).
    private struct Thread {
        package var instruction: Int
        package var captures: [Int]
    }

    /// The capture slots of the leftmost match starting at `start` or later, or nil; `steps` counts
    /// down the match's budget.
    package func firstMatch(in text: [Unicode.Scalar], from start: Int, steps: inout Int) throws(CutOff) -> [Int]? {
        var visited = [Int](repeating: -1, count: instructions.count)
        var current: [Thread] = []
        var next: [Thread] = []
        var matched: [Int]?
        let empty = [Int](repeating: -1, count: 2 * (groupCount + 1))
        add(Thread(instruction: 0, captures: empty), to: &current, at: start, in: text, visited: &visited, generation: start)
        for position in start...text.count {
            if current.isEmpty && matched != nil { break }
            threads: for thread in current {
                steps -= 1
                guard steps >= 0 else { throw CutOff() }
                switch instructions[thread.instruction] {
                case .match:
                    // A thread that matched outranks every thread after it.
                    matched = thread.captures
                    break threads
                case .scalar(let set):
                    if position < text.count, set.contains(text[position], ignoringCase: ignoresCase) {
                        add(
                            Thread(instruction: thread.instruction + 1, captures: thread.captures), to: &next, at: position + 1,
                            in: text, visited: &visited, generation: position + 1)
                    }
                default:
                    break
                }
            }
            if matched == nil, position < text.count {
                // A match starting here ranks below every match that started earlier.
                add(
                    Thread(instruction: 0, captures: empty), to: &next, at: position + 1, in: text, visited: &visited,
                    generation: position + 1)
            }
            swap(&current, &next)
            next.removeAll(keepingCapacity: true)
        }
        return matched
    }

    /// Adds `thread` and every thread it leads to without reading a character, in priority order,
    /// each instruction once per position. A loop over a stack, not recursion.
    private func add(
        _ thread: Thread, to list: inout [Thread], at position: Int, in text: [Unicode.Scalar], visited: inout [Int], generation: Int
    ) {
        var pending = [thread]
        while var thread = pending.popLast() {
            guard visited[thread.instruction] != generation else { continue }
            visited[thread.instruction] = generation
            switch instructions[thread.instruction] {
            case .jump(let offset):
                thread.instruction += offset
                pending.append(thread)
            case .split(let first, let second):
                pending.append(Thread(instruction: thread.instruction + second, captures: thread.captures))
                thread.instruction += first
                pending.append(thread)
            case .save(let slot):
                thread.captures[slot] = position
                thread.instruction += 1
                pending.append(thread)
            case .assertion(let assertion):
                guard holds(assertion, at: position, in: text) else { continue }
                thread.instruction += 1
                pending.append(thread)
            case .scalar, .match:
                list.append(thread)
            }
        }
    }

    private func holds(_ assertion: RegexAssertion, at position: Int, in text: [Unicode.Scalar]) -> Bool {
        switch assertion {
        case .start:
            return position == 0 || (multiline && ScalarSet.lineTerminators.contains(text[position - 1]))
        case .end:
            return position == text.count || (multiline && ScalarSet.lineTerminators.contains(text[position]))
        case .wordBoundary, .notWordBoundary:
            let before = position > 0 && ScalarSet.wordCharacters.contains(text[position - 1])
            let after = position < text.count && ScalarSet.wordCharacters.contains(text[position])
            return (before != after) == (assertion == .wordBoundary)
        }
    }
}
