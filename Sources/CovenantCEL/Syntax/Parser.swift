import CovenantSource

/// Parses CEL text into an ``Expr`` tree, by the grammar of the CEL language definition, with
/// operator precedence, macros (`has`, `all`, `exists`, `exists_one`, `map`, `filter`) expanded into
/// dedicated nodes, reserved words rejected, and limits on length and nesting so that no input can
/// overflow the stack.
struct Parser {
    private var tokens: [Token]
    private var index = 0
    private var nextID: Int32 = 1
    private let limits: CELLimits
    private var depth = 0

    init(tokens: [Token], limits: CELLimits) {
        self.tokens = tokens
        self.limits = limits
    }

    /// Parses a whole expression.
    static func parse(_ text: String, limits: CELLimits) throws(CELSyntaxError) -> Expr {
        let length = text.unicodeScalars.count
        if length > limits.maxExpressionLength {
            throw CELSyntaxError(.tooLong(limits.maxExpressionLength), start: 0, end: text.utf8.count)
        }
        var lexer = Lexer(text)
        let tokens = try lexer.tokenize()
        var parser = Parser(tokens: tokens, limits: limits)
        if case .eof = tokens[0].kind {
            throw CELSyntaxError(.other(.init(en: "empty expression", zh: "表达式为空")), start: 0, end: 0)
        }
        let expr = try parser.parseExpr()
        let token = parser.current
        if token.kind != .eof {
            throw CELSyntaxError(.unexpectedToken(found: describe(token.kind), expected: .init(en: "end of expression", zh: "表达式结束")),
                                 start: token.start, end: token.end)
        }
        try checkDepth(expr, limit: limits.maxDepth)
        return expr
    }

    /// Rejects trees deeper than the limit (chains of operators build depth without recursion in
    /// the parser, so the depth of the finished tree is checked too).
    private static func checkDepth(_ expr: Expr, limit: Int) throws(CELSyntaxError) {
        var stack: [(Expr, Int)] = [(expr, 1)]
        while let (node, d) = stack.popLast() {
            if d > limit {
                throw CELSyntaxError(.tooDeep(limit), start: node.start, end: node.end)
            }
            switch node.kind {
            case .literal, .ident: break
            case .select(let operand, _, _): stack.append((operand, d + 1))
            case .call(_, let target, let args):
                if let target { stack.append((target, d + 1)) }
                for a in args { stack.append((a, d + 1)) }
            case .list(let items): for i in items { stack.append((i, d + 1)) }
            case .map(let entries):
                for e in entries {
                    stack.append((e.key, d + 1))
                    stack.append((e.value, d + 1))
                }
            case .comprehension(_, let range, _, let predicate, let transform):
                stack.append((range, d + 1))
                if let predicate { stack.append((predicate, d + 1)) }
                if let transform { stack.append((transform, d + 1)) }
            }
        }
    }

    // MARK: - Token helpers

    private var current: Token { tokens[index] }

    private mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private func isPunct(_ p: String) -> Bool {
        if case .punct(let q) = current.kind { return q == p }
        return false
    }

    private mutating func expect(_ p: String, context: LocalizedText) throws(CELSyntaxError) -> Token {
        guard isPunct(p) else {
            throw CELSyntaxError(.unexpectedToken(found: Self.describe(current.kind), expected: .init(en: "`\(p)` \(context.en)", zh: "`\(p)`\(context.zh)")),
                                 start: current.start, end: max(current.end, current.start + 1))
        }
        return advance()
    }

