// RegexSyntax.swift
//
// The parser of CEL's `matches()` regular expressions: RE2 syntax → `RegexNode`.
//
// The accepted language is the part of RE2 that can be matched in linear time by a Thompson / Pike
// simulation (see RegexProgram.swift and RegexMatcher.swift). Everything RE2 rejects, and that we can
// recognise, is rejected here with a lowercase message and the 0-based scalar offset of the culprit.
//
// The parser is iterative (an explicit stack of open groups), so a long pattern cannot exhaust the
// call stack; group nesting is bounded by `RegexParser.maxNestingDepth`.

/// A syntax (or size) error in a regular expression.
struct RegexError: Error, Sendable, Equatable {
    /// Lowercase, without a final period, e.g. `missing closing )`.
    var message: String
    /// Scalar offset in the pattern (0-based) where the problem was found.
    var offset: Int

    /// The message in Chinese: its English wording replaced, the pattern's text it quotes kept.
    var zhMessage: String {
        for (en, zh) in Self.zhWordings where message.hasPrefix(en) {
            var detail = String(message.dropFirst(en.count))
            if detail.hasSuffix(" in character class") {
                detail = String(detail.dropLast(" in character class".count)) + "（字符类中）"
            }
            return zh + detail
        }
        return message
    }

    /// Each English wording (or its start, before the quoted pattern text) and its Chinese.
    static let zhWordings: [(String, String)] = [
        ("missing closing } in ", "缺少右花括号 }："), ("missing closing )", "缺少右括号 )"),
        ("missing closing ]", "缺少右方括号 ]"),
        ("missing argument to repetition operator", "重复运算符前缺少内容"),
        ("possessive quantifiers are not supported", "不支持占有量词"),
        ("bad repetition operator ", "错误的重复运算符 "), ("invalid repeat count", "无效的重复次数"),
        ("expression nests too deeply", "表达式嵌套过深"),
        ("lookahead assertions are not supported", "不支持先行断言"),
        ("lookbehind assertions are not supported", "不支持后行断言"),
        ("backreferences are not supported", "不支持反向引用"),
        ("invalid named capture group", "无效的命名捕获组"), ("atomic groups are not supported", "不支持原子组"),
        ("comments are not supported", "不支持注释"), ("invalid flags ", "无效的标志 "),
        ("unsupported flag ", "不支持的标志 "), ("invalid group syntax ", "无效的分组语法 "),
        ("invalid capture group name ", "无效的捕获组名 "), ("duplicate capture group name ", "重复的捕获组名 "),
        ("unexpected )", "多余的 )"), ("trailing backslash at end of expression", "表达式末尾有多余的反斜杠"),
        ("invalid escape ", "无效的转义 "), ("unsupported unicode class ", "不支持的 Unicode 类 "),
        ("invalid character class range ", "无效的字符类范围 "), ("invalid posix class ", "无效的 POSIX 类 "),
        ("pattern too large", "模式过大"),
    ]
}

// MARK: - AST

/// Flags that can be set with `(?flags)` or `(?flags:...)`.
struct RegexFlags: Sendable, Equatable {
    /// `i`: case-insensitive matching (simple case folding).
    var caseInsensitive = false
    /// `s`: `.` also matches `\n`.
    var dotMatchesNewline = false
    /// `m`: `^` and `$` match at line boundaries.
    var multiLine = false
    /// `U`: swaps greedy and lazy quantifiers; irrelevant for a boolean match but accepted.
    var ungreedy = false
}

/// Zero-width assertions.
enum RegexAssertion: Sendable, Hashable {
    /// `^` (without `m`) and `\A`.
    case beginText
    /// `$` (without `m`) and `\z`.
    case endText
    /// `^` with `m`: at the beginning of the text or after `\n`.
    case beginLine
    /// `$` with `m`: at the end of the text or before `\n`.
    case endLine
    /// `\b`: between an ASCII word character and a non-word character (or a text edge).
    case wordBoundary
    /// `\B`: not at an ASCII word boundary.
    case notWordBoundary
}

/// A Unicode property usable in `\p{...}`.
enum RegexUnicodeProperty: Sendable, Hashable {
    /// `\p{Any}`.
    case any
    /// One or more general categories, as a bit mask indexed like `RegexUnicodeProperty.categoryNames`.
    case generalCategories(UInt32)
    /// `\p{Han}` (the Han script).
    case han

