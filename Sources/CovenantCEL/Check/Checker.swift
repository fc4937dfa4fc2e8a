import CovenantSource

/// Type-checks a parsed expression against declared variables, recording the type of every node,
/// what each name refers to and which function each call uses. It reports every problem it can
/// find (not only the first), each with the span of the offending node.
struct Checker {
    let variables: [String: (slot: Int, type: CELType)]
    let limits: CELLimits
    private(set) var types: [ExprID: CELType] = [:]
    private(set) var references: [ExprID: Reference] = [:]
    private(set) var functions: [ExprID: FunctionDef] = [:]
    private(set) var issues: [CELIssue] = []
    private var scopes: [(name: String, type: CELType, slot: Int)] = []
    private(set) var maxLocals = 0

    /// The expression's text (UTF-8), when known: errors about a binary operator then point at the
    /// operator itself, as cel-go does, rather than at the whole operation.
    let text: [UInt8]

    init(variables: [String: (slot: Int, type: CELType)], limits: CELLimits, text: [UInt8] = []) {
        self.variables = variables
        self.limits = limits
        self.text = text
    }

    mutating func check(_ expr: Expr) -> CELType {
        let type = infer(expr)
        types[expr.id] = type
        return type
    }

    // MARK: - Errors

    private mutating func report(_ code: String, _ en: String, _ zh: String, _ node: Expr, help: LocalizedText? = nil) {
        issues.append(CELIssue(code: code, message: LocalizedText(en: en, zh: zh), start: node.start, end: node.end, help: help))
    }

    // MARK: - Inference

    private mutating func infer(_ expr: Expr) -> CELType {
        let type = inferKind(expr)
        types[expr.id] = type
        return type
    }

    private mutating func inferKind(_ expr: Expr) -> CELType {
        switch expr.kind {
        case .literal(let literal):
            switch literal {
            case .null: return .null
            case .bool: return .bool
            case .int: return .int
            case .uint: return .uint
            case .double: return .double
            case .string: return .string
            case .bytes: return .bytes
            }
        case .ident(let name):
            return resolveIdent(name, expr)
        case .select(let operand, let field, let testOnly):
            if !testOnly, let name = qualifiedName(expr), let type = typeNames[name], !isBound(rootName(expr)) {
                references[expr.id] = .typeValue(type)
                return .type(type)
            }
            let operandType = infer(operand)
            let fieldType = selectType(operandType, field: field, node: expr, operand: operand)
            return testOnly ? .bool : fieldType
        case .list(let items):
            var element: CELType?
            for item in items {
                let t = infer(item)
                if element == nil {
                    element = t
                } else if element != t {
                    element = .dyn
                }
            }
            return .list(element ?? .dyn)
        case .map(let entries):
            var keyType: CELType?
            var valueType: CELType?
            for entry in entries {
                let k = infer(entry.key)
                let v = infer(entry.value)
                switch k {
                case .int, .uint, .bool, .string, .dyn, .error: break
                default:
                    report("E0206", "unsupported map key type `\(k)`", "不支持的映射键类型 `\(k)`", entry.key,
                           help: .init(en: "map keys are int, uint, bool or string", zh: "映射键只能是 int、uint、bool 或 string"))
                }
                keyType = keyType == nil ? k : (keyType == k ? k : .dyn)
                valueType = valueType == nil ? v : (valueType == v ? v : .dyn)
            }
            return .map(keyType ?? .dyn, valueType ?? .dyn)
        case .call(let function, let target, let args):
            return inferCall(function, target: target, args: args, node: expr)
        case .comprehension(let macro, let range, let variable, let predicate, let transform):
            return inferComprehension(macro, range: range, variable: variable, predicate: predicate, transform: transform, node: expr)
        }
    }

    /// `a.b.c` as one dotted name, when the expression is only identifiers and selections.
    private func qualifiedName(_ expr: Expr) -> String? {
        switch expr.kind {
        case .ident(let name): return name
        case .select(let operand, let field, false): return qualifiedName(operand).map { $0 + "." + field }
        default: return nil
        }
    }

    private func rootName(_ expr: Expr) -> String {
        if case .select(let operand, _, _) = expr.kind { return rootName(operand) }
        if case .ident(let name) = expr.kind { return name }
        return ""
    }

    /// Whether a simple name is a comprehension variable or a declared variable (which then take
    /// precedence over qualified type names).
    private func isBound(_ name: String) -> Bool {
        scopes.contains { $0.name == name } || variables[name] != nil
    }

