/// Per-evaluation state: the activation's values, comprehension variables and the cost spent.
struct EvalState {
    let globals: ContiguousArray<Value?>
    var locals: [Value]
    var cost: Int
    let maxCost: Int

    @inline(__always)
    mutating func charge(_ units: Int) throws(EvalError) {
        cost &+= units
        if cost > maxCost {
            throw EvalError(.costLimit, "evaluation exceeded the cost limit of \(maxCost)",
                            "求值超过了成本上限 \(maxCost)")
        }
    }
}

typealias Eval = @Sendable (inout EvalState) throws(EvalError) -> Value

/// A compiled node: a constant folded at compile time, or code to run.
enum Compiled: Sendable {
    case constant(Value)
    case code(Eval)

    var eval: Eval {
        switch self {
        case .constant(let v): return { _ in v }
        case .code(let f): return f
        }
    }
}

/// Turns a checked expression into a tree of closures: names resolved to slots, constants folded,
/// operators bound to their implementations. Nothing is looked up by name at run time.
struct Interpreter {
    let checked: CheckedExpr
    /// The cost budget of the environment; constant folding never spends more than it.
    var maxCost: Int = CELLimits.default.maxCost

    func compile() -> Eval {
        compile(checked.root).eval
    }

    /// Charges evaluation cost; running out of budget is an error positioned at `node`.
    @inline(__always)
    private func charge(_ state: inout EvalState, _ units: Int, _ node: Expr) throws(EvalError) {
        do throws(EvalError) {
            try state.charge(units)
        } catch {
            throw locate(error, node)
        }
    }

    private func locate(_ error: EvalError, _ node: Expr) -> EvalError {
        if error.node != nil { return error }
        var e = error
        e.node = node.id
        e.start = node.start
        e.end = node.end
        return e
    }

    /// Evaluates a node at compile time when all its operands are constants (and keeps the code
    /// when that raises an error — including running out of the environment's cost budget — so
    /// the error is reported at run time with its position).
    private func fold(_ operands: [Compiled], _ f: @escaping Eval) -> Compiled {
        guard operands.allSatisfy({ if case .constant = $0 { true } else { false } }) else { return .code(f) }
        var state = EvalState(globals: [], locals: [], cost: 0, maxCost: maxCost)
        if let value = try? f(&state) { return .constant(value) }
        return .code(f)
    }

    func compile(_ node: Expr) -> Compiled {
        switch node.kind {
        case .literal(let literal):
            switch literal {
            case .null: return .constant(.null)
            case .bool(let b): return .constant(.bool(b))
            case .int(let i): return .constant(.int(i))
            case .uint(let u): return .constant(.uint(u))
            case .double(let d): return .constant(.double(d))
            case .string(let s): return .constant(.string(s))
            case .bytes(let b): return .constant(.bytes(b))
            }
        case .ident(let name):
            switch checked.references[node.id] {
            case .global(let slot)?:
                let n = node
                return .code { state throws(EvalError) in try global(&state, slot, name: name, node: n) }
            case .local(let slot)?:
                return .code { state in state.locals[slot] }
            case .typeValue(let t)?:
                return .constant(.type(t))
            case nil:
                let n = node
                return .code { _ throws(EvalError) in
                    throw locate(EvalError(.unboundVariable, "undeclared reference to `\(name)`", "未声明的名称 `\(name)`"), n)
                }
            }
        case .select(let operand, let field, let testOnly):
            if case .typeValue(let t)? = checked.references[node.id] { return .constant(.type(t)) }
            if case .ident(let name) = operand.kind, case .global(let slot)? = checked.references[operand.id] {
                return compileGlobalSelect(node, variable: operand, name: name, slot: slot, field: field, testOnly: testOnly)
            }
            return compileSelect(node, operand: compile(operand), field: field, testOnly: testOnly)
        case .list(let items):
            let parts = items.map { compile($0) }
            if parts.allSatisfy({ if case .constant = $0 { true } else { false } }) {
                return .constant(.list(parts.map { if case .constant(let v) = $0 { v } else { .null } }))
            }
            let evals = parts.map(\.eval)
            let n = node
            return .code { state throws(EvalError) in
                try charge(&state, evals.count, n)
                var out: [Value] = []
                out.reserveCapacity(evals.count)
                for e in evals { out.append(try e(&state)) }
                return .list(out)
            }
        case .map(let entries):
            let keyParts = entries.map { compile($0.key) }
            let valueParts = entries.map { compile($0.value) }
            let keys = keyParts.map(\.eval)
            let values = valueParts.map(\.eval)
            let keyNodes = entries.map(\.key)
            let n = node
            let f: Eval = { state throws(EvalError) in
                try charge(&state, keys.count, n)
                var map = MapValue()
                for i in keys.indices {
                    let k = try keys[i](&state)
                    let v = try values[i](&state)
                    guard MapKey(k) != nil else {
                        throw locate(EvalError(.invalidArgument, "unsupported map key type `\(k.typeName)`",
                                               "不支持的映射键类型 `\(k.typeName)`"), keyNodes[i])
                    }
                    if !map.insert(k, v) {
                        throw locate(EvalError(.duplicateKey, "duplicate map key `\(StandardLibrary.describeKey(k))`",
                                               "映射键重复：`\(StandardLibrary.describeKey(k))`"), keyNodes[i])
                    }
                }
                return .map(map)
            }
            return fold(keyParts + valueParts, f)
        case .call(let function, let target, let args):
            return compileCall(node, function: function, target: target, args: args)
        case .comprehension(let macro, let range, _, let predicate, let transform):
            return compileComprehension(node, macro: macro, range: compile(range).eval,
                                        predicate: predicate.map { compile($0).eval },
                                        transform: transform.map { compile($0).eval })
        }
    }