    static func describe(_ kind: TokenKind) -> LocalizedText {
        switch kind {
        case .int(let v): return .init(en: "number `\(v)`", zh: "数字 `\(v)`")
        case .intOverflow(let s): return .init(en: "number `\(s)`", zh: "数字 `\(s)`")
        case .uint(let v): return .init(en: "number `\(v)u`", zh: "数字 `\(v)u`")
        case .double(let v): return .init(en: "number `\(v)`", zh: "数字 `\(v)`")
        case .string: return .init(en: "string", zh: "字符串")
        case .bytes: return .init(en: "bytes", zh: "字节串")
        case .ident(let name): return .init(en: "identifier `\(name)`", zh: "标识符 `\(name)`")
        case .reserved(let name): return .init(en: "reserved word `\(name)`", zh: "保留字 `\(name)`")
        case .trueLit: return .init(en: "`true`", zh: "`true`")
        case .falseLit: return .init(en: "`false`", zh: "`false`")
        case .nullLit: return .init(en: "`null`", zh: "`null`")
        case .inKeyword: return .init(en: "`in`", zh: "`in`")
        case .punct(let p): return .init(en: "`\(p)`", zh: "`\(p)`")
        case .eof: return .init(en: "end of expression", zh: "表达式结束")
        }
    }

    private mutating func makeID() -> ExprID {
        defer { nextID += 1 }
        return ExprID(raw: nextID)
    }

    private mutating func node(_ kind: Expr.Kind, start: Int, end: Int) -> Expr {
        Expr(id: makeID(), start: start, end: end, kind: kind)
    }

    private mutating func call(_ function: String, _ args: [Expr], start: Int, end: Int) -> Expr {
        node(.call(function: function, target: nil, args: args), start: start, end: end)
    }

    /// Every recursion of the parser goes through `parseExpr`, which counts its nesting here.
    private mutating func enter() throws(CELSyntaxError) {
        depth += 1
        if depth > limits.maxDepth {
            throw CELSyntaxError(.tooDeep(limits.maxDepth), start: current.start, end: current.end)
        }
    }

    /// Operator chains (`a + b + …`, `!!…`, `a.b.c…`, `a[0][0]…`) are parsed by loops, each link
    /// one level deeper in the tree: a chain longer than the depth limit is rejected as soon as it
    /// is seen, so that no overly deep tree is ever built.
    private func checkChain(_ links: Int, at token: Token) throws(CELSyntaxError) {
        if depth + links > limits.maxDepth {
            throw CELSyntaxError(.tooDeep(limits.maxDepth), start: token.start, end: token.end)
        }
    }

    // MARK: - Grammar

    mutating func parseExpr() throws(CELSyntaxError) -> Expr {
        try enter()
        defer { depth -= 1 }
        let condition = try parseLogical(or: true)
        guard isPunct("?") else { return condition }
        _ = advance()
        let then = try parseLogical(or: true)
        _ = try expect(":", context: .init(en: "in the conditional `? :`", zh: "（条件表达式 `? :` 中）"))
        let otherwise = try parseExpr()
        return call("_?_:_", [condition, then, otherwise], start: condition.start, end: otherwise.end)
    }

    /// `||` and `&&` chains, built as balanced trees as cel-go does (the operators are commutative).
    private mutating func parseLogical(or: Bool) throws(CELSyntaxError) -> Expr {
        let op = or ? "||" : "&&"
        var terms: [Expr] = [or ? try parseLogical(or: false) : try parseRelation()]
        while isPunct(op) {
            _ = advance()
            terms.append(or ? try parseLogical(or: false) : try parseRelation())
        }
        return balance(terms[...], function: or ? "_||_" : "_&&_")
    }

    private mutating func balance(_ terms: ArraySlice<Expr>, function: String) -> Expr {
        if terms.count == 1 { return terms.first! }
        let mid = terms.startIndex + terms.count / 2
        let left = balance(terms[terms.startIndex..<mid], function: function)
        let right = balance(terms[mid...], function: function)
        return call(function, [left, right], start: left.start, end: right.end)
    }