    private mutating func resolveIdent(_ name: String, _ node: Expr) -> CELType {
        if let local = scopes.last(where: { $0.name == name }) {
            references[node.id] = .local(local.slot)
            return local.type
        }
        if let variable = variables[name] {
            references[node.id] = .global(variable.slot)
            return variable.type
        }
        if let type = typeNames[name] {
            references[node.id] = .typeValue(type)
            return .type(type)
        }
        let candidates = Array(variables.keys) + scopes.map(\.name)
        let help = Suggestion.closest(to: name, among: candidates).map {
            LocalizedText(en: "did you mean `\($0)`?", zh: "是不是 `\($0)`？")
        } ?? (candidates.isEmpty ? nil : LocalizedText(
            en: "declared names: " + candidates.sorted().map { "`\($0)`" }.joined(separator: ", "),
            zh: "已声明的名称：" + candidates.sorted().map { "`\($0)`" }.joined(separator: "、")))
        report("E0201", "undeclared reference to `\(name)`", "未声明的名称 `\(name)`", node, help: help)
        return .error
    }

    private mutating func selectType(_ operandType: CELType, field: String, node: Expr, operand: Expr) -> CELType {
        switch operandType {
        case .record(let record):
            if let f = record.fields[field] { return f.type }
            let help = Suggestion.closest(to: field, among: record.fields.keys).map {
                LocalizedText(en: "did you mean `\($0)`?", zh: "是不是 `\($0)`？")
            } ?? LocalizedText(
                en: "`\(record.name)` has " + (record.fields.isEmpty ? "no fields" : record.fields.keys.sorted().map { "`\($0)`" }.joined(separator: ", ")),
                zh: "`\(record.name)` 的字段：" + (record.fields.isEmpty ? "无" : record.fields.keys.sorted().map { "`\($0)`" }.joined(separator: "、")))
            report("E0204", "undefined field `\(field)` of `\(record.name)`", "`\(record.name)` 没有字段 `\(field)`", node, help: help)
            return .error
        case .map(let k, let v):
            switch k {
            case .string, .dyn, .param: return v
            default:
                report("E0205", "field selection `.\(field)` needs a map with string keys, found `\(operandType)`",
                       "字段选择 `.\(field)` 需要以字符串为键的映射，实际为 `\(operandType)`", node)
                return .error
            }
        case .dyn, .param: return .dyn
        case .error: return .error
        default:
            report("E0205", "type `\(operandType)` has no fields (selecting `.\(field)`)",
                   "类型 `\(operandType)` 没有字段（选择 `.\(field)`）", node)
            return .error
        }
    }

    private mutating func inferCall(_ function: String, target: Expr?, args: [Expr], node: Expr) -> CELType {
        switch function {
        case "_&&_", "_||_":
            for arg in args {
                let t = infer(arg)
                if !isAssignable(t, to: .bool) {
                    report("E0203", "`\(function == "_&&_" ? "&&" : "||")` needs bool operands, found `\(t)`",
                           "`\(function == "_&&_" ? "&&" : "||")` 的操作数必须是 bool，实际为 `\(t)`", arg)
                }
            }
            return .bool
        case "_?_:_":
            let c = infer(args[0])
            if !isAssignable(c, to: .bool) {
                report("E0203", "the condition of `? :` must be bool, found `\(c)`", "`? :` 的条件必须是 bool，实际为 `\(c)`", args[0])
            }
            let a = infer(args[1])
            let b = infer(args[2])
            if let joined = join(a, b) { return joined }
            report("E0207", "the branches of `? :` have different types `\(a)` and `\(b)`",
                   "`? :` 的两个分支类型不同：`\(a)` 与 `\(b)`", node,
                   help: .init(en: "convert one branch explicitly, e.g. `double(x)`", zh: "请显式转换其中一个分支，如 `double(x)`"))
            return .error
        default:
            break
        }
        let targetType = target.map { infer($0) }
        let argTypes = args.map { infer($0) }
        guard let def = StandardLibrary.functions[function] else {
            let known = StandardLibrary.functions.keys.filter { $0.first != "_" && $0.first != "@" && $0.first != "!" && $0.first != "-" }
            let help = Suggestion.closest(to: function, among: known).map {
                LocalizedText(en: "did you mean `\($0)`?", zh: "是不是 `\($0)`？")
            }
            report("E0202", "undeclared function `\(function)`", "未声明的函数 `\(function)`", node, help: help)
            return .error
        }
        functions[node.id] = def
        let actual = (targetType.map { [$0] } ?? []) + argTypes
        if actual.contains(.error) { return .error }
        var results: [CELType] = []
        for overload in def.overloads where overload.member == (target != nil) && overload.params.count == actual.count {
            var substitution: [String: CELType] = [:]
            var ok = true
            for (param, arg) in zip(overload.params, actual) where !unify(arg, param, &substitution) {
                ok = false
                break
            }
            if ok { results.append(substitute(overload.result, substitution)) }
        }
        if results.isEmpty {
            let shown = display(function)
            let list = actual.map(\.description).joined(separator: ", ")
            let style = target != nil ? " (as a method)" : ""
            var help: LocalizedText?
            if ["_+_", "_-_", "_*_", "_/_", "_%_", "_==_", "_!=_"].contains(function),
               actual.count == 2, Set([actual[0], actual[1]]).isSubset(of: [.int, .uint, .double]) {
                help = .init(en: "CEL does not mix int, uint and double implicitly; convert with `int(x)`, `uint(x)` or `double(x)`",
                             zh: "CEL 不会隐式混合 int、uint 与 double；请用 `int(x)`、`uint(x)` 或 `double(x)` 转换")
            } else if target == nil, def.overloads.allSatisfy(\.member) {
                help = .init(en: "call it as a method, e.g. `x.\(function)(…)`", zh: "请以方法形式调用，如 `x.\(function)(…)`")
            } else if target != nil, def.overloads.allSatisfy({ !$0.member }) {
                help = .init(en: "call it as a function, e.g. `\(function)(x)`", zh: "请以函数形式调用，如 `\(function)(x)`")
            }
            let message = LocalizedText(en: "no matching overload for `\(shown)`\(style) applied to (\(list))",
                                        zh: "`\(shown)` 没有适用于 (\(list)) 的重载")
            let span = target == nil && args.count == 2 ? operatorSpan(shown, between: args[0], and: args[1]) : nil
            issues.append(CELIssue(code: "E0203", message: message, start: span?.lowerBound ?? node.start,
                                   end: span?.upperBound ?? node.end, help: help))
            return .error
        }
        checkLiteralArguments(function, target: target, args: args, node: node)
        let first = results[0]
        return results.allSatisfy({ $0 == first }) ? first : .dyn
    }