    /// General-category abbreviations, in bit order.
    static let categoryNames: [String] = [
        "Lu", "Ll", "Lt", "Lm", "Lo",
        "Mn", "Mc", "Me",
        "Nd", "Nl", "No",
        "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po",
        "Sm", "Sc", "Sk", "So",
        "Zs", "Zl", "Zp",
        "Cc", "Cf", "Cs", "Co",
    ]

    /// Resolves a property name as written after `\p` (without braces and without `^`).
    init?(name: String) {
        switch name {
        case "Any": self = .any
        case "Han": self = .han
        default:
            var mask: UInt32 = 0
            for (bit, category) in Self.categoryNames.enumerated() {
                // A one-letter name means the whole major class (`L` = Lu|Ll|Lt|Lm|Lo, `C` = Cc|Cf|Cs|Co).
                if category == name || (name.count == 1 && category.hasPrefix(name)) {
                    mask |= 1 << UInt32(bit)
                }
            }
            if mask == 0 { return nil }
            self = .generalCategories(mask)
        }
    }

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        switch self {
        case .any:
            return true
        case .generalCategories(let mask):
            return mask & Self.categoryBit(scalar.properties.generalCategory) != 0
        case .han:
            return RegexCharClass.rangesContain(Self.hanRanges, scalar.value)
        }
    }

    private static func categoryBit(_ category: Unicode.GeneralCategory) -> UInt32 {
        let index: UInt32
        switch category {
        case .uppercaseLetter: index = 0
        case .lowercaseLetter: index = 1
        case .titlecaseLetter: index = 2
        case .modifierLetter: index = 3
        case .otherLetter: index = 4
        case .nonspacingMark: index = 5
        case .spacingMark: index = 6
        case .enclosingMark: index = 7
        case .decimalNumber: index = 8
        case .letterNumber: index = 9
        case .otherNumber: index = 10
        case .connectorPunctuation: index = 11
        case .dashPunctuation: index = 12
        case .openPunctuation: index = 13
        case .closePunctuation: index = 14
        case .initialPunctuation: index = 15
        case .finalPunctuation: index = 16
        case .otherPunctuation: index = 17
        case .mathSymbol: index = 18
        case .currencySymbol: index = 19
        case .modifierSymbol: index = 20
        case .otherSymbol: index = 21
        case .spaceSeparator: index = 22
        case .lineSeparator: index = 23
        case .paragraphSeparator: index = 24
        case .control: index = 25
        case .format: index = 26
        case .surrogate: index = 27
        case .privateUse: index = 28
        case .unassigned: return 0
        @unknown default: return 0
        }
        return 1 << index
    }

    /// Code points whose Unicode Script property is Han (Unicode 15.1), sorted.
    static let hanRanges: [ClosedRange<UInt32>] = [
        0x2E80...0x2E99, 0x2E9B...0x2EF3, 0x2F00...0x2FD5, 0x3005...0x3005, 0x3007...0x3007,
        0x3021...0x3029, 0x3038...0x303B, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFA6D,
        0xFA70...0xFAD9, 0x16FE2...0x16FE3, 0x16FF0...0x16FF1, 0x20000...0x2A6DF, 0x2A700...0x2B739,
        0x2B740...0x2B81D, 0x2B820...0x2CEA1, 0x2CEB0...0x2EBE0, 0x2EBF0...0x2EE5D, 0x2F800...0x2FA1D,
        0x30000...0x3134A, 0x31350...0x323AF,
    ]
}

/// One `\p{...}` / `\P{...}` item of a character class.
struct RegexPropertyItem: Sendable, Hashable {
    var property: RegexUnicodeProperty
    var negated: Bool
}

/// A character class: a set of scalars, optionally negated and optionally case-folded.
///
/// A scalar `c` is in the class when (`c`, or with `foldCase` one of its simple case variants) is in
/// `ranges` or satisfies one of `properties`; `negated` then inverts the answer (RE2 folds first,
/// negates second).
struct RegexCharClass: Sendable, Hashable {
    /// Sorted, non-overlapping, non-adjacent ranges of scalar values.
    var ranges: [ClosedRange<UInt32>] = []
    var properties: [RegexPropertyItem] = []
    var negated = false
    var foldCase = false

    static let maxScalar: UInt32 = 0x10FFFF

