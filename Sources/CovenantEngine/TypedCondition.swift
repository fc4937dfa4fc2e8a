import CovenantCEL
import CovenantModel

/// One fact of a record as typed conditions read it: decoded in place from the record's JSON
/// bytes, with no `Value` or map made of it.
enum FactSlot {
    /// Not given (or `null`).
    case absent
    /// Given, and valid, but read by no typed condition (so not kept).
    case unread
    case bool(Bool)
    case int(Int64)
    case double(Double)
    /// A string (or zone): its UTF-8 bytes, as a range of the record's bytes (a string with an
    /// escape never gets here: the fast path leaves such a record to the general reader).
    case text(Int32, Int32)
}

/// What typed conditions read of one record: its facts' slots (in declaration order), the bytes
/// the text slots point into, and its local time.
struct TypedInput {
    let slots: UnsafeBufferPointer<FactSlot>
    let bytes: UnsafeBufferPointer<UInt8>
    let local: LocalDateTime

    /// The bytes of a text slot.
    @inline(__always)
    func text(_ start: Int32, _ end: Int32) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[Int(start)..<Int(end)])
    }
}

/// A condition compiled against a category's fact slots: no names looked up, no values built, no
/// map read per record. It answers only when the answer is a plain `true` or `false`; anything
/// else — an absent fact read, an overflow, a division by zero: whatever the expression language
/// would report as an error, or might absorb in `&&`/`||` — is nil, and the record is then judged
/// by the general evaluator, which decides it (and words any problem) exactly as before. So typed
/// and general evaluation never disagree on an answer (the tests hold them to it).
///
/// Only a subset compiles (see ``TypedCompiler``); a category any of whose conditions falls
/// outside it is judged by the general evaluator throughout.
typealias TypedBool = @Sendable (TypedInput) -> Bool?
typealias TypedInt = @Sendable (TypedInput) -> Int64?
typealias TypedDouble = @Sendable (TypedInput) -> Double?

/// A string operand of a typed condition.
enum TypedText: Sendable {
    /// A fact of type string or zone, by slot.
    case fact(Int)
    case literal([UInt8])
    /// `local.date` (`YYYY-MM-DD`) and `local.time` (`HH:MM`).
    case localDate, localTime

    /// Calls `body` with the operand's UTF-8 bytes; nil when the fact is absent.
    @inline(__always)
    func with<R>(_ input: TypedInput, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        switch self {
        case .fact(let slot):
            guard case .text(let start, let end) = input.slots[slot] else { return nil }
            return body(input.text(start, end))
        case .literal(let bytes):
            return bytes.withUnsafeBufferPointer(body)
        case .localDate:
            let l = input.local
            guard (0...9999).contains(l.year) else { return nil }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 10) { b in
                ZeroPadded.write(l.year, width: 4, into: b, at: 0); b[4] = 0x2D
                ZeroPadded.write(l.month, width: 2, into: b, at: 5); b[7] = 0x2D
                ZeroPadded.write(l.day, width: 2, into: b, at: 8)
                return body(UnsafeBufferPointer(b))
            }
        case .localTime:
            let l = input.local
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 5) { b in
                ZeroPadded.write(l.hour, width: 2, into: b, at: 0); b[2] = 0x3A
                ZeroPadded.write(l.minute, width: 2, into: b, at: 3)
                return body(UnsafeBufferPointer(b))
            }
        }
    }

    /// The literal's bytes, when it is one.
    var literal: [UInt8]? {
        if case .literal(let b) = self { return b }
        return nil
    }
}

/// Compiles checked conditions of one category into typed code, or says they do not compile.
///
/// The subset: `true`/`false`, int, double and string literals; `facts.f` of a bool, int, double,
/// string or zone fact and `has(facts.f)`; `local.year` … `local.weekday`, `local.date`,
/// `local.time`; `!`, `&&`, `||`, `?:`; `==`, `!=`, `<`, `<=`, `>`, `>=` between two ints, two
/// doubles, a double and an int literal (exactly representable), two strings or two bools; int
/// `+ - * / %` and unary `-` (overflow and division by zero: nil), double `+ - * /` and unary `-`;
/// `x in [literals]` for a string or int `x`; `size` of a string; `startsWith`, `endsWith`,
/// `contains` of strings; `int()` of an int or double, `double()` of an int or double. Everything
/// else — other variables, lists and maps read as values, macros, other conversions, timestamps —
/// does not compile.
struct TypedCompiler {
    let checked: CheckedExpr
    /// Declared facts: name → (slot, type).
    let facts: [String: (slot: Int, type: FactType)]
    /// Slots the compiled code reads (filled as it compiles).
    private(set) var slotsRead: Set<Int> = []

