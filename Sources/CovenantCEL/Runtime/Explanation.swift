/// The value of every sub-expression of an evaluation, for explaining a verdict (`covenant explain`,
/// appeals). Each node outside comprehension bodies is evaluated on its own with the same compiled
/// semantics as the whole, so the explanation can never disagree with the result.
public struct Explanation: Sendable {
    /// One sub-expression and what it evaluated to.
    public struct Node: Sendable {
        public let id: ExprID
        /// Byte offsets in the expression text.
        public let start: Int
        public let end: Int
        /// The sub-expression's text.
        public let text: String
        /// Its value, or the error it raised.
        public let result: Result<Value, EvalError>
        /// Nesting depth (0 for the whole expression).
        public let depth: Int
    }

    /// The whole expression's result.
    public let result: Result<Value, EvalError>
    /// Sub-expressions in pre-order (literals left out).
    public let nodes: [Node]
}

extension CELProgram {
    /// Evaluates the expression and every sub-expression (except inside comprehension bodies, whose
    /// variables only exist per element), keeping each value.
    public func explain(_ activation: Activation, text: String) -> Explanation {
        let bytes = Array(text.utf8)
        var nodes: [Explanation.Node] = []
        func walk(_ e: Expr, depth: Int) {
            let isLiteral: Bool
            if case .literal = e.kind { isLiteral = true } else { isLiteral = false }
            if !isLiteral {
                let eval = Interpreter(checked: checked, maxCost: limits.maxCost).compile(e).eval
                var state = EvalState(globals: activation.values, locals: [], cost: 0, maxCost: limits.maxCost)
                let result: Result<Value, EvalError>
                do { result = .success(try eval(&state)) } catch { result = .failure(error) }
                let slice = e.start >= 0 && e.end <= bytes.count && e.start <= e.end ? bytes[e.start..<e.end] : []
                nodes.append(.init(id: e.id, start: e.start, end: e.end, text: String(decoding: slice, as: UTF8.self),
                                   result: result, depth: depth))
            }
            switch e.kind {
            case .literal, .ident: break
            case .select(let operand, _, _):
                // `google.protobuf.Timestamp` is one type name, not selections from `google`.
                if case .typeValue? = checked.references[e.id] { break }
                walk(operand, depth: depth + 1)
            case .call(_, let target, let args):
                if let target { walk(target, depth: depth + 1) }
                for a in args { walk(a, depth: depth + 1) }
            case .list(let items): for i in items { walk(i, depth: depth + 1) }
            case .map(let entries):
                for entry in entries {
                    walk(entry.key, depth: depth + 1)
                    walk(entry.value, depth: depth + 1)
                }
            case .comprehension(_, let range, _, _, _):
                walk(range, depth: depth + 1)
            }
        }
        walk(checked.root, depth: 0)
        let result: Result<Value, EvalError>
        do { result = .success(try evaluate(activation)) } catch { result = .failure(error) }
        return Explanation(result: result, nodes: nodes)
    }
}