    /// Membership ignoring `negated` and `foldCase`.
    func rawContains(_ scalar: Unicode.Scalar) -> Bool {
        if Self.rangesContain(ranges, scalar.value) { return true }
        for item in properties where item.property.contains(scalar) != item.negated { return true }
        return false
    }

    /// Binary search in sorted, disjoint ranges.
    static func rangesContain(_ ranges: [ClosedRange<UInt32>], _ value: UInt32) -> Bool {
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            let range = ranges[middle]
            if value < range.lowerBound {
                high = middle
            } else if value > range.upperBound {
                low = middle + 1
            } else {
                return true
            }
        }
        return false
    }

    /// Sorts and merges overlapping or adjacent ranges.
    static func normalized(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
        var result: [ClosedRange<UInt32>] = []
        result.reserveCapacity(sorted.count)
        for range in sorted {
            if let last = result.last, range.lowerBound <= last.upperBound &+ 1 {
                if range.upperBound > last.upperBound {
                    result[result.count - 1] = last.lowerBound...range.upperBound
                }
            } else {
                result.append(range)
            }
        }
        return result
    }

    /// The complement of `ranges` within 0...0x10FFFF.
    static func complemented(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in normalized(ranges) {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            if range.upperBound >= maxScalar { return result }
            next = range.upperBound + 1
        }
        result.append(next...maxScalar)
        return result
    }

    // ASCII classes, as in RE2.
    static let digitRanges: [ClosedRange<UInt32>] = [0x30...0x39]
    static let spaceRanges: [ClosedRange<UInt32>] = [0x09...0x0A, 0x0C...0x0D, 0x20...0x20]
    static let wordRanges: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]

    /// `[[:name:]]` classes.
    static func posixRanges(_ name: String) -> [ClosedRange<UInt32>]? {
        switch name {
        case "alnum": return [0x30...0x39, 0x41...0x5A, 0x61...0x7A]
        case "alpha": return [0x41...0x5A, 0x61...0x7A]
        case "ascii": return [0x00...0x7F]
        case "blank": return [0x09...0x09, 0x20...0x20]
        case "cntrl": return [0x00...0x1F, 0x7F...0x7F]
        case "digit": return digitRanges
        case "graph": return [0x21...0x7E]
        case "lower": return [0x61...0x7A]
        case "print": return [0x20...0x7E]
        case "punct": return [0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E]
        case "space": return [0x09...0x0D, 0x20...0x20]
        case "upper": return [0x41...0x5A]
        case "word": return wordRanges
        case "xdigit": return [0x30...0x39, 0x41...0x46, 0x61...0x66]
        default: return nil
        }
    }
}

/// The abstract syntax of a regular expression. Groups leave no node of their own: capturing is
/// irrelevant to a boolean match.
indirect enum RegexNode: Sendable, Hashable {
    /// Matches the empty string.
    case empty
    /// One scalar; `foldCase` compares by simple case folding.
    case literal(Unicode.Scalar, foldCase: Bool)
    case charClass(RegexCharClass)
    /// `.`
    case anyScalar(includingNewline: Bool)
    case assertion(RegexAssertion)
    case concatenation([RegexNode])
    case alternation([RegexNode])
    /// `max == nil` means unbounded.
    case repetition(RegexNode, min: Int, max: Int?)
}

// MARK: - Parser

struct RegexParser {
    /// RE2's limit on `{n,m}` counts.
    static let maxRepeatCount = 1000
    /// Maximum depth of nested groups.
    static let maxNestingDepth = 200

    /// Parses `pattern` (RE2 syntax) into an AST.
    static func parse(_ pattern: String) throws(RegexError) -> RegexNode {
        var parser = RegexParser(scalars: Array(pattern.unicodeScalars))
        return try parser.parseAll()
    }

    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var flags = RegexFlags()
    private var frames: [Frame] = []
    private var groupNames: Set<String> = []

    private init(scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    /// What the last item of the current concatenation is, for checking repetition operators.
    private enum LastItem {
        /// Nothing (start of a group or alternative, or after `(?flags)`).
        case nothing
        case atom
        /// A repetition: another operator right after it is an error (`a**`, `a*+`).
        case repetition
    }

    /// An open group (the outermost frame is the whole pattern).
    private struct Frame {
        var alternatives: [RegexNode] = []
        var items: [RegexNode] = []
        var last: LastItem = .nothing
        /// Flags to restore when the group closes.
        var savedFlags: RegexFlags
        /// Offset of the `(`.
        var openOffset: Int
    }

    /// An escape sequence's meaning.
    private enum EscapeAtom {
        case scalar(Unicode.Scalar)
        case ranges([ClosedRange<UInt32>])
        case property(RegexPropertyItem)
    }

    private var count: Int { scalars.count }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        let index = position + offset
        return index < scalars.count ? scalars[index] : nil
    }