    private func compileSelect(_ node: Expr, operand: Compiled, field: String, testOnly: Bool) -> Compiled {
        let o = operand.eval
        let key = MapKey.string(ScalarString(field))
        let n = node
        return .code { state throws(EvalError) in
            try select(try o(&state), key, field: field, testOnly: testOnly, node: n)
        }
    }

    /// `variable.field` — the commonest node of a rule condition (`facts.charging`) — in one step:
    /// the variable's slot read in place, the key made once. The same results and errors as an
    /// identifier node under a select node.
    private func compileGlobalSelect(_ node: Expr, variable: Expr, name: String, slot: Int, field: String, testOnly: Bool) -> Compiled {
        let key = MapKey.string(ScalarString(field))
        let n = node
        return .code { state throws(EvalError) in
            try select(try global(&state, slot, name: name, node: variable), key, field: field, testOnly: testOnly, node: n)
        }
    }

    /// The value of the variable in `slot`; unbound, an error located at `node`.
    @inline(__always)
    private func global(_ state: inout EvalState, _ slot: Int, name: String, node: Expr) throws(EvalError) -> Value {
        // An activation from another environment may hold fewer slots: unbound, not a trap.
        guard slot < state.globals.count, let v = state.globals[slot] else {
            throw locate(EvalError(.unboundVariable, "no value for `\(name)`", "变量 `\(name)` 没有值"), node)
        }
        return v
    }

    /// `base.field`, or with `testOnly` whether `base` has it (`has()`); errors located at `node`.
    @inline(__always)
    private func select(_ base: Value, _ key: MapKey, field: String, testOnly: Bool, node: Expr) throws(EvalError) -> Value {
        guard case .map(let map) = base else {
            throw locate(EvalError(.noSuchField, "cannot select `\(field)` from a value of type \(base.typeName)",
                                   "不能从 \(base.typeName) 类型的值中选择 `\(field)`"), node)
        }
        let value = map.value(forKey: key)
        if testOnly { return .bool(value != nil) }
        guard let value else { throw locate(.noSuchKey(field), node) }
        return value
    }

