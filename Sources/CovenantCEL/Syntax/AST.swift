/// Identifies one node of an expression tree; side tables (types, explanations) are keyed by it.
public struct ExprID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The number, unique within one parsed expression, in pre-order.
    public let raw: Int32

    public static func < (a: ExprID, b: ExprID) -> Bool { a.raw < b.raw }
    public var description: String { "#\(raw)" }
}

/// A literal constant.
public enum Literal: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
}

/// The comprehension macros of CEL.
public enum MacroKind: String, Sendable, Hashable {
    case all
    case exists
    case existsOne = "exists_one"
    case map
    case filter
}

/// One node of a parsed expression. The tree is immutable; facts about it live in side tables.
public struct Expr: Sendable {
    /// The node's id.
    public let id: ExprID
    /// UTF-8 byte offset where the node's text starts.
    public let start: Int
    /// UTF-8 byte offset where it ends (exclusive).
    public let end: Int
    /// What kind of node it is.
    public let kind: Kind

    /// The kinds of expression node.
    public indirect enum Kind: Sendable {
        case literal(Literal)
        case ident(String)
        /// `operand.field`; with `testOnly` it is the `has(operand.field)` macro.
        case select(operand: Expr, field: String, testOnly: Bool)
        /// A function or operator call; operators use names like `_+_`, `_[_]`, `@in`.
        case call(function: String, target: Expr?, args: [Expr])
        case list([Expr])
        case map([MapEntry])
        /// `range.all(v, predicate)` and friends; `transform` is used by `map`, and a three-argument
        /// `map(v, filter, transform)` keeps its filter in `predicate`.
        case comprehension(macro: MacroKind, range: Expr, variable: String, predicate: Expr?, transform: Expr?)
    }

    /// A `key: value` entry of a map literal.
    public struct MapEntry: Sendable {
        public let key: Expr
        public let value: Expr
    }
}

extension Expr {
    /// Visits this node and every descendant, in pre-order.
    public func forEach(_ body: (Expr) -> Void) {
        var stack: [Expr] = [self]
        while let node = stack.popLast() {
            body(node)
            switch node.kind {
            case .literal, .ident: break
            case .select(let operand, _, _): stack.append(operand)
            case .call(_, let target, let args):
                stack.append(contentsOf: args.reversed())
                if let target { stack.append(target) }
            case .list(let items): stack.append(contentsOf: items.reversed())
            case .map(let entries):
                for entry in entries.reversed() {
                    stack.append(entry.value)
                    stack.append(entry.key)
                }
            case .comprehension(_, let range, _, let predicate, let transform):
                if let transform { stack.append(transform) }
                if let predicate { stack.append(predicate) }
                stack.append(range)
            }
        }
    }

    /// Number of nodes in the tree.
    public var nodeCount: Int {
        var n = 0
        forEach { _ in n += 1 }
        return n
    }
}