    private func text(_ range: Range<Int>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[range.clamped(to: 0..<scalars.count)])
        return String(view)
    }

    private func error(_ message: String, at offset: Int) -> RegexError {
        RegexError(message: message, offset: offset)
    }

    // MARK: Structure

    private mutating func parseAll() throws(RegexError) -> RegexNode {
        frames = [Frame(savedFlags: flags, openOffset: 0)]
        while position < count {
            let start = position
            let scalar = scalars[position]
            switch scalar {
            case "(":
                try openGroup()
            case ")":
                try closeGroup()
            case "|":
                position += 1
                let top = frames.count - 1
                frames[top].alternatives.append(Self.concatenation(frames[top].items))
                frames[top].items = []
                frames[top].last = .nothing
            case "*":
                position += 1
                try repeatLast(min: 0, max: nil, operatorOffset: start)
            case "+":
                position += 1
                try repeatLast(min: 1, max: nil, operatorOffset: start)
            case "?":
                position += 1
                try repeatLast(min: 0, max: 1, operatorOffset: start)
            case "{":
                if let (min, max) = try parseRepeatCount() {
                    try repeatLast(min: min, max: max, operatorOffset: start)
                } else {
                    // Not a valid `{n,m}`: a literal brace, as in RE2.
                    position += 1
                    push(literal(scalar))
                }
            case "[":
                push(.charClass(try parseClass()))
            case ".":
                position += 1
                push(.anyScalar(includingNewline: flags.dotMatchesNewline))
            case "^":
                position += 1
                push(.assertion(flags.multiLine ? .beginLine : .beginText))
            case "$":
                position += 1
                push(.assertion(flags.multiLine ? .endLine : .endText))
            case "\\":
                try parseEscapeOutsideClass()
            default:
                position += 1
                push(literal(scalar))
            }
        }
        if frames.count > 1 {
            throw error("missing closing )", at: frames[frames.count - 1].openOffset)
        }
        return Self.finish(frames[0])
    }

    private func literal(_ scalar: Unicode.Scalar) -> RegexNode {
        .literal(scalar, foldCase: flags.caseInsensitive)
    }

    private mutating func push(_ node: RegexNode) {
        let top = frames.count - 1
        frames[top].items.append(node)
        frames[top].last = .atom
    }

    private static func concatenation(_ items: [RegexNode]) -> RegexNode {
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concatenation(items)
        }
    }

    private static func finish(_ frame: Frame) -> RegexNode {
        var alternatives = frame.alternatives
        alternatives.append(concatenation(frame.items))
        return alternatives.count == 1 ? alternatives[0] : .alternation(alternatives)
    }

    /// Applies a repetition operator (already consumed, starting at `operatorOffset`) to the last item.
    private mutating func repeatLast(min: Int, max: Int?, operatorOffset: Int) throws(RegexError) {
        let top = frames.count - 1
        switch frames[top].last {
        case .nothing:
            throw error("missing argument to repetition operator", at: operatorOffset)
        case .repetition:
            if scalars[operatorOffset] == "+" {
                throw error("possessive quantifiers are not supported", at: operatorOffset)
            }
            throw error("bad repetition operator \(text(operatorOffset..<position))", at: operatorOffset)
        case .atom:
            break
        }
        // Lazy form: same language, same boolean answer.
        if peek() == "?" { position += 1 }
        let operand = frames[top].items.removeLast()
        frames[top].items.append(.repetition(operand, min: min, max: max))
        frames[top].last = .repetition
    }

    /// At `{`: parses `{n}`, `{n,}` or `{n,m}` and consumes it; returns nil (consuming nothing) when the
    /// text is not of that form.
    private mutating func parseRepeatCount() throws(RegexError) -> (Int, Int?)? {
        let start = position
        var index = position + 1
        func number() -> Int? {
            var value = 0
            var digits = 0
            while index < scalars.count, let digit = Self.decimalValue(scalars[index]) {
                value = Swift.min(value * 10 + digit, 1_000_000)
                digits += 1
                index += 1
            }
            return digits > 0 ? value : nil
        }
        guard let min = number() else { return nil }
        var max: Int? = min
        if index < count, scalars[index] == "," {
            index += 1
            if index < count, scalars[index] == "}" {
                max = nil
            } else {
                guard let upper = number() else { return nil }
                max = upper
            }
        }
        guard index < count, scalars[index] == "}" else { return nil }
        position = index + 1
        if min > Self.maxRepeatCount {
            throw error("invalid repeat count", at: start)
        }
        if let max, max > Self.maxRepeatCount || max < min {
            throw error("invalid repeat count", at: start)
        }
        return (min, max)
    }

    private static func decimalValue(_ scalar: Unicode.Scalar) -> Int? {
        scalar.value >= 0x30 && scalar.value <= 0x39 ? Int(scalar.value - 0x30) : nil
    }

    private static func hexValue(_ scalar: Unicode.Scalar) -> Int? {
        switch scalar.value {
        case 0x30...0x39: return Int(scalar.value - 0x30)
        case 0x41...0x46: return Int(scalar.value - 0x41 + 10)
        case 0x61...0x66: return Int(scalar.value - 0x61 + 10)
        default: return nil
        }
    }

    private static func isASCIIWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        RegexCharClass.rangesContain(RegexCharClass.wordRanges, scalar.value)
    }

    // MARK: Groups

    private mutating func pushFrame(openOffset: Int) throws(RegexError) {
        if frames.count > Self.maxNestingDepth {
            throw error("expression nests too deeply", at: openOffset)
        }
        frames.append(Frame(savedFlags: flags, openOffset: openOffset))
    }

    private mutating func openGroup() throws(RegexError) {
        let open = position
        position += 1
        guard peek() == "?" else {
            try pushFrame(openOffset: open)
            return
        }
        position += 1
        guard let kind = peek() else {
            throw error("missing closing )", at: open)
        }
        switch kind {
        case "=", "!":
            throw error("lookahead assertions are not supported", at: open)
        case "<":
            if peek(1) == "=" || peek(1) == "!" {
                throw error("lookbehind assertions are not supported", at: open)
            }
            position += 1
            try parseGroupName(open: open)
            return
        case "P":
            position += 1
            switch peek() {
            case "<":
                position += 1
                try parseGroupName(open: open)
                return
            case "=":
                throw error("backreferences are not supported", at: open)
            default:
                throw error("invalid named capture group", at: open)
            }
        case ">":
            throw error("atomic groups are not supported", at: open)
        case "#":
            throw error("comments are not supported", at: open)
        default:
            break
        }

        // Flags: `(?flags)` or `(?flags:re)` with flags = [imsU]* ( - [imsU]+ )?
        var newFlags = flags
        var negate = false
        var sawMinus = false
        var flagsAfterMinus = 0
        var flagCount = 0
        while true {
            guard let scalar = peek() else {
                throw error("missing closing )", at: open)
            }
            position += 1
            switch scalar {
            case "i", "m", "s", "U":
                let value = !negate
                switch scalar {
                case "i": newFlags.caseInsensitive = value
                case "m": newFlags.multiLine = value
                case "s": newFlags.dotMatchesNewline = value
                default: newFlags.ungreedy = value
                }
                flagCount += 1
                if negate { flagsAfterMinus += 1 }
            case "-":
                if sawMinus {
                    throw error("invalid flags \(text(open..<position))", at: open)
                }
                sawMinus = true
                negate = true
            case ":":
                if sawMinus && flagsAfterMinus == 0 {
                    throw error("invalid flags \(text(open..<position))", at: open)
                }
                try pushFrame(openOffset: open)
                flags = newFlags
                return
            case ")":
                if flagCount == 0 || (sawMinus && flagsAfterMinus == 0) {
                    throw error("invalid flags \(text(open..<position))", at: open)
                }
                // `(?i)`: applies until the end of the enclosing group; nothing to repeat after it.
                flags = newFlags
                frames[frames.count - 1].last = .nothing
                return
            default:
                if scalar.properties.isAlphabetic {
                    throw error("unsupported flag \(text((position - 1)..<position))", at: position - 1)
                }
                throw error("invalid group syntax \(text(open..<position))", at: open)
            }
        }
    }

    /// After `(?P<` or `(?<`: reads `name>` and opens the group.
    private mutating func parseGroupName(open: Int) throws(RegexError) {
        let nameStart = position
        while let scalar = peek(), scalar != ">" { position += 1 }
        guard position < count else {
            throw error("invalid named capture group", at: open)
        }
        let name = text(nameStart..<position)
        position += 1
        let valid = nameStart < position - 1
            && scalars[nameStart..<(position - 1)].allSatisfy(Self.isASCIIWordCharacter)
        guard valid else {
            throw error("invalid capture group name \(name)", at: open)
        }
        guard groupNames.insert(name).inserted else {
            throw error("duplicate capture group name \(name)", at: open)
        }
        try pushFrame(openOffset: open)
    }

    private mutating func closeGroup() throws(RegexError) {
        guard frames.count > 1 else {
            throw error("unexpected )", at: position)
        }
        position += 1
        let frame = frames.removeLast()
        flags = frame.savedFlags
        push(Self.finish(frame))
    }

    // MARK: Escapes

    private mutating func parseEscapeOutsideClass() throws(RegexError) {
        switch peek(1) {
        case "A":
            position += 2
            push(.assertion(.beginText))
        case "z":
            position += 2
            push(.assertion(.endText))
        case "b":
            position += 2
            push(.assertion(.wordBoundary))
        case "B":
            position += 2
            push(.assertion(.notWordBoundary))
        case "Q":
            // \Q...\E: literal text up to \E or the end of the pattern.
            position += 2
            while position < count {
                if scalars[position] == "\\", peek(1) == "E" {
                    position += 2
                    break
                }
                push(literal(scalars[position]))
                position += 1
            }
        default:
            switch try parseEscapeAtom(inClass: false) {
            case .scalar(let scalar):
                push(literal(scalar))
            case .ranges(let ranges):
                push(.charClass(RegexCharClass(ranges: ranges)))
            case .property(let item):
                push(.charClass(RegexCharClass(properties: [item], foldCase: flags.caseInsensitive)))
            }
        }
    }

    /// At `\`: parses an escape that denotes a scalar or a class.
    private mutating func parseEscapeAtom(inClass: Bool) throws(RegexError) -> EscapeAtom {
        let start = position
        guard let kind = peek(1) else {
            throw error("trailing backslash at end of expression", at: start)
        }
        position += 2
        switch kind {
        case "a": return .scalar("\u{07}")
        case "f": return .scalar("\u{0C}")
        case "t": return .scalar("\t")
        case "n": return .scalar("\n")
        case "r": return .scalar("\r")
        case "v": return .scalar("\u{0B}")
        case "0":
            // Octal: \0 followed by up to two more octal digits.
            var value: UInt32 = 0
            var digits = 0
            while digits < 2, let scalar = peek(), scalar.value >= 0x30, scalar.value <= 0x37 {
                value = value * 8 + (scalar.value - 0x30)
                digits += 1
                position += 1
            }
            return .scalar(Unicode.Scalar(UInt8(value)))
        case "1"..."9":
            throw error("backreferences are not supported", at: start)
        case "x":
            return .scalar(try parseHexEscape(start: start))
        case "d": return .ranges(RegexCharClass.digitRanges)
        case "D": return .ranges(RegexCharClass.complemented(RegexCharClass.digitRanges))
        case "s": return .ranges(RegexCharClass.spaceRanges)
        case "S": return .ranges(RegexCharClass.complemented(RegexCharClass.spaceRanges))
        case "w": return .ranges(RegexCharClass.wordRanges)
        case "W": return .ranges(RegexCharClass.complemented(RegexCharClass.wordRanges))
        case "p", "P":
            return .property(try parsePropertyEscape(start: start, negated: kind == "P"))
        default:
            // Any ASCII punctuation (or other non-alphanumeric ASCII) may be escaped.
            if kind.isASCII && !Self.isASCIIWordCharacter(kind) || kind == "_" {
                return .scalar(kind)
            }
            if inClass, kind == "b" || kind == "B" || kind == "A" || kind == "z" {
                throw error("invalid escape \\\(kind) in character class", at: start)
            }
            throw error("invalid escape \(text(start..<position))", at: start)
        }
    }

    /// After `\x`: `\xHH` or `\x{H...}`.
    private mutating func parseHexEscape(start: Int) throws(RegexError) -> Unicode.Scalar {
        var value = 0
        if peek() == "{" {
            position += 1
            var digits = 0
            while let scalar = peek(), let digit = Self.hexValue(scalar) {
                value = Swift.min(value * 16 + digit, 0x110000)
                digits += 1
                position += 1
            }
            guard digits > 0, peek() == "}" else {
                throw error("invalid escape \(text(start..<(position + 1)))", at: start)
            }
            position += 1
        } else {
            for _ in 0..<2 {
                guard let scalar = peek(), let digit = Self.hexValue(scalar) else {
                    throw error("invalid escape \(text(start..<(position + 1)))", at: start)
                }
                value = value * 16 + digit
                position += 1
            }
        }
        guard let scalar = Unicode.Scalar(UInt32(value)) else {
            throw error("invalid escape \(text(start..<position))", at: start)
        }
        return scalar
    }

    /// After `\p` or `\P`: `\pL` or `\p{Name}` / `\p{^Name}`.
    private mutating func parsePropertyEscape(start: Int, negated: Bool) throws(RegexError) -> RegexPropertyItem {
        var name: String
        if peek() == "{" {
            let nameStart = position + 1
            while let scalar = peek(), scalar != "}" { position += 1 }
            guard position < count else {
                throw error("missing closing } in \(text(start..<position))", at: start)
            }
            name = text(nameStart..<position)
            position += 1
        } else if peek() != nil {
            name = text(position..<(position + 1))
            position += 1
        } else {
            throw error("invalid escape \(text(start..<position))", at: start)
        }
        var isNegated = negated
        if name.hasPrefix("^") {
            isNegated.toggle()
            name.removeFirst()
        }
        guard let property = RegexUnicodeProperty(name: name) else {
            throw error("unsupported unicode class \(text(start..<position))", at: start)
        }
        return RegexPropertyItem(property: property, negated: isNegated)
    }

    // MARK: Character classes

    /// At `[`: parses a bracketed class.
    private mutating func parseClass() throws(RegexError) -> RegexCharClass {
        let open = position
        position += 1
        var result = RegexCharClass(foldCase: flags.caseInsensitive)
        var ranges: [ClosedRange<UInt32>] = []
        if peek() == "^" {
            result.negated = true
            position += 1
        }
        var first = true
        while true {
            guard let scalar = peek() else {
                throw error("missing closing ]", at: open)
            }
            // `]` right after `[` or `[^` is a literal.
            if scalar == "]" && !first {
                position += 1
                break
            }
            first = false
            if scalar == "[", peek(1) == ":", let posix = try parsePosixClass() {
                ranges += posix
                continue
            }
            let itemStart = position
            let low = try parseClassAtom()
            if case .scalar(let lowScalar) = low, peek() == "-", let after = peek(1), after != "]" {
                position += 1
                let high = try parseClassAtom()
                guard case .scalar(let highScalar) = high, highScalar.value >= lowScalar.value else {
                    throw error("invalid character class range \(text(itemStart..<position))", at: itemStart)
                }
                ranges.append(lowScalar.value...highScalar.value)
                continue
            }
            switch low {
            case .scalar(let single): ranges.append(single.value...single.value)
            case .ranges(let more): ranges += more
            case .property(let item): result.properties.append(item)
            }
        }
        result.ranges = RegexCharClass.normalized(ranges)
        return result
    }

    private mutating func parseClassAtom() throws(RegexError) -> EscapeAtom {
        let scalar = scalars[position]
        if scalar == "\\" {
            return try parseEscapeAtom(inClass: true)
        }
        position += 1
        return .scalar(scalar)
    }

    /// At `[:` inside a class: `[:name:]` or `[:^name:]`. Returns nil (consuming nothing) if there is
    /// no closing `:]`, in which case `[` is an ordinary member.
    private mutating func parsePosixClass() throws(RegexError) -> [ClosedRange<UInt32>]? {
        let start = position
        var index = position + 2
        while index + 1 < count, !(scalars[index] == ":" && scalars[index + 1] == "]") {
            index += 1
        }
        guard index + 1 < count else { return nil }
        var name = text((start + 2)..<index)
        position = index + 2
        var negated = false
        if name.hasPrefix("^") {
            negated = true
            name.removeFirst()
        }
        guard let ranges = RegexCharClass.posixRanges(name) else {
            throw error("invalid posix class \(text(start..<position))", at: start)
        }
        return negated ? RegexCharClass.complemented(ranges) : ranges
    }
}