    init(checked: CheckedExpr, facts: [String: (slot: Int, type: FactType)]) {
        self.checked = checked
        self.facts = facts
    }

    private func type(_ e: Expr) -> CELType? { checked.types[e.id] }

    /// `facts.f`: its slot and declared type.
    private func fact(_ e: Expr) -> (slot: Int, type: FactType)? {
        guard case .select(let operand, let field, false) = e.kind,
              checked.variableSlot(of: operand) == Scopes.Slot.facts.rawValue else { return nil }
        return facts[field]
    }

    /// `local.f`: the field's name.
    private func localField(_ e: Expr) -> String? {
        guard case .select(let operand, let field, false) = e.kind,
              checked.variableSlot(of: operand) == Scopes.Slot.local.rawValue else { return nil }
        return field
    }

    mutating func bool(_ e: Expr) -> TypedBool? {
        switch e.kind {
        case .literal(.bool(let b)):
            return { _ in b }
        case .select(let operand, let field, true):
            guard checked.variableSlot(of: operand) == Scopes.Slot.facts.rawValue, let f = facts[field] else { return nil }
            let slot = f.slot
            slotsRead.insert(slot)
            return { input in
                if case .absent = input.slots[slot] { return false }
                return true
            }
        case .select:
            guard let f = fact(e), f.type == .bool else { return nil }
            let slot = f.slot
            slotsRead.insert(slot)
            return { input in
                if case .bool(let b) = input.slots[slot] { return b }
                return nil
            }
        case .call(let function, nil, let args):
            return call(function, args)
        case .call(let function, let target?, let args):
            return method(function, target, args)
        default:
            return nil
        }
    }

    private mutating func call(_ function: String, _ args: [Expr]) -> TypedBool? {
        switch (function, args.count) {
        case ("!_", 1):
            guard let a = bool(args[0]) else { return nil }
            return { input in a(input).map { !$0 } }
        case ("_&&_", 2):
            guard let a = bool(args[0]), let b = bool(args[1]) else { return nil }
            // Left false decides; a left that is not a plain bool (nil) leaves the record to the
            // general evaluator, which knows when the right side absorbs an error.
            return { input in
                guard let x = a(input) else { return nil }
                return x ? b(input) : false
            }
        case ("_||_", 2):
            guard let a = bool(args[0]), let b = bool(args[1]) else { return nil }
            return { input in
                guard let x = a(input) else { return nil }
                return x ? true : b(input)
            }
        case ("_?_:_", 3):
            guard let c = bool(args[0]), let a = bool(args[1]), let b = bool(args[2]) else { return nil }
            return { input in
                guard let x = c(input) else { return nil }
                return x ? a(input) : b(input)
            }
        case ("_==_", 2), ("_!=_", 2), ("_<_", 2), ("_<=_", 2), ("_>_", 2), ("_>=_", 2):
            return compare(function, args[0], args[1])
        case ("@in", 2):
            return membership(args[0], args[1])
        default:
            return nil
        }
    }

