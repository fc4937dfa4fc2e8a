/// What an identifier in a checked expression refers to.
enum Reference: Sendable {
    /// A declared variable, by its slot in the activation.
    case global(Int)
    /// A comprehension variable, by its slot among the locals.
    case local(Int)
    /// A type name used as a value (`int`, `string`, …).
    case typeValue(CELType)
}

/// Type names that evaluate to type values when no variable of that name is declared. `dyn` is
/// not among them: it is only a conversion function (cel-spec's conformance tests treat a bare
/// `dyn` as an unknown name). The abstract types are named by their qualified protobuf names.
let typeNames: [String: CELType] = [
    "int": .int, "uint": .uint, "double": .double, "bool": .bool, "string": .string, "bytes": .bytes,
    "list": .list(.dyn), "map": .map(.dyn, .dyn), "null_type": .null, "type": .type(.dyn),
    "google.protobuf.Timestamp": .timestamp, "google.protobuf.Duration": .duration,
]

/// The result of type-checking: the parsed tree plus side tables keyed by node id.
public struct CheckedExpr: Sendable {
    /// The parsed tree.
    public let root: Expr
    /// The type of every node.
    public let types: [ExprID: CELType]
    /// What each identifier refers to.
    let references: [ExprID: Reference]
    /// The function each call resolved to.
    let functions: [ExprID: FunctionDef]
    /// Number of comprehension-variable slots evaluation needs.
    let localSlots: Int

    /// The type of the whole expression.
    public var resultType: CELType { types[root.id] ?? .dyn }

    /// The environment's variables (by slot, the index of their declaration) that the expression
    /// reads — so a host builds only the values an expression can see.
    public var variableSlots: Set<Int> {
        Set(references.values.compactMap { if case .global(let slot) = $0 { slot } else { nil } })
    }

    /// The slot of the declared variable an identifier node names (nil for anything else: another
    /// kind of node, a comprehension variable, a type name) — so that a host compiling the tree
    /// its own way knows what each name refers to.
    public func variableSlot(of node: Expr) -> Int? {
        guard case .ident = node.kind, case .global(let slot)? = references[node.id] else { return nil }
        return slot
    }

    /// The fields of the variable in `slot` that the expression reads — only ever as `v.field` or
    /// `has(v.field)` — or nil when it uses the variable otherwise (whole, as a value), so that a
    /// host may build only those fields.
    public func fieldsRead(ofVariable slot: Int) -> Set<String>? {
        var fields: Set<String> = []
        var whole = false
        func isVariable(_ e: Expr) -> Bool {
            guard case .ident = e.kind, case .global(let s)? = references[e.id] else { return false }
            return s == slot
        }
        func walk(_ e: Expr) {
            switch e.kind {
            case .literal: break
            case .ident: if isVariable(e) { whole = true }
            case .select(let operand, let field, _):
                if isVariable(operand) { fields.insert(field) } else { walk(operand) }
            case .call(_, let target, let args):
                if let target { walk(target) }
                args.forEach(walk)
            case .list(let items): items.forEach(walk)
            case .map(let entries): entries.forEach { walk($0.key); walk($0.value) }
            case .comprehension(_, let range, _, let predicate, let transform):
                walk(range)
                if let predicate { walk(predicate) }
                if let transform { walk(transform) }
            }
        }
        walk(root)
        return whole ? nil : fields
    }
}