    /// Literal arguments that would always fail at run time are reported at compile time:
    /// `timestamp('…')`, `duration('…')`, and regular expressions given to `matches`.
    private mutating func checkLiteralArguments(_ function: String, target: Expr?, args: [Expr], node: Expr) {
        func literalString(_ e: Expr) -> String? {
            if case .literal(.string(let s)) = e.kind { return s }
            return nil
        }
        switch function {
        case "timestamp":
            if target == nil, args.count == 1, let s = literalString(args[0]), Timestamp.parse(s) == nil {
                report("E0209", "invalid timestamp `\(s)`", "无效的时间戳 `\(s)`", args[0],
                       help: .init(en: "use RFC 3339 with an offset, e.g. `2026-11-03T21:40:00+08:00`",
                                   zh: "请使用带时区偏移的 RFC 3339 格式，如 `2026-11-03T21:40:00+08:00`"))
            }
        case "duration":
            if target == nil, args.count == 1, let s = literalString(args[0]), CELDuration.parse(s) == nil {
                report("E0209", "invalid duration `\(s)`", "无效的时长 `\(s)`", args[0],
                       help: .init(en: "use units h, m, s, ms, us, ns, e.g. `1h30m` or `90s`",
                                   zh: "请使用单位 h、m、s、ms、us、ns，如 `1h30m` 或 `90s`"))
            }
        case "matches":
            let patternArg = target != nil ? args.first : (args.count == 2 ? args[1] : nil)
            if let patternArg, let pattern = literalString(patternArg) {
                do throws(EvalError) {
                    _ = try RegexCache.shared.compile(pattern, maxLength: limits.maxRegexLength)
                } catch {
                    report("E0209", error.message.en, error.message.zh, patternArg)
                }
            }
        default:
            if function.hasPrefix("get"), args.count == 1, let zone = literalString(args[0]), TimeZoneSpec.parse(zone) == nil
                || (TimeZoneSpec.parse(zone).map { utcOffset(for: $0, atUnixSeconds: 0) == nil } ?? true) {
                report("E0209", "unknown time zone `\(zone)`", "未知的时区 `\(zone)`", args[0],
                       help: .init(en: "use an IANA name such as `Asia/Shanghai`, `UTC`, or a fixed offset such as `+08:00`",
                                   zh: "请使用 IANA 时区名（如 `Asia/Shanghai`）、`UTC` 或固定偏移（如 `+08:00`）"))
            }
        }
    }

