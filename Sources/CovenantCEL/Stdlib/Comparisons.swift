/// `== != < <= > >= !` — equality is defined for all types; ordering for numbers (across int,
/// uint and double, as the current CEL definition allows), strings, bytes, bools, timestamps and
/// durations.
extension StandardLibrary {
    static let orderedTypes: [CELType] = [.bool, .int, .uint, .double, .string, .bytes, .timestamp, .duration]
    static let numericTypes: [CELType] = [.int, .uint, .double]

    static func orderingOverloads(_ name: String) -> [Overload] {
        var list = orderedTypes.map { Overload("\(name)_\($0.runtimeName)", [$0, $0], .bool) }
        for x in numericTypes {
            for y in numericTypes where x != y {
                list.append(Overload("\(name)_\(x)_\(y)", [x, y], .bool))
            }
        }
        return list
    }

    static let comparisons: [FunctionDef] = [
        FunctionDef(name: "_==_", overloads: [Overload("equals", [.param("A"), .param("A")], .bool)],
                    implementation: .binary { a, b in .bool(celEquals(a, b)) }),
        FunctionDef(name: "_!=_", overloads: [Overload("not_equals", [.param("A"), .param("A")], .bool)],
                    implementation: .binary { a, b in .bool(!celEquals(a, b)) }),
        FunctionDef(name: "_<_", overloads: orderingOverloads("less"),
                    implementation: .binary { a, b throws(EvalError) in
                        .bool(try celCompare(a, b, "_<_").map { $0 < 0 } ?? false) }),
        FunctionDef(name: "_<=_", overloads: orderingOverloads("less_equals"),
                    implementation: .binary { a, b throws(EvalError) in
                        .bool(try celCompare(a, b, "_<=_").map { $0 <= 0 } ?? false) }),
        FunctionDef(name: "_>_", overloads: orderingOverloads("greater"),
                    implementation: .binary { a, b throws(EvalError) in
                        .bool(try celCompare(a, b, "_>_").map { $0 > 0 } ?? false) }),
        FunctionDef(name: "_>=_", overloads: orderingOverloads("greater_equals"),
                    implementation: .binary { a, b throws(EvalError) in
                        .bool(try celCompare(a, b, "_>=_").map { $0 >= 0 } ?? false) }),
        FunctionDef(name: "!_", overloads: [Overload("logical_not", [.bool], .bool)],
                    implementation: .unary { a throws(EvalError) in
                        guard case .bool(let b) = a else { throw .noOverload("!_", [a]) }
                        return .bool(!b)
                    }),
    ]
}
