/// CEL equality: heterogeneous (values of different types are unequal, never an error), numbers
/// compare by value across int, uint and double, NaN equals nothing, strings compare by code points,
/// lists element-wise, maps by key set and values.
func celEquals(_ a: Value, _ b: Value) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.int(let x), .int(let y)): return x == y
    case (.uint(let x), .uint(let y)): return x == y
    case (.double(let x), .double(let y)): return x == y
    case (.int, .uint), (.int, .double), (.uint, .int), (.uint, .double), (.double, .int), (.double, .uint):
        return compareNumbers(a, b) == 0
    case (.string(let x), .string(let y)): return ScalarString(x) == ScalarString(y)
    case (.bytes(let x), .bytes(let y)): return x == y
    case (.list(let x), .list(let y)):
        guard x.count == y.count else { return false }
        for i in x.indices where !celEquals(x[i], y[i]) { return false }
        return true
    case (.map(let x), .map(let y)):
        guard x.count == y.count else { return false }
        for (key, value) in x.entries {
            guard let other = y[key], celEquals(value, other) else { return false }
        }
        return true
    case (.timestamp(let x), .timestamp(let y)): return x == y
    case (.duration(let x), .duration(let y)): return x == y
    case (.type(let x), .type(let y)): return x.runtimeName == y.runtimeName
    default: return false
    }
}

/// Orders two numbers of any numeric types: -1, 0, 1, or nil when either is NaN or a value is not
/// a number. int and uint compare exactly; an int or uint compared with a double is converted to
/// double once the double is known to lie within the integer type's range, as cel-spec's
/// conformance tests require (`dyn(9223372036854775807) == 9223372036854775808.0` is true, since
/// the int converts to exactly that double).
func compareNumbers(_ a: Value, _ b: Value) -> Int? {
    switch (a, b) {
    case (.int(let x), .int(let y)): return x < y ? -1 : (x == y ? 0 : 1)
    case (.uint(let x), .uint(let y)): return x < y ? -1 : (x == y ? 0 : 1)
    case (.double(let x), .double(let y)): return compareDoubles(x, y)
    case (.int(let x), .uint(let y)):
        if x < 0 { return -1 }
        let ux = UInt64(x)
        return ux < y ? -1 : (ux == y ? 0 : 1)
    case (.uint, .int): return compareNumbers(b, a).map { -$0 }
    case (.int(let x), .double(let y)): return compareIntDouble(x, y)
    case (.double, .int): return compareNumbers(b, a).map { -$0 }
    case (.uint(let x), .double(let y)): return compareUIntDouble(x, y)
    case (.double, .uint): return compareNumbers(b, a).map { -$0 }
    default: return nil
    }
}

private func compareDoubles(_ x: Double, _ y: Double) -> Int? {
    if x.isNaN || y.isNaN { return nil }
    return x < y ? -1 : (x == y ? 0 : 1)
}

private func compareIntDouble(_ x: Int64, _ y: Double) -> Int? {
    if y.isNaN { return nil }
    if y < -9223372036854775808.0 { return 1 }
    if y > 9223372036854775808.0 { return -1 }
    return compareDoubles(Double(x), y)
}

private func compareUIntDouble(_ x: UInt64, _ y: Double) -> Int? {
    if y.isNaN { return nil }
    if y < 0 { return 1 }
    if y > 18446744073709551616.0 { return -1 }
    return compareDoubles(Double(x), y)
}

/// CEL ordering for `<`, `<=`, `>`, `>=`: numbers across types, strings by code point, bytes,
/// bools, timestamps and durations. Returns nil for NaN (every comparison with NaN is false);
/// throws when the operands cannot be ordered.
func celCompare(_ a: Value, _ b: Value, _ function: String) throws(EvalError) -> Int? {
    switch (a, b) {
    case (.int, .int), (.uint, .uint), (.double, .double), (.int, .uint), (.int, .double), (.uint, .int),
         (.uint, .double), (.double, .int), (.double, .uint):
        return compareNumbers(a, b)
    case (.string(let x), .string(let y)):
        return lexicographic(x.utf8, y.utf8)
    case (.bytes(let x), .bytes(let y)):
        return lexicographic(x, y)
    case (.bool(let x), .bool(let y)):
        return x == y ? 0 : (!x ? -1 : 1)
    case (.timestamp(let x), .timestamp(let y)):
        return x < y ? -1 : (x == y ? 0 : 1)
    case (.duration(let x), .duration(let y)):
        return x < y ? -1 : (x == y ? 0 : 1)
    default:
        throw EvalError.noOverload(function, [a, b])
    }
}

private func lexicographic<C: Collection>(_ x: C, _ y: C) -> Int where C.Element == UInt8 {
    var i = x.makeIterator()
    var j = y.makeIterator()
    while true {
        switch (i.next(), j.next()) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case (let p?, let q?): if p != q { return p < q ? -1 : 1 }
        }
    }
}
