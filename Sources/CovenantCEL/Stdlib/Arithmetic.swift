/// `+ - * / %` and unary minus, with int64/uint64 overflow errors, division and modulo by zero
/// errors, no implicit int/double mixing, and timestamp/duration arithmetic.
extension StandardLibrary {
    static let arithmetic: [FunctionDef] = [
        FunctionDef(name: "_+_", overloads: [
            Overload("add_int64", [.int, .int], .int),
            Overload("add_uint64", [.uint, .uint], .uint),
            Overload("add_double", [.double, .double], .double),
            Overload("add_string", [.string, .string], .string),
            Overload("add_bytes", [.bytes, .bytes], .bytes),
            Overload("add_list", [.list(.param("A")), .list(.param("A"))], .list(.param("A"))),
            Overload("add_timestamp_duration", [.timestamp, .duration], .timestamp),
            Overload("add_duration_timestamp", [.duration, .timestamp], .timestamp),
            Overload("add_duration_duration", [.duration, .duration], .duration),
        ], implementation: .binary(add)),
        FunctionDef(name: "_-_", overloads: [
            Overload("subtract_int64", [.int, .int], .int),
            Overload("subtract_uint64", [.uint, .uint], .uint),
            Overload("subtract_double", [.double, .double], .double),
            Overload("subtract_timestamp_timestamp", [.timestamp, .timestamp], .duration),
            Overload("subtract_timestamp_duration", [.timestamp, .duration], .timestamp),
            Overload("subtract_duration_duration", [.duration, .duration], .duration),
        ], implementation: .binary(subtract)),
        FunctionDef(name: "_*_", overloads: [
            Overload("multiply_int64", [.int, .int], .int),
            Overload("multiply_uint64", [.uint, .uint], .uint),
            Overload("multiply_double", [.double, .double], .double),
        ], implementation: .binary(multiply)),
        FunctionDef(name: "_/_", overloads: [
            Overload("divide_int64", [.int, .int], .int),
            Overload("divide_uint64", [.uint, .uint], .uint),
            Overload("divide_double", [.double, .double], .double),
        ], implementation: .binary(divide)),
        FunctionDef(name: "_%_", overloads: [
            Overload("modulo_int64", [.int, .int], .int),
            Overload("modulo_uint64", [.uint, .uint], .uint),
        ], implementation: .binary(modulo)),
        FunctionDef(name: "-_", overloads: [
            Overload("negate_int64", [.int], .int),
            Overload("negate_double", [.double], .double),
        ], implementation: .unary(negate)),
    ]

    @Sendable static func add(_ a: Value, _ b: Value) throws(EvalError) -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (r, o) = x.addingReportingOverflow(y)
            if o { throw .overflow("integer") }
            return .int(r)
        case (.uint(let x), .uint(let y)):
            let (r, o) = x.addingReportingOverflow(y)
            if o { throw .overflow("unsigned integer") }
            return .uint(r)
        case (.double(let x), .double(let y)): return .double(x + y)
        case (.string(let x), .string(let y)): return .string(x + y)
        case (.bytes(let x), .bytes(let y)): return .bytes(x + y)
        case (.list(let x), .list(let y)): return .list(x + y)
        case (.timestamp(let t), .duration(let d)), (.duration(let d), .timestamp(let t)):
            guard let r = Timestamp(totalNanos: t.totalNanos + d.nanoseconds) else { throw .overflow("timestamp") }
            return .timestamp(r)
        case (.duration(let x), .duration(let y)):
            guard let r = CELDuration(nanoseconds: x.nanoseconds + y.nanoseconds) else { throw .overflow("duration") }
            return .duration(r)
        default: throw .noOverload("_+_", [a, b])
        }
    }

    @Sendable static func subtract(_ a: Value, _ b: Value) throws(EvalError) -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (r, o) = x.subtractingReportingOverflow(y)
            if o { throw .overflow("integer") }
            return .int(r)
        case (.uint(let x), .uint(let y)):
            let (r, o) = x.subtractingReportingOverflow(y)
            if o { throw .overflow("unsigned integer") }
            return .uint(r)
        case (.double(let x), .double(let y)): return .double(x - y)
        case (.timestamp(let x), .timestamp(let y)):
            guard let r = CELDuration(nanoseconds: x.totalNanos - y.totalNanos) else { throw .overflow("duration") }
            return .duration(r)
        case (.timestamp(let t), .duration(let d)):
            guard let r = Timestamp(totalNanos: t.totalNanos - d.nanoseconds) else { throw .overflow("timestamp") }
            return .timestamp(r)
        case (.duration(let x), .duration(let y)):
            guard let r = CELDuration(nanoseconds: x.nanoseconds - y.nanoseconds) else { throw .overflow("duration") }
            return .duration(r)
        default: throw .noOverload("_-_", [a, b])
        }
    }

    @Sendable static func multiply(_ a: Value, _ b: Value) throws(EvalError) -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (r, o) = x.multipliedReportingOverflow(by: y)
            if o { throw .overflow("integer") }
            return .int(r)
        case (.uint(let x), .uint(let y)):
            let (r, o) = x.multipliedReportingOverflow(by: y)
            if o { throw .overflow("unsigned integer") }
            return .uint(r)
        case (.double(let x), .double(let y)): return .double(x * y)
        default: throw .noOverload("_*_", [a, b])
        }
    }

    @Sendable static func divide(_ a: Value, _ b: Value) throws(EvalError) -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            if y == 0 { throw .divisionByZero }
            let (r, o) = x.dividedReportingOverflow(by: y)
            if o { throw .overflow("integer") }
            return .int(r)
        case (.uint(let x), .uint(let y)):
            if y == 0 { throw .divisionByZero }
            return .uint(x / y)
        case (.double(let x), .double(let y)): return .double(x / y)
        default: throw .noOverload("_/_", [a, b])
        }
    }

    @Sendable static func modulo(_ a: Value, _ b: Value) throws(EvalError) -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            if y == 0 { throw .moduloByZero }
            let (r, o) = x.remainderReportingOverflow(dividingBy: y)
            if o { throw .overflow("integer") }
            return .int(r)
        case (.uint(let x), .uint(let y)):
            if y == 0 { throw .moduloByZero }
            return .uint(x % y)
        default: throw .noOverload("_%_", [a, b])
        }
    }

    @Sendable static func negate(_ a: Value) throws(EvalError) -> Value {
        switch a {
        case .int(let x):
            if x == .min { throw .overflow("integer") }
            return .int(-x)
        case .double(let x): return .double(-x)
        default: throw .noOverload("-_", [a])
        }
    }
}
