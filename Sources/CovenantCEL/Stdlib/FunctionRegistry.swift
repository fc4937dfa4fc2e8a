/// One typed signature of a function, as the checker sees it. For receiver-style overloads
/// (`x.f(y)`) the receiver is `params[0]`.
struct Overload: Sendable {
    let id: String
    let member: Bool
    let params: [CELType]
    let result: CELType

    init(_ id: String, member: Bool = false, _ params: [CELType], _ result: CELType) {
        self.id = id
        self.member = member
        self.params = params
        self.result = result
    }
}

/// How a function runs. Implementations dispatch on the runtime values (CEL is dynamically typed;
/// the checker only narrows what can reach them) and throw `no_matching_overload` otherwise.
enum Implementation: Sendable {
    case unary(@Sendable (Value) throws(EvalError) -> Value)
    case binary(@Sendable (Value, Value) throws(EvalError) -> Value)
    case nary(@Sendable ([Value]) throws(EvalError) -> Value)
}

/// A function: its name, its signatures and its implementation.
struct FunctionDef: Sendable {
    let name: String
    let overloads: [Overload]
    let implementation: Implementation
}

/// The standard functions of our CEL subset, by name.
package enum StandardLibrary {
    static let functions: [String: FunctionDef] = {
        var table: [String: FunctionDef] = [:]
        for def in arithmetic + comparisons + collections + strings + conversions + time {
            precondition(table[def.name] == nil, "duplicate function \(def.name)")
            table[def.name] = def
        }
        return table
    }()
}
