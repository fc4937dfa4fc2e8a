// RegexMatcher.swift
//
// `CompiledRegex` and its Pike VM (Thompson NFA simulation).
//
// The VM walks the input once, scalar by scalar, keeping the set of live program counters in a sparse
// set, so each instruction is visited at most once per input position: time is
// O(len(input) × program size) and memory O(program size), whatever the pattern. There is no
// backtracking and no recursion (ε-closures use an explicit stack).

/// A regular expression compiled for CEL's `matches()`: RE2 syntax, search semantics.
struct CompiledRegex: Sendable {
    private let program: RegexProgram

    /// Parses and compiles `pattern`; throws on syntax RE2 rejects, on unsupported features
    /// (backreferences, lookaround, ...) and on programs above `RegexProgram.maxInstructions`.
    init(pattern: String) throws(RegexError) {
        program = try RegexProgram.compile(try RegexParser.parse(pattern))
    }

    /// True if the pattern matches some substring of `text` (use `^`/`$` to anchor).
    func matches(_ text: String) -> Bool {
        var machine = RegexPikeVM(program: program)
        return machine.search(text)
    }

    /// Number of NFA instructions.
    var programSize: Int { program.instructions.count }
}

/// A set of program counters with O(1) insert, lookup and clear, and no initialization per clear.
private struct RegexSparseSet {
    private(set) var dense: [Int]
    private var sparse: [Int]
    private(set) var count = 0

    init(capacity: Int) {
        dense = Array(repeating: 0, count: capacity)
        sparse = Array(repeating: 0, count: capacity)
    }

    /// Inserts `value`; returns false if it was already present.
    @inline(__always)
    mutating func insert(_ value: Int) -> Bool {
        let slot = sparse[value]
        if slot < count && dense[slot] == value { return false }
        dense[count] = value
        sparse[value] = count
        count += 1
        return true
    }

    mutating func removeAll() {
        count = 0
    }
}

private struct RegexPikeVM {
    private let program: RegexProgram
    private let instructions: [RegexInstruction]
    private var stack: [Int] = []

    init(program: RegexProgram) {
        self.program = program
        self.instructions = program.instructions
        stack.reserveCapacity(2 * program.instructions.count + 1)
    }

    mutating func search(_ text: String) -> Bool {
        let size = instructions.count
        var current = RegexSparseSet(capacity: size)
        var next = RegexSparseSet(capacity: size)
        var scalars = text.unicodeScalars.makeIterator()
        var previous: Unicode.Scalar? = nil
        var scalar = scalars.next()
        var atStart = true
        while true {
            // Search semantics: a new thread may start at every position (only at the first one if
            // the program is anchored there).
            if atStart || !program.anchoredAtStart {
                if addClosure(0, to: &current, previous: previous, next: scalar) { return true }
            }
            atStart = false
            guard let consumed = scalar else { return false }
            if current.count == 0 && program.anchoredAtStart { return false }
            let following = scalars.next()
            var folds: RegexFoldVariants? = nil
            next.removeAll()
            for index in 0..<current.count {
                let pc = current.dense[index]
                let accepted: Bool
                switch instructions[pc] {
                case .scalar(let expected):
                    accepted = consumed == expected
                case .foldedScalar(let set):
                    if folds == nil { folds = RegexFoldVariants(consumed) }
                    let members = program.foldSets[set]
                    accepted = folds!.contains(where: { members.contains($0) })
                case .charClass(let classIndex):
                    let charClass = program.classes[classIndex]
                    var inside = charClass.rawContains(consumed)
                    if !inside && charClass.foldCase {
                        if folds == nil { folds = RegexFoldVariants(consumed) }
                        inside = folds!.contains(where: { charClass.rawContains($0) })
                    }
                    accepted = inside != charClass.negated
                case .anyScalar:
                    accepted = true
                case .anyScalarExceptNewline:
                    accepted = consumed != "\n"
                case .split, .jump, .assert, .match:
                    accepted = false
                }
                if accepted && addClosure(pc + 1, to: &next, previous: consumed, next: following) {
                    return true
                }
            }
            swap(&current, &next)
            previous = consumed
            scalar = following
        }
    }

    /// Adds `start` and every instruction reachable from it through jumps, splits and satisfied
    /// assertions to `list`. Returns true if `match` is reachable.
    private mutating func addClosure(
        _ start: Int, to list: inout RegexSparseSet, previous: Unicode.Scalar?, next: Unicode.Scalar?
    ) -> Bool {
        stack.removeAll(keepingCapacity: true)
        stack.append(start)
        while let pc = stack.popLast() {
            guard list.insert(pc) else { continue }
            switch instructions[pc] {
            case .jump(let target):
                stack.append(target)
            case .split(let first, let second):
                stack.append(second)
                stack.append(first)
            case .assert(let assertion):
                if Self.holds(assertion, previous: previous, next: next) { stack.append(pc + 1) }
            case .match:
                return true
            case .scalar, .foldedScalar, .charClass, .anyScalar, .anyScalarExceptNewline:
                break
            }
        }
        return false
    }

    private static func holds(_ assertion: RegexAssertion, previous: Unicode.Scalar?, next: Unicode.Scalar?) -> Bool {
        switch assertion {
        case .beginText: return previous == nil
        case .endText: return next == nil
        case .beginLine: return previous == nil || previous == "\n"
        case .endLine: return next == nil || next == "\n"
        case .wordBoundary: return isWord(previous) != isWord(next)
        case .notWordBoundary: return isWord(previous) == isWord(next)
        }
    }

    private static func isWord(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        return RegexCharClass.rangesContain(RegexCharClass.wordRanges, scalar.value)
    }
}