    private mutating func method(_ function: String, _ target: Expr, _ args: [Expr]) -> TypedBool? {
        guard args.count == 1, type(target) == .string, type(args[0]) == .string,
              let s = text(target), let t = text(args[0]) else { return nil }
        let test: @Sendable (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Bool
        switch function {
        case "startsWith": test = { s, t in s.count >= t.count && s.prefix(t.count).elementsEqual(t) }
        case "endsWith": test = { s, t in s.count >= t.count && s.suffix(t.count).elementsEqual(t) }
        case "contains": test = { StandardLibrary.contains($0, $1) }
        default: return nil
        }
        return { input in
            s.with(input) { sb in t.with(input) { tb in test(sb, tb) } } ?? nil
        }
    }

    /// Three-way comparison to a test of the function's outcome.
    private static func outcome(_ function: String) -> @Sendable (Int) -> Bool {
        switch function {
        case "_==_": return { $0 == 0 }
        case "_!=_": return { $0 != 0 }
        case "_<_": return { $0 < 0 }
        case "_<=_": return { $0 <= 0 }
        case "_>_": return { $0 > 0 }
        default: return { $0 >= 0 }
        }
    }

    private mutating func compare(_ function: String, _ l: Expr, _ r: Expr) -> TypedBool? {
        let test = Self.outcome(function)
        switch (type(l), type(r)) {
        case (.int?, .int?):
            guard let a = int(l), let b = int(r) else { return nil }
            return { input in
                guard let x = a(input), let y = b(input) else { return nil }
                return test(x < y ? -1 : (x == y ? 0 : 1))
            }
        case (.double?, .double?), (.double?, .int?), (.int?, .double?):
            guard let a = double(l, promotingLiterals: true), let b = double(r, promotingLiterals: true) else { return nil }
            return { input in
                guard let x = a(input), let y = b(input) else { return nil }
                // Every comparison with NaN is false, `!=` included (as the general evaluator has it).
                if x.isNaN || y.isNaN { return function == "_!=_" }
                return test(x < y ? -1 : (x == y ? 0 : 1))
            }
        case (.string?, .string?):
            guard let a = text(l), let b = text(r) else { return nil }
            return { input in
                a.with(input) { x in b.with(input) { y in test(Self.order(x, y)) } } ?? nil
            }
        case (.bool?, .bool?):
            guard function == "_==_" || function == "_!=_", let a = bool(l), let b = bool(r) else { return nil }
            return { input in
                guard let x = a(input), let y = b(input) else { return nil }
                return test(x == y ? 0 : 1)
            }
        default:
            return nil
        }
    }

    /// Byte order of UTF-8: code point order.
    static func order(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Int {
        let n = min(x.count, y.count)
        for i in 0..<n where x[i] != y[i] { return x[i] < y[i] ? -1 : 1 }
        return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
    }

    private mutating func membership(_ element: Expr, _ list: Expr) -> TypedBool? {
        guard case .list(let items) = list.kind else { return nil }
        switch type(element) {
        case .string?:
            var literals: [[UInt8]] = []
            for item in items {
                guard case .literal(.string(let s)) = item.kind else { return nil }
                literals.append(Array(s.utf8))
            }
            guard let e = text(element) else { return nil }
            let choices = literals
            return { input in
                e.with(input) { x in choices.contains { $0.withUnsafeBufferPointer { Self.order(x, $0) == 0 } } }
            }
        case .int?:
            var literals: [Int64] = []
            for item in items {
                guard case .literal(.int(let i)) = item.kind else { return nil }
                literals.append(i)
            }
            guard let e = int(element) else { return nil }
            let choices = literals
            return { input in e(input).map { choices.contains($0) } }
        default:
            return nil
        }
    }

    mutating func int(_ e: Expr) -> TypedInt? {
        guard type(e) == .int else { return nil }
        switch e.kind {
        case .literal(.int(let i)):
            return { _ in i }
        case .select(_, _, false):
            if let f = fact(e) {
                guard f.type == .int else { return nil }
                let slot = f.slot
                slotsRead.insert(slot)
                return { input in
                    if case .int(let i) = input.slots[slot] { return i }
                    return nil
                }
            }
            let read: @Sendable (LocalDateTime) -> Int
            switch localField(e) {
            case "year": read = { $0.year }
            case "month": read = { $0.month }
            case "day": read = { $0.day }
            case "hour": read = { $0.hour }
            case "minute": read = { $0.minute }
            case "second": read = { $0.second }
            case "weekday": read = { $0.isoWeekday }
            default: return nil
            }
            return { input in Int64(read(input.local)) }
        case .call("-_", nil, let args) where args.count == 1:
            guard let a = int(args[0]) else { return nil }
            return { input in
                guard let x = a(input) else { return nil }
                let (r, overflow) = Int64(0).subtractingReportingOverflow(x)
                return overflow ? nil : r
            }
        case .call(let function, nil, let args) where args.count == 2:
            guard let a = int(args[0]), let b = int(args[1]) else { return nil }
            let op: @Sendable (Int64, Int64) -> (partialValue: Int64, overflow: Bool)
            switch function {
            case "_+_": op = { $0.addingReportingOverflow($1) }
            case "_-_": op = { $0.subtractingReportingOverflow($1) }
            case "_*_": op = { $0.multipliedReportingOverflow(by: $1) }
            // Division and remainder by zero, and of the least int by -1, report overflow.
            case "_/_": op = { $0.dividedReportingOverflow(by: $1) }
            case "_%_": op = { $0.remainderReportingOverflow(dividingBy: $1) }
            default: return nil
            }
            return { input in
                guard let x = a(input), let y = b(input) else { return nil }
                let (r, overflow) = op(x, y)
                return overflow ? nil : r
            }
        case .call("int", nil, let args) where args.count == 1 && type(args[0]) == .int:
            return int(args[0])
        case .call("int", nil, let args) where args.count == 1:
            // As the general conversion: toward zero; out of range (or not finite) is an error.
            guard let a = double(args[0]) else { return nil }
            return { input in
                guard let d = a(input), d.isFinite, d > -9223372036854775809.0, d < 9223372036854775808.0 else { return nil }
                return Int64(d.rounded(.towardZero))
            }
        case .call("size", nil, let args) where args.count == 1:
            return size(args[0])
        case .call("size", let target?, let args) where args.isEmpty:
            return size(target)
        default:
            return nil
        }
    }

    /// `size` of a string: its code points (UTF-8 bytes that do not continue one).
    private mutating func size(_ e: Expr) -> TypedInt? {
        guard type(e) == .string, let t = text(e) else { return nil }
        return { input in
            t.with(input) { b in Int64(b.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }) }
        }
    }

    /// A double operand; with `promotingLiterals`, an int literal that a double holds exactly too.
    mutating func double(_ e: Expr, promotingLiterals: Bool = false) -> TypedDouble? {
        if promotingLiterals, case .literal(.int(let i)) = e.kind {
            guard let d = Double(exactly: i) else { return nil }
            return { _ in d }
        }
        guard type(e) == .double else { return nil }
        switch e.kind {
        case .literal(.double(let d)):
            return { _ in d }
        case .select(_, _, false):
            guard let f = fact(e), f.type == .double else { return nil }
            let slot = f.slot
            slotsRead.insert(slot)
            return { input in
                if case .double(let d) = input.slots[slot] { return d }
                return nil
            }
        case .call("-_", nil, let args) where args.count == 1:
            guard let a = double(args[0]) else { return nil }
            return { input in a(input).map { -$0 } }
        case .call("double", nil, let args) where args.count == 1:
            if type(args[0]) == .double { return double(args[0]) }
            guard type(args[0]) == .int, let a = int(args[0]) else { return nil }
            return { input in a(input).map { Double($0) } }
        case .call(let function, nil, let args) where args.count == 2:
            guard let a = double(args[0]), let b = double(args[1]) else { return nil }
            let op: @Sendable (Double, Double) -> Double
            switch function {
            case "_+_": op = { $0 + $1 }
            case "_-_": op = { $0 - $1 }
            case "_*_": op = { $0 * $1 }
            case "_/_": op = { $0 / $1 }
            default: return nil
            }
            return { input in
                guard let x = a(input), let y = b(input) else { return nil }
                return op(x, y)
            }
        default:
            return nil
        }
    }

    mutating func text(_ e: Expr) -> TypedText? {
        guard type(e) == .string else { return nil }
        switch e.kind {
        case .literal(.string(let s)):
            return .literal(Array(s.utf8))
        case .select(_, _, false):
            if let f = fact(e) {
                guard f.type == .string || f.type == .zone else { return nil }
                slotsRead.insert(f.slot)
                return .fact(f.slot)
            }
            switch localField(e) {
            case "date": return .localDate
            case "time": return .localTime
            default: return nil
            }
        default:
            return nil
        }
    }
}