    private mutating func parseRelation() throws(CELSyntaxError) -> Expr {
        var left = try parseAddition()
        var links = 0
        while true {
            let function: String
            switch current.kind {
            case .punct("<"): function = "_<_"
            case .punct("<="): function = "_<=_"
            case .punct(">"): function = "_>_"
            case .punct(">="): function = "_>=_"
            case .punct("=="): function = "_==_"
            case .punct("!="): function = "_!=_"
            case .inKeyword: function = "@in"
            default: return left
            }
            links += 1
            try checkChain(links, at: current)
            _ = advance()
            let right = try parseAddition()
            left = call(function, [left, right], start: left.start, end: right.end)
        }
    }

    private mutating func parseAddition() throws(CELSyntaxError) -> Expr {
        var left = try parseMultiplication()
        var links = 0
        while true {
            let function: String
            if isPunct("+") { function = "_+_" } else if isPunct("-") { function = "_-_" } else { return left }
            links += 1
            try checkChain(links, at: current)
            _ = advance()
            let right = try parseMultiplication()
            left = call(function, [left, right], start: left.start, end: right.end)
        }
    }

    private mutating func parseMultiplication() throws(CELSyntaxError) -> Expr {
        var left = try parseUnary()
        var links = 0
        while true {
            let function: String
            if isPunct("*") {
                function = "_*_"
            } else if isPunct("/") {
                function = "_/_"
            } else if isPunct("%") {
                function = "_%_"
            } else {
                return left
            }
            links += 1
            try checkChain(links, at: current)
            _ = advance()
            let right = try parseUnary()
            left = call(function, [left, right], start: left.start, end: right.end)
        }
    }

    private mutating func parseUnary() throws(CELSyntaxError) -> Expr {
        if isPunct("!") {
            var starts: [Int] = []
            while isPunct("!") {
                try checkChain(starts.count + 1, at: current)
                starts.append(advance().start)
            }
            var operand = try parseMember()
            for start in starts.reversed() {
                operand = call("!_", [operand], start: start, end: operand.end)
            }
            return operand
        }
        if isPunct("-") {
            var starts: [Int] = []
            while isPunct("-") {
                try checkChain(starts.count + 1, at: current)
                starts.append(advance().start)
            }
            var operand: Expr
            // The last minus folds into a numeric literal: `-9223372036854775808` is a literal.
            let literalStart = starts.last!
            switch current.kind {
            case .int(let v):
                _ = advance()
                operand = node(.literal(.int(-v)), start: literalStart, end: tokens[index - 1].end)
                operand = try parsePostfix(operand)
                starts.removeLast()
            case .intOverflow:
                _ = advance()
                operand = node(.literal(.int(Int64.min)), start: literalStart, end: tokens[index - 1].end)
                operand = try parsePostfix(operand)
                starts.removeLast()
            case .double(let v):
                _ = advance()
                operand = node(.literal(.double(-v)), start: literalStart, end: tokens[index - 1].end)
                operand = try parsePostfix(operand)
                starts.removeLast()
            default:
                operand = try parseMember()
            }
            for start in starts.reversed() {
                operand = call("-_", [operand], start: start, end: operand.end)
            }
            return operand
        }
        return try parseMember()
    }

    private mutating func parseMember() throws(CELSyntaxError) -> Expr {
        let primary = try parsePrimary()
        return try parsePostfix(primary)
    }

