import CovenantSource

/// An error raised while evaluating an expression. CEL errors are values that `&&`, `||` and the
/// comprehension macros may absorb; everywhere else they end the evaluation.
public struct EvalError: Error, Sendable, Hashable {
    /// What went wrong.
    public enum Kind: String, Sendable, Hashable {
        case noMatchingOverload = "no_matching_overload"
        case noSuchKey = "no_such_key"
        case noSuchField = "no_such_field"
        case unboundVariable = "unbound_variable"
        case overflow
        case divisionByZero = "division_by_zero"
        case moduloByZero = "modulo_by_zero"
        case indexOutOfRange = "index_out_of_range"
        case invalidArgument = "invalid_argument"
        case duplicateKey = "duplicate_key"
        case costLimit = "cost_limit"
    }

    /// The kind of error.
    public var kind: Kind
    /// A message in zh and en.
    public var message: LocalizedText
    /// The node that raised it, when known.
    public var node: ExprID?
    /// Byte offsets of that node in the expression.
    public var start: Int = 0
    /// End offset of that node.
    public var end: Int = 0

    init(_ kind: Kind, _ en: String, _ zh: String) {
        self.kind = kind
        self.message = LocalizedText(en: en, zh: zh)
    }

    static func noOverload(_ function: String, _ args: [Value]) -> EvalError {
        let types = args.map(\.typeName).joined(separator: ", ")
        return EvalError(.noMatchingOverload, "no matching overload for `\(function)` applied to (\(types))",
                         "函数 `\(function)` 没有适用于 (\(types)) 的重载")
    }

    static func overflow(_ what: String) -> EvalError {
        let zh = ["integer": "整数", "unsigned integer": "无符号整数", "timestamp": "时间戳", "duration": "时长"][what] ?? what
        return EvalError(.overflow, "\(what) overflow", "\(zh)溢出")
    }

    static let divisionByZero = EvalError(.divisionByZero, "division by zero", "除数为零")
    static let moduloByZero = EvalError(.moduloByZero, "modulus by zero", "取模的除数为零")

    static func noSuchKey(_ key: String) -> EvalError {
        EvalError(.noSuchKey, "no such key: `\(key)`", "没有这个键：`\(key)`")
    }

    static func invalid(_ en: String, _ zh: String) -> EvalError {
        EvalError(.invalidArgument, en, zh)
    }
}