    private mutating func inferComprehension(
        _ macro: MacroKind, range: Expr, variable: String, predicate: Expr?, transform: Expr?, node: Expr
    ) -> CELType {
        let rangeType = infer(range)
        let elementType: CELType
        switch rangeType {
        case .list(let e): elementType = e
        case .map(let k, _):
            if macro == .map || macro == .filter {
                report("E0208", "`\(macro.rawValue)` is not supported on maps", "`\(macro.rawValue)` 不能用于映射", node,
                       help: .init(en: "CEL's language definition allows `\(macro.rawValue)` on lists only",
                                   zh: "CEL 语言定义只允许对列表使用 `\(macro.rawValue)`"))
            }
            elementType = k
        case .record: elementType = .string
        case .dyn, .param: elementType = .dyn
        case .error: elementType = .error
        default:
            report("E0208", "`\(macro.rawValue)` needs a list or a map, found `\(rangeType)`",
                   "`\(macro.rawValue)` 需要列表或映射，实际为 `\(rangeType)`", range)
            elementType = .error
        }
        let slot = scopes.count
        scopes.append((variable, elementType, slot))
        maxLocals = max(maxLocals, scopes.count)
        defer { scopes.removeLast() }
        if let predicate {
            let p = infer(predicate)
            if !isAssignable(p, to: .bool) {
                report("E0203", "the predicate of `\(macro.rawValue)` must be bool, found `\(p)`",
                       "`\(macro.rawValue)` 的条件必须是 bool，实际为 `\(p)`", predicate)
            }
        }
        var transformType = CELType.dyn
        if let transform { transformType = infer(transform) }
        switch macro {
        case .all, .exists, .existsOne: return .bool
        case .map: return .list(transformType)
        case .filter: return .list(elementType)
        }
    }

    // MARK: - Types

    /// Where a binary operator's symbol is written: the first occurrence of `symbol` between its
    /// operands (after any closing parentheses of the left one). Nil when the text is not known or
    /// the symbol is not found there (a macro-expanded call, for instance).
    private func operatorSpan(_ symbol: String, between left: Expr, and right: Expr) -> Range<Int>? {
        let op = Array(symbol.utf8)
        guard !op.isEmpty, left.end >= 0, right.start <= text.count, left.end + op.count <= right.start else { return nil }
        var i = left.end
        while i + op.count <= right.start {
            // A `//` comment between the operands runs to the end of its line.
            if text[i] == 0x2F, i + 1 < right.start, text[i + 1] == 0x2F {
                while i < right.start, text[i] != 0x0A { i += 1 }
                continue
            }
            if text[i..<i + op.count].elementsEqual(op) { return i..<i + op.count }
            i += 1
        }
        return nil
    }

    private func display(_ function: String) -> String {
        switch function {
        case "@in": return "in"
        case "_[_]": return "[]"
        case "!_": return "!"
        case "-_": return "-"
        default:
            if function.hasPrefix("_"), function.hasSuffix("_"), function.count > 2 {
                return String(function.dropFirst().dropLast())
            }
            return function
        }
    }

    /// Whether a value of type `t` may be used where `expected` is required.
    func isAssignable(_ t: CELType, to expected: CELType) -> Bool {
        var s: [String: CELType] = [:]
        return unify(t, expected, &s)
    }

    /// The common type of two branches, or nil when they conflict.
    func join(_ a: CELType, _ b: CELType) -> CELType? {
        if a == b { return a }
        if a == .error || b == .error { return .error }
        if a == .dyn || b == .dyn { return .dyn }
        if isAssignable(a, to: b) && isAssignable(b, to: a) { return a }
        return nil
    }

    /// Unifies an argument type with a parameter type, binding type parameters.
    func unify(_ arg: CELType, _ param: CELType, _ s: inout [String: CELType]) -> Bool {
        switch (arg, param) {
        case (.error, _), (_, .error): return true
        case (_, .param(let name)):
            if let bound = s[name] {
                if bound == .dyn { return true }
                if arg == .dyn { return true }
                if unify(arg, bound, &s) { return true }
                // Widen to dyn when one side is a more general shape (e.g. list(dyn) vs list(int)).
                if unify(bound, arg, &s) { s[name] = arg; return true }
                return false
            }
            s[name] = arg
            return true
        case (.dyn, _), (_, .dyn): return true
        case (.param, _): return true
        case (.list(let a), .list(let p)): return unify(a, p, &s)
        case (.map(let ka, let va), .map(let kp, let vp)): return unify(ka, kp, &s) && unify(va, vp, &s)
        case (.record, .map(let kp, let vp)):
            return unify(.string, kp, &s) && unify(.dyn, vp, &s)
        case (.record(let a), .record(let b)): return a == b
        // Every type value has the runtime type `type`: `type(1) == type(1u)` is well typed
        // (and false), as the language definition's examples require.
        case (.type, .type): return true
        default: return arg == param
        }
    }

    func substitute(_ t: CELType, _ s: [String: CELType]) -> CELType {
        switch t {
        case .param(let name): return s[name] ?? .dyn
        case .list(let e): return .list(substitute(e, s))
        case .map(let k, let v): return .map(substitute(k, s), substitute(v, s))
        case .type(let e): return .type(substitute(e, s))
        default: return t
        }
    }
}