    private mutating func parsePostfix(_ base: Expr) throws(CELSyntaxError) -> Expr {
        var expr = base
        var links = 0
        while true {
            if isPunct(".") || isPunct("[") {
                links += 1
                try checkChain(links, at: current)
            }
            if isPunct(".") {
                _ = advance()
                let nameToken = advance()
                let name: String
                switch nameToken.kind {
                case .ident(let n): name = n
                case .reserved(let w):
                    throw CELSyntaxError(.reservedWord(w), start: nameToken.start, end: nameToken.end)
                default:
                    throw CELSyntaxError(.unexpectedToken(found: Self.describe(nameToken.kind), expected: .init(en: "a field or method name after `.`", zh: "`.` 之后的字段名或方法名")),
                                         start: nameToken.start, end: max(nameToken.end, nameToken.start + 1))
                }
                if isPunct("(") {
                    _ = advance()
                    let args = try parseList(closing: ")", context: .init(en: "to close the argument list", zh: "以结束参数列表"), trailingComma: false)
                    let end = tokens[index - 1].end
                    expr = try makeCall(name, target: expr, args: args, start: expr.start, nameStart: nameToken.start, end: end)
                } else {
                    expr = node(.select(operand: expr, field: name, testOnly: false), start: expr.start, end: nameToken.end)
                }
            } else if isPunct("[") {
                _ = advance()
                let index = try parseExpr()
                let close = try expect("]", context: .init(en: "to close the index", zh: "以结束下标"))
                expr = call("_[_]", [expr, index], start: expr.start, end: close.end)
            } else if isPunct("{") {
                throw CELSyntaxError(.other(.init(en: "message construction is not supported", zh: "不支持构造消息")),
                                     start: current.start, end: current.end,
                                     help: .init(en: "use a map literal `{\"key\": value}`", zh: "请使用映射字面量 `{\"key\": value}`"))
            } else {
                return expr
            }
        }
    }

    /// Comma-separated expressions up to `closing`. List literals accept a trailing comma (as
    /// cel-go does); argument lists follow the grammar's `ExprList` and do not.
    private mutating func parseList(closing: String, context: LocalizedText, trailingComma: Bool = true) throws(CELSyntaxError) -> [Expr] {
        var items: [Expr] = []
        if isPunct(closing) {
            _ = advance()
            return items
        }
        while true {
            items.append(try parseExpr())
            if isPunct(",") {
                _ = advance()
                if trailingComma, isPunct(closing) {
                    _ = advance()
                    return items
                }
                continue
            }
            _ = try expect(closing, context: context)
            return items
        }
    }

    private mutating func parsePrimary() throws(CELSyntaxError) -> Expr {
        let token = advance()
        switch token.kind {
        case .int(let v): return node(.literal(.int(v)), start: token.start, end: token.end)
        case .intOverflow(let s):
            throw CELSyntaxError(.numberOutOfRange(s), start: token.start, end: token.end,
                                 help: .init(en: "int literals range from -9223372036854775808 to 9223372036854775807",
                                             zh: "int 字面量的范围是 -9223372036854775808 到 9223372036854775807"))
        case .uint(let v): return node(.literal(.uint(v)), start: token.start, end: token.end)
        case .double(let v): return node(.literal(.double(v)), start: token.start, end: token.end)
        case .string(let s): return node(.literal(.string(s)), start: token.start, end: token.end)
        case .bytes(let b): return node(.literal(.bytes(b)), start: token.start, end: token.end)
        case .trueLit: return node(.literal(.bool(true)), start: token.start, end: token.end)
        case .falseLit: return node(.literal(.bool(false)), start: token.start, end: token.end)
        case .nullLit: return node(.literal(.null), start: token.start, end: token.end)
        case .reserved(let w):
            throw CELSyntaxError(.reservedWord(w), start: token.start, end: token.end,
                                 help: .init(en: "reserved words cannot be used as names", zh: "保留字不能用作名称"))
        case .punct("."):
            // A leading dot names the root scope; without containers it resolves like the plain name.
            let nameToken = advance()
            guard case .ident(let name) = nameToken.kind else {
                throw CELSyntaxError(.unexpectedToken(found: Self.describe(nameToken.kind), expected: .init(en: "an identifier", zh: "标识符")),
                                     start: nameToken.start, end: max(nameToken.end, nameToken.start + 1))
            }
            return try identOrCall(name, start: token.start, nameToken: nameToken)
        case .ident(let name):
            return try identOrCall(name, start: token.start, nameToken: token)
        case .punct("("):
            let inner = try parseExpr()
            _ = try expect(")", context: .init(en: "to close `(`", zh: "以闭合 `(`"))
            return inner
        case .punct("["):
            let items = try parseList(closing: "]", context: .init(en: "to close the list", zh: "以结束列表"))
            return node(.list(items), start: token.start, end: tokens[index - 1].end)
        case .punct("{"):
            var entries: [Expr.MapEntry] = []
            if isPunct("}") {
                _ = advance()
                return node(.map(entries), start: token.start, end: tokens[index - 1].end)
            }
            while true {
                let key = try parseExpr()
                _ = try expect(":", context: .init(en: "between a map key and its value", zh: "（映射的键与值之间）"))
                let value = try parseExpr()
                entries.append(Expr.MapEntry(key: key, value: value))
                if isPunct(",") {
                    _ = advance()
                    if isPunct("}") { break }
                    continue
                }
                _ = try expect("}", context: .init(en: "to close the map", zh: "以结束映射"))
                return node(.map(entries), start: token.start, end: tokens[index - 1].end)
            }
            _ = advance()
            return node(.map(entries), start: token.start, end: tokens[index - 1].end)
        case .eof:
            throw CELSyntaxError(.unexpectedToken(found: .init(en: "end of expression", zh: "表达式结束"), expected: .init(en: "an operand", zh: "操作数")),
                                 start: token.start, end: token.start + 1)
        default:
            throw CELSyntaxError(.unexpectedToken(found: Self.describe(token.kind), expected: .init(en: "an operand", zh: "操作数")),
                                 start: token.start, end: token.end)
        }
    }

