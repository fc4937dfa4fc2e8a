// RegexProgram.swift
//
// Compiles a `RegexNode` into a flat NFA program (Thompson construction) for the Pike VM in
// RegexMatcher.swift. Counted repetition is expanded, so the program size is bounded by
// `RegexProgram.maxInstructions` and compilation stops as soon as that bound is exceeded.

/// One NFA instruction. Consuming instructions continue at `pc + 1`.
enum RegexInstruction: Sendable, Hashable {
    /// Consumes exactly this scalar.
    case scalar(Unicode.Scalar)
    /// Consumes a scalar that shares a simple case variant with one of `RegexProgram.foldSets[index]`.
    case foldedScalar(Int)
    /// Consumes a scalar in `RegexProgram.classes[index]`.
    case charClass(Int)
    /// Consumes any scalar.
    case anyScalar
    /// Consumes any scalar except `\n`.
    case anyScalarExceptNewline
    /// Continues at both targets.
    case split(Int, Int)
    /// Continues at the target.
    case jump(Int)
    /// Continues at `pc + 1` if the assertion holds at the current position.
    case assert(RegexAssertion)
    /// The whole expression has matched.
    case match
}

/// A compiled NFA program.
struct RegexProgram: Sendable {
    /// The bound on `instructions.count`.
    static let maxInstructions = 10_000

    var instructions: [RegexInstruction]
    var classes: [RegexCharClass]
    /// Case variants of case-insensitive literals (each with at least two members).
    var foldSets: [[Unicode.Scalar]]
    /// Every match must start at the beginning of the text (the program begins with `\A`).
    var anchoredAtStart: Bool

    static func compile(_ node: RegexNode) throws(RegexError) -> RegexProgram {
        var compiler = RegexCompiler()
        try compiler.compile(node)
        _ = try compiler.emit(.match)
        return RegexProgram(
            instructions: compiler.instructions,
            classes: compiler.classes,
            foldSets: compiler.foldSets,
            anchoredAtStart: compiler.instructions.first == .assert(.beginText)
        )
    }
}

/// Simple case folding of single scalars, used for `(?i)`.
struct RegexFoldVariants {
    var original: Unicode.Scalar
    var lower: Unicode.Scalar
    var upper: Unicode.Scalar
    var lowerOfUpper: Unicode.Scalar
    var upperOfLower: Unicode.Scalar

    init(_ scalar: Unicode.Scalar) {
        original = scalar
        lower = Self.lowercase(scalar)
        upper = Self.uppercase(scalar)
        lowerOfUpper = Self.lowercase(upper)
        upperOfLower = Self.uppercase(lower)
    }

    /// True if `body` holds for any variant.
    @inline(__always)
    func contains(where body: (Unicode.Scalar) -> Bool) -> Bool {
        body(original) || body(lower) || body(upper) || body(lowerOfUpper) || body(upperOfLower)
    }

    /// The distinct variants.
    var all: [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        for scalar in [original, lower, upper, lowerOfUpper, upperOfLower] where !result.contains(scalar) {
            result.append(scalar)
        }
        return result
    }

    /// The lowercase mapping if it is a single scalar, else the scalar itself.
    static func lowercase(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        if scalar.isASCII {
            return (0x41...0x5A).contains(scalar.value) ? Unicode.Scalar(UInt8(scalar.value + 0x20)) : scalar
        }
        return single(scalar.properties.lowercaseMapping) ?? scalar
    }

    /// The uppercase mapping if it is a single scalar, else the scalar itself.
    static func uppercase(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        if scalar.isASCII {
            return (0x61...0x7A).contains(scalar.value) ? Unicode.Scalar(UInt8(scalar.value - 0x20)) : scalar
        }
        return single(scalar.properties.uppercaseMapping) ?? scalar
    }

    private static func single(_ mapping: String) -> Unicode.Scalar? {
        var iterator = mapping.unicodeScalars.makeIterator()
        guard let first = iterator.next(), iterator.next() == nil else { return nil }
        return first
    }
}

private struct RegexCompiler {
    var instructions: [RegexInstruction] = []
    var classes: [RegexCharClass] = []
    var foldSets: [[Unicode.Scalar]] = []
    private var classIndex: [RegexCharClass: Int] = [:]
    private var foldSetIndex: [[Unicode.Scalar]: Int] = [:]

    /// Appends an instruction and returns its index.
    mutating func emit(_ instruction: RegexInstruction) throws(RegexError) -> Int {
        guard instructions.count < RegexProgram.maxInstructions else {
            throw RegexError(message: "pattern too large", offset: 0)
        }
        instructions.append(instruction)
        return instructions.count - 1
    }

    mutating func compile(_ node: RegexNode) throws(RegexError) {
        switch node {
        case .empty:
            break
        case .literal(let scalar, let foldCase):
            let variants = foldCase ? RegexFoldVariants(scalar).all : [scalar]
            if variants.count == 1 {
                _ = try emit(.scalar(scalar))
            } else {
                let index: Int
                if let known = foldSetIndex[variants] {
                    index = known
                } else {
                    index = foldSets.count
                    foldSets.append(variants)
                    foldSetIndex[variants] = index
                }
                _ = try emit(.foldedScalar(index))
            }
        case .charClass(let charClass):
            let index: Int
            if let known = classIndex[charClass] {
                index = known
            } else {
                index = classes.count
                classes.append(charClass)
                classIndex[charClass] = index
            }
            _ = try emit(.charClass(index))
        case .anyScalar(let includingNewline):
            _ = try emit(includingNewline ? .anyScalar : .anyScalarExceptNewline)
        case .assertion(let assertion):
            _ = try emit(.assert(assertion))
        case .concatenation(let items):
            for item in items { try compile(item) }
        case .alternation(let alternatives):
            // split L1, next; L1: a; jump end; next: split L2, next2; ... ; last alternative; end:
            var jumps: [Int] = []
            for (index, alternative) in alternatives.enumerated() {
                if index == alternatives.count - 1 {
                    try compile(alternative)
                } else {
                    let split = try emit(.split(0, 0))
                    try compile(alternative)
                    jumps.append(try emit(.jump(0)))
                    instructions[split] = .split(split + 1, instructions.count)
                }
            }
            for jump in jumps { instructions[jump] = .jump(instructions.count) }
        case .repetition(let operand, let min, let max):
            try compileRepetition(operand, min: min, max: max)
        }
    }

    private mutating func compileRepetition(_ operand: RegexNode, min: Int, max: Int?) throws(RegexError) {
        guard let max else {
            if min == 0 {
                // L: split body, end; body; jump L; end:
                let split = try emit(.split(0, 0))
                try compile(operand)
                _ = try emit(.jump(split))
                instructions[split] = .split(split + 1, instructions.count)
            } else {
                // min-1 copies, then body; split body, end
                for _ in 0..<(min - 1) { try compile(operand) }
                let body = instructions.count
                try compile(operand)
                _ = try emit(.split(body, instructions.count + 1))
            }
            return
        }
        for _ in 0..<min { try compile(operand) }
        // (x(x(x)?)?)? for the optional copies: each split may skip to the end.
        var splits: [Int] = []
        for _ in 0..<(max - min) {
            splits.append(try emit(.split(0, 0)))
            try compile(operand)
        }
        for split in splits { instructions[split] = .split(split + 1, instructions.count) }
    }
}