    private func compileCall(_ node: Expr, function: String, target: Expr?, args: [Expr]) -> Compiled {
        let n = node
        switch function {
        case "_&&_", "_||_":
            let isAnd = function == "_&&_"
            let lc = compile(args[0])
            let rc = compile(args[1])
            let l = lc.eval
            let r = rc.eval
            let f: Eval = { state throws(EvalError) in
                // An error on one side is absorbed when the other side decides the result — except
                // running out of the cost budget, which ends the whole evaluation.
                var leftError: EvalError?
                do throws(EvalError) {
                    let lv = try l(&state)
                    guard case .bool(let b) = lv else { throw locate(.noOverload(function, [lv]), n) }
                    if b != isAnd { return .bool(b) }
                } catch {
                    if error.kind == .costLimit { throw error }
                    leftError = error
                }
                let rv: Value
                do throws(EvalError) {
                    rv = try r(&state)
                } catch {
                    if error.kind == .costLimit { throw error }
                    throw leftError ?? error
                }
                guard case .bool(let b) = rv else { throw leftError ?? locate(.noOverload(function, [rv]), n) }
                if b != isAnd { return .bool(b) }
                if let leftError { throw leftError }
                return .bool(b)
            }
            return fold([lc, rc], f)
        case "_?_:_":
            let parts = args.map { compile($0) }
            let c = parts[0].eval
            let a = parts[1].eval
            let b = parts[2].eval
            return fold(parts) { state throws(EvalError) in
                let cv = try c(&state)
                guard case .bool(let cond) = cv else { throw locate(.noOverload("_?_:_", [cv]), n) }
                return cond ? try a(&state) : try b(&state)
            }
        default:
            break
        }
        guard let def = checked.functions[node.id] ?? StandardLibrary.functions[function] else {
            return .code { _ throws(EvalError) in
                throw locate(EvalError(.noMatchingOverload, "undeclared function `\(function)`", "未声明的函数 `\(function)`"), n)
            }
        }
        let operands = ((target.map { [$0] } ?? []) + args).map { compile($0) }
        let evals = operands.map(\.eval)
        let f: Eval
        switch (def.implementation, evals.count) {
        case (.unary(let impl), 1):
            let a = evals[0]
            f = { state throws(EvalError) in
                let x = try a(&state)
                do throws(EvalError) { return try impl(x) } catch { throw locate(error, n) }
            }
        case (.binary(let impl), 2):
            if case .constant(let constant) = operands[1], case .code(let a) = operands[0],
               let special = Self.withConstant(function, a, constant, impl, locate: { locate($0, n) }) {
                f = special
                break
            }
            let a = evals[0]
            let b = evals[1]
            let charges = function == "_+_"
            if function == "matches" {
                // A match walks the text once per instruction of the pattern's program (at most):
                // charged before it runs, so a long text against a large pattern is a cost error,
                // not a minute of work.
                f = { state throws(EvalError) in
                    let x = try a(&state)
                    let y = try b(&state)
                    do throws(EvalError) {
                        // The pattern compiled (or found in the cache) once, for the charge and the match.
                        guard case .string(let text) = x, case .string(let pattern) = y else { return try impl(x, y) }
                        let regex = try RegexCache.shared.compile(pattern)
                        try charge(&state, Self.matchCost(text, regex), n)
                        return .bool(regex.matches(text))
                    } catch { throw locate(error, n) }
                }
                break
            }
            f = { state throws(EvalError) in
                let x = try a(&state)
                let y = try b(&state)
                if charges { try charge(&state, Self.size(x) + Self.size(y), n) }
                do throws(EvalError) { return try impl(x, y) } catch { throw locate(error, n) }
            }
        case (.nary(let impl), _):
            f = { state throws(EvalError) in
                var values: [Value] = []
                values.reserveCapacity(evals.count)
                for e in evals { values.append(try e(&state)) }
                do throws(EvalError) { return try impl(values) } catch { throw locate(error, n) }
            }
        default:
            f = { state throws(EvalError) in
                var values: [Value] = []
                for e in evals { values.append(try e(&state)) }
                throw locate(.noOverload(function, values), n)
            }
        }
        return fold(operands, f)
    }

    /// A binary operator whose right operand is a constant, specialised for the operand types rule
    /// conditions use (`facts.count > 3`, `facts.location in ["corridor", "lobby"]`,
    /// `facts.species == "dog"`): the left value is tested for the expected case and compared
    /// directly; any other value takes the operator's general implementation, so results and errors
    /// are exactly the general ones. Nil when nothing is specialised for the operator and constant.
    static func withConstant(_ function: String, _ a: @escaping Eval, _ constant: Value,
                             _ impl: @escaping @Sendable (Value, Value) throws(EvalError) -> Value,
                             locate: @escaping @Sendable (EvalError) -> EvalError) -> Eval? {
        let general: @Sendable (Value) throws(EvalError) -> Value = { x throws(EvalError) in
            do throws(EvalError) { return try impl(x, constant) } catch { throw locate(error) }
        }
        switch (function, constant) {
        case ("_==_", .int(let c)), ("_!=_", .int(let c)):
            let equal = function == "_==_"
            return { state throws(EvalError) in
                let x = try a(&state)
                if case .int(let i) = x { return .bool((i == c) == equal) }
                return try general(x)
            }
        case ("_==_", .string(let c)), ("_!=_", .string(let c)):
            let equal = function == "_==_"
            let key = ScalarString(c)
            return { state throws(EvalError) in
                let x = try a(&state)
                if case .string(let s) = x { return .bool((ScalarString(s) == key) == equal) }
                return try general(x)
            }
        case ("_<_", .int(let c)), ("_<=_", .int(let c)), ("_>_", .int(let c)), ("_>=_", .int(let c)):
            let test: @Sendable (Int64) -> Bool
            switch function {
            case "_<_": test = { $0 < c }
            case "_<=_": test = { $0 <= c }
            case "_>_": test = { $0 > c }
            default: test = { $0 >= c }
            }
            return { state throws(EvalError) in
                let x = try a(&state)
                if case .int(let i) = x { return .bool(test(i)) }
                return try general(x)
            }
        case ("@in", .list(let items)):
            // A list of strings (e.g. zones): compared by code points, as CEL equality does.
            var list: [ScalarString] = []
            for item in items {
                guard case .string(let s) = item else { return nil }
                list.append(ScalarString(s))
            }
            let strings = list
            return { state throws(EvalError) in
                let x = try a(&state)
                if case .string(let s) = x {
                    let k = ScalarString(s)
                    for candidate in strings where candidate == k { return .bool(true) }
                    return .bool(false)
                }
                return try general(x)
            }
        default:
            return nil
        }
    }