    private mutating func identOrCall(_ name: String, start: Int, nameToken: Token) throws(CELSyntaxError) -> Expr {
        if isPunct("(") {
            _ = advance()
            let args = try parseList(closing: ")", context: .init(en: "to close the argument list", zh: "以结束参数列表"), trailingComma: false)
            return try makeCall(name, target: nil, args: args, start: start, nameStart: nameToken.start, end: tokens[index - 1].end)
        }
        return node(.ident(name), start: start, end: nameToken.end)
    }

    /// Builds a call, expanding macros.
    private mutating func makeCall(
        _ name: String, target: Expr?, args: [Expr], start: Int, nameStart: Int, end: Int
    ) throws(CELSyntaxError) -> Expr {
        if target == nil, name == "has", args.count == 1 {
            guard case .select(let operand, let field, false) = args[0].kind else {
                throw CELSyntaxError(.macroArgument("has"), start: args[0].start, end: args[0].end,
                                     help: .init(en: "`has` takes a field selection such as `has(facts.leashed)`",
                                                 zh: "`has` 的参数应是字段选择，如 `has(facts.leashed)`"))
            }
            return node(.select(operand: operand, field: field, testOnly: true), start: start, end: end)
        }
        if let target {
            let macro: MacroKind?
            switch (name, args.count) {
            case ("all", 2): macro = .all
            case ("exists", 2): macro = .exists
            case ("exists_one", 2): macro = .existsOne
            case ("map", 2), ("map", 3): macro = .map
            case ("filter", 2): macro = .filter
            default: macro = nil
            }
            if let macro {
                guard case .ident(let variable) = args[0].kind else {
                    throw CELSyntaxError(.macroArgument(name), start: args[0].start, end: args[0].end,
                                         help: .init(en: "the first argument of `\(name)` must be a simple name, e.g. `x`",
                                                     zh: "`\(name)` 的第一个参数必须是简单名称，如 `x`"))
                }
                let kind: Expr.Kind
                switch macro {
                case .map where args.count == 3:
                    kind = .comprehension(macro: .map, range: target, variable: variable, predicate: args[1], transform: args[2])
                case .map:
                    kind = .comprehension(macro: .map, range: target, variable: variable, predicate: nil, transform: args[1])
                default:
                    kind = .comprehension(macro: macro, range: target, variable: variable, predicate: args[1], transform: nil)
                }
                return node(kind, start: start, end: end)
            }
        }
        return node(.call(function: name, target: target, args: args), start: target == nil ? start : target!.start, end: end)
    }
}
