import CovenantSource

/// Where an expression's text comes from, so that positions inside it can be reported as
/// positions in the file that holds it (e.g. a rule file's line 41, column 16).
public struct CELSource: Sendable, Hashable {
    /// The file name printed in diagnostics (`<expr>` for the command line).
    public var file: String
    /// The expression text.
    public var text: String
    /// Where the expression's first character is in the file.
    public var origin: SourceLocation
    /// For expressions spanning several lines (YAML block scalars): the column where continuation
    /// lines start in the file; nil means continuation lines start at column 1.
    public var continuationColumn: Int?
    /// Where each UTF-8 byte of `text` (and its end) is in the file, when the host knows it: the
    /// text of a YAML scalar is not always its source (folded lines, quotes' escapes), so only a
    /// position per byte places a caret right. Takes precedence over `origin` and
    /// `continuationColumn`.
    public var positions: [SourceLocation]?

    /// Creates a source.
    public init(file: String = "<expr>", text: String, origin: SourceLocation = SourceLocation(line: 1, column: 1),
                continuationColumn: Int? = nil, positions: [SourceLocation]? = nil) {
        self.file = file
        self.text = text
        self.origin = origin
        self.continuationColumn = continuationColumn
        self.positions = positions
    }

    /// The file position of a UTF-8 byte offset in the expression.
    public func location(ofOffset offset: Int) -> SourceLocation {
        if let positions, !positions.isEmpty {
            return positions[max(0, min(offset, positions.count - 1))]
        }
        let local = SourceText(name: file, text: text).location(ofUTF8Offset: offset)
        if local.line == 1 {
            return SourceLocation(line: origin.line, column: origin.column + local.column - 1, offset: -1)
        }
        return SourceLocation(line: origin.line + local.line - 1,
                              column: (continuationColumn ?? 1) + local.column - 1, offset: -1)
    }

    /// The diagnostic for an issue found in this source.
    public func diagnostic(for issue: CELIssue) -> Diagnostic {
        let span = SourceSpan(file: file, start: location(ofOffset: issue.start), end: location(ofOffset: issue.end))
        return Diagnostic(.error, code: issue.code, message: issue.message, span: span, help: issue.help)
    }

    /// The diagnostic for an evaluation error raised by an expression from this source.
    public func diagnostic(for error: EvalError) -> Diagnostic {
        let span = error.node == nil ? nil
            : SourceSpan(file: file, start: location(ofOffset: error.start), end: location(ofOffset: error.end))
        return Diagnostic(.error, code: "E0301", message: error.message, span: span)
    }
}

/// Expressions that failed to compile, with every issue found.
public struct CELCompileError: Error, Sendable {
    /// The issues, in the order found.
    public var issues: [CELIssue]
}

/// The declarations expressions are compiled against: variables with their types, and limits.
///
/// An environment is an immutable value; compile once, then evaluate the ``CELProgram`` as often
/// as needed, from any thread.
public struct CELEnvironment: Sendable {
    /// Declared variables in slot order.
    public let variables: [(name: String, type: CELType)]
    /// Resource limits.
    public let limits: CELLimits
    let slots: [String: (slot: Int, type: CELType)]

    /// Declares variables (in the given order, which fixes their activation slots).
    public init(variables: [(name: String, type: CELType)] = [], limits: CELLimits = .default) {
        self.variables = variables
        self.limits = limits
        var slots: [String: (slot: Int, type: CELType)] = [:]
        for (i, v) in variables.enumerated() { slots[v.name] = (i, v.type) }
        self.slots = slots
    }

    /// Parses an expression; the tree is not type-checked.
    public func parse(_ text: String) throws(CELCompileError) -> Expr {
        do {
            return try Parser.parse(text, limits: limits)
        } catch {
            throw CELCompileError(issues: [error.issue])
        }
    }

    /// Parses and type-checks an expression.
    public func check(_ text: String) throws(CELCompileError) -> CheckedExpr {
        let expr = try parse(text)
        var checker = Checker(variables: slots, limits: limits, text: Array(text.utf8))
        _ = checker.check(expr)
        if !checker.issues.isEmpty { throw CELCompileError(issues: checker.issues) }
        return CheckedExpr(root: expr, types: checker.types, references: checker.references,
                           functions: checker.functions, localSlots: checker.maxLocals)
    }

    /// Parses, checks and compiles an expression. With `expecting`, the result type must be
    /// assignable to it (e.g. `.bool` for a rule condition).
    public func compile(_ text: String, expecting: CELType? = nil) throws(CELCompileError) -> CELProgram {
        let checked = try check(text)
        if let expecting {
            let checker = Checker(variables: slots, limits: limits)
            if !checker.isAssignable(checked.resultType, to: expecting) {
                throw CELCompileError(issues: [CELIssue(
                    code: "E0210",
                    message: .init(en: "expression must be of type `\(expecting)`, found `\(checked.resultType)`",
                                   zh: "表达式的类型必须是 `\(expecting)`，实际为 `\(checked.resultType)`"),
                    start: checked.root.start, end: checked.root.end)])
            }
        }
        return CELProgram(checked: checked, limits: limits, evaluate: Interpreter(checked: checked, maxCost: limits.maxCost).compile())
    }

    /// An activation binding names to values; names this environment does not declare are ignored.
    public func activation(_ bindings: [String: Value]) -> Activation {
        var values = ContiguousArray<Value?>(repeating: nil, count: variables.count)
        for (name, value) in bindings {
            if let slot = slots[name]?.slot { values[slot] = value }
        }
        return Activation(values: values)
    }
}

/// Values for an environment's variables, by slot.
public struct Activation: Sendable {
    var values: ContiguousArray<Value?>

    /// Sets the value of the variable in `slot` (the index of its declaration).
    public subscript(slot: Int) -> Value? {
        get { values[slot] }
        set { values[slot] = newValue }
    }
}

/// A compiled expression: stateless, thread-safe, evaluated many times.
public struct CELProgram: Sendable {
    /// The checked expression it was compiled from (for explanations).
    public let checked: CheckedExpr
    let limits: CELLimits
    /// The compiled code, shared by reference.
    public let evaluator: CELEvaluator

    init(checked: CheckedExpr, limits: CELLimits, evaluate: @escaping Eval) {
        self.checked = checked
        self.limits = limits
        self.evaluator = CELEvaluator(run: evaluate, maxCost: limits.maxCost)
    }

    /// The static type of the result.
    public var resultType: CELType { checked.resultType }

    /// Evaluates the expression with the given variable values.
    public func evaluate(_ activation: Activation) throws(EvalError) -> Value {
        try evaluator.evaluate(activation)
    }
}

/// The compiled code of a program and nothing else, shared by reference: what a caller that
/// evaluates one program per record on many threads keeps (copying it is one reference, where a
/// ``CELProgram`` also carries its checked tree).
public final class CELEvaluator: Sendable {
    let run: Eval
    let maxCost: Int

    init(run: @escaping Eval, maxCost: Int) {
        self.run = run
        self.maxCost = maxCost
    }

    /// Evaluates the expression with the given variable values.
    public func evaluate(_ activation: Activation) throws(EvalError) -> Value {
        var state = EvalState(globals: activation.values, locals: [], cost: 0, maxCost: maxCost)
        return try run(&state)
    }
}