    /// The cost of matching `text` against `regex`: one unit per sixteen steps of the matcher
    /// (a step: one instruction of the program at one byte of the text), plus one.
    static func matchCost(_ text: String, _ regex: CompiledRegex) -> Int {
        let (steps, overflow) = text.utf8.count.multipliedReportingOverflow(by: regex.programSize)
        return overflow ? .max : steps / 16 + 1
    }

    /// Cost units a value of concatenation contributes (its length).
    static func size(_ v: Value) -> Int {
        switch v {
        case .string(let s): return s.utf8.count
        case .bytes(let b): return b.count
        case .list(let l): return l.count
        default: return 0
        }
    }

    private func compileComprehension(
        _ node: Expr, macro: MacroKind, range: @escaping Eval, predicate: Eval?, transform: Eval?
    ) -> Compiled {
        guard case .comprehension(_, _, let variable, _, _) = node.kind else { fatalError("not a comprehension") }
        // The variable's slot: its nesting depth, as the checker allocated it.
        let slot = comprehensionSlot(node)
        let n = node
        _ = variable
        return .code { state throws(EvalError) in
            let rangeValue = try range(&state)
            let items: [Value]
            switch rangeValue {
            case .list(let l): items = l
            case .map(let m):
                if macro == .map || macro == .filter {
                    throw locate(.noOverload(macro.rawValue, [rangeValue]), n)
                }
                items = m.entries.map(\.key)
            default:
                throw locate(.noOverload(macro.rawValue, [rangeValue]), n)
            }
            if state.locals.count <= slot {
                state.locals.append(contentsOf: repeatElement(.null, count: slot + 1 - state.locals.count))
            }
            let saved = state.locals[slot]
            defer { state.locals[slot] = saved }
            switch macro {
            case .all, .exists:
                let decisive = macro == .exists
                var firstError: EvalError?
                for item in items {
                    try charge(&state, 1, n)
                    state.locals[slot] = item
                    do throws(EvalError) {
                        let v = try predicate!(&state)
                        guard case .bool(let b) = v else {
                            if firstError == nil { firstError = locate(.noOverload(macro.rawValue, [v]), n) }
                            continue
                        }
                        if b == decisive { return .bool(decisive) }
                    } catch {
                        if error.kind == .costLimit { throw error }
                        if firstError == nil { firstError = error }
                    }
                }
                if let firstError { throw firstError }
                return .bool(!decisive)
            case .existsOne:
                var count = 0
                for item in items {
                    try charge(&state, 1, n)
                    state.locals[slot] = item
                    let v = try predicate!(&state)
                    guard case .bool(let b) = v else { throw locate(.noOverload("exists_one", [v]), n) }
                    if b { count += 1 }
                }
                return .bool(count == 1)
            case .map:
                var out: [Value] = []
                out.reserveCapacity(items.count)
                for item in items {
                    try charge(&state, 1, n)
                    state.locals[slot] = item
                    if let predicate {
                        let keep = try predicate(&state)
                        guard case .bool(let b) = keep else { throw locate(.noOverload("map", [keep]), n) }
                        if !b { continue }
                    }
                    out.append(try transform!(&state))
                }
                return .list(out)
            case .filter:
                var out: [Value] = []
                for item in items {
                    try charge(&state, 1, n)
                    state.locals[slot] = item
                    let keep = try predicate!(&state)
                    guard case .bool(let b) = keep else { throw locate(.noOverload("filter", [keep]), n) }
                    if b { out.append(item) }
                }
                return .list(out)
            }
        }
    }

    /// The local slot of a comprehension node: the number of comprehensions enclosing it.
    private func comprehensionSlot(_ target: Expr) -> Int {
        var result = 0
        func walk(_ e: Expr, depth: Int) -> Bool {
            if e.id == target.id {
                result = depth
                return true
            }
            switch e.kind {
            case .literal, .ident: return false
            case .select(let o, _, _): return walk(o, depth: depth)
            case .call(_, let t, let args):
                if let t, walk(t, depth: depth) { return true }
                return args.contains { walk($0, depth: depth) }
            case .list(let items): return items.contains { walk($0, depth: depth) }
            case .map(let entries): return entries.contains { walk($0.key, depth: depth) || walk($0.value, depth: depth) }
            case .comprehension(_, let range, _, let p, let t):
                if walk(range, depth: depth) { return true }
                if let p, walk(p, depth: depth + 1) { return true }
                if let t, walk(t, depth: depth + 1) { return true }
                return false
            }
        }
        _ = walk(checked.root, depth: 0)
        return result
    }
}
