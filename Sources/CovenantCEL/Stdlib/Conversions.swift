/// Type conversions `int`, `uint`, `double`, `string`, `bool`, `bytes`, `dyn`, `type`,
/// `timestamp`, `duration`; every conversion that exceeds the target's range is an error.
extension StandardLibrary {
    static let conversions: [FunctionDef] = [
        FunctionDef(name: "int", overloads: [
            Overload("int64_to_int64", [.int], .int), Overload("uint64_to_int64", [.uint], .int),
            Overload("double_to_int64", [.double], .int), Overload("string_to_int64", [.string], .int),
            Overload("timestamp_to_int64", [.timestamp], .int),
        ], implementation: .unary(toInt)),
        FunctionDef(name: "uint", overloads: [
            Overload("uint64_to_uint64", [.uint], .uint), Overload("int64_to_uint64", [.int], .uint),
            Overload("double_to_uint64", [.double], .uint), Overload("string_to_uint64", [.string], .uint),
        ], implementation: .unary(toUInt)),
        FunctionDef(name: "double", overloads: [
            Overload("double_to_double", [.double], .double), Overload("int64_to_double", [.int], .double),
            Overload("uint64_to_double", [.uint], .double), Overload("string_to_double", [.string], .double),
        ], implementation: .unary(toDouble)),
        FunctionDef(name: "string", overloads: [
            Overload("string_to_string", [.string], .string), Overload("int64_to_string", [.int], .string),
            Overload("uint64_to_string", [.uint], .string), Overload("double_to_string", [.double], .string),
            Overload("bytes_to_string", [.bytes], .string), Overload("bool_to_string", [.bool], .string),
            Overload("timestamp_to_string", [.timestamp], .string),
            Overload("duration_to_string", [.duration], .string),
        ], implementation: .unary(toString)),
        FunctionDef(name: "bool", overloads: [
            Overload("bool_to_bool", [.bool], .bool), Overload("string_to_bool", [.string], .bool),
        ], implementation: .unary(toBool)),
        FunctionDef(name: "bytes", overloads: [
            Overload("bytes_to_bytes", [.bytes], .bytes), Overload("string_to_bytes", [.string], .bytes),
        ], implementation: .unary { v throws(EvalError) in
            switch v {
            case .bytes: return v
            case .string(let s): return .bytes(Array(s.utf8))
            default: throw .noOverload("bytes", [v])
            }
        }),
        FunctionDef(name: "dyn", overloads: [Overload("to_dyn", [.param("A")], .dyn)],
                    implementation: .unary { v in v }),
        FunctionDef(name: "type", overloads: [Overload("type", [.param("A")], .type(.param("A")))],
                    implementation: .unary { v in .type(v.runtimeType) }),
        FunctionDef(name: "timestamp", overloads: [
            Overload("string_to_timestamp", [.string], .timestamp),
            Overload("int64_to_timestamp", [.int], .timestamp),
            Overload("timestamp_to_timestamp", [.timestamp], .timestamp),
        ], implementation: .unary { v throws(EvalError) in
            switch v {
            case .timestamp: return v
            case .string(let s):
                guard let t = Timestamp.parse(s) else {
                    throw .invalid("invalid timestamp `\(s)`: expected RFC 3339 such as 2026-11-03T21:40:00+08:00",
                                   "无效的时间戳 `\(s)`：应为 RFC 3339 格式，如 2026-11-03T21:40:00+08:00")
                }
                return .timestamp(t)
            case .int(let i):
                guard let t = Timestamp(seconds: i) else { throw .overflow("timestamp") }
                return .timestamp(t)
            default: throw .noOverload("timestamp", [v])
            }
        }),
        FunctionDef(name: "duration", overloads: [
            Overload("string_to_duration", [.string], .duration),
            Overload("duration_to_duration", [.duration], .duration),
        ], implementation: .unary { v throws(EvalError) in
            switch v {
            case .duration: return v
            case .string(let s):
                guard let d = CELDuration.parse(s) else {
                    throw .invalid("invalid duration `\(s)`: expected e.g. 90s, 1h30m, 1.5h",
                                   "无效的时长 `\(s)`：应如 90s、1h30m、1.5h")
                }
                return .duration(d)
            default: throw .noOverload("duration", [v])
            }
        }),
    ]

    static func rangeError(_ target: String) -> EvalError {
        EvalError(.overflow, "value out of range for \(target)", "数值超出 \(target) 的范围")
    }

    @Sendable static func toInt(_ v: Value) throws(EvalError) -> Value {
        switch v {
        case .int: return v
        case .uint(let u):
            guard u <= UInt64(Int64.max) else { throw rangeError("int") }
            return .int(Int64(u))
        case .double(let d):
            guard d.isFinite, d > -9223372036854775809.0, d < 9223372036854775808.0 else { throw rangeError("int") }
            return .int(Int64(d.rounded(.towardZero)))
        case .string(let s):
            guard let i = Int64(s) else {
                throw .invalid("cannot convert `\(s)` to int", "无法把 `\(s)` 转换为 int")
            }
            return .int(i)
        case .timestamp(let t): return .int(t.seconds)
        default: throw .noOverload("int", [v])
        }
    }

    @Sendable static func toUInt(_ v: Value) throws(EvalError) -> Value {
        switch v {
        case .uint: return v
        case .int(let i):
            guard i >= 0 else { throw rangeError("uint") }
            return .uint(UInt64(i))
        case .double(let d):
            // The double itself must lie in uint's range: `uint(-0.5)` is an error, not 0.
            guard d.isFinite, d >= 0, d < 18446744073709551616.0 else { throw rangeError("uint") }
            return .uint(UInt64(d.rounded(.towardZero)))
        case .string(let s):
            // Digits only, as cel-go's strconv.ParseUint: no sign (`-0` and `+1` are errors).
            guard s.utf8.first.map({ $0 >= 0x30 && $0 <= 0x39 }) == true, let u = UInt64(s) else {
                throw .invalid("cannot convert `\(s)` to uint", "无法把 `\(s)` 转换为 uint")
            }
            return .uint(u)
        default: throw .noOverload("uint", [v])
        }
    }

    @Sendable static func toDouble(_ v: Value) throws(EvalError) -> Value {
        switch v {
        case .double: return v
        case .int(let i): return .double(Double(i))
        case .uint(let u): return .double(Double(u))
        case .string(let s):
            // A hexadecimal float needs its `p` exponent, as cel-go's strconv.ParseFloat (Swift
            // would read `0x10` as 16).
            let lower = s.lowercased()
            guard !s.isEmpty, !lower.contains("x") || lower.contains("p"), let d = Double(s) else {
                throw .invalid("cannot convert `\(s)` to double", "无法把 `\(s)` 转换为 double")
            }
            // "Infinity" and "NaN" convert; a finite number too large for a double does not.
            if d.isInfinite, !s.lowercased().hasSuffix("inf"), !s.lowercased().hasSuffix("infinity") {
                throw rangeError("double")
            }
            return .double(d)
        default: throw .noOverload("double", [v])
        }
    }

    @Sendable static func toString(_ v: Value) throws(EvalError) -> Value {
        switch v {
        case .string: return v
        case .int(let i): return .string(String(i))
        case .uint(let u): return .string(String(u))
        case .double(let d): return .string(formatDoubleG(d))
        case .bool(let b): return .string(b ? "true" : "false")
        case .bytes(let b):
            guard let s = String(validating: b, as: UTF8.self) else {
                throw .invalid("bytes are not valid UTF-8", "字节序列不是有效的 UTF-8")
            }
            return .string(s)
        case .timestamp(let t): return .string(t.rfc3339)
        case .duration(let d): return .string(d.celString)
        default: throw .noOverload("string", [v])
        }
    }

    @Sendable static func toBool(_ v: Value) throws(EvalError) -> Value {
        switch v {
        case .bool: return v
        case .string(let s):
            switch s {
            case "true", "True", "TRUE", "t", "T", "1": return .bool(true)
            case "false", "False", "FALSE", "f", "F", "0": return .bool(false)
            default: throw .invalid("cannot convert `\(s)` to bool", "无法把 `\(s)` 转换为 bool")
            }
        default: throw .noOverload("bool", [v])
        }
    }

    /// Formats a double as `%g` does with the shortest round-trip digits (as cel-go's `string()`):
    /// `1`, `0.1`, `123.456`, `1e+06`, `1.5e-07`, `+Inf`, `NaN`.
    static func formatDoubleG(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Inf" : "+Inf" }
        if d == 0 { return d.sign == .minus ? "-0" : "0" }
        // Shortest round-trip digits and decimal exponent, from Swift's own shortest formatting.
        let text = "\(abs(d))"
        var mantissa = text
        var exp10 = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(text[..<e])
            exp10 = Int(text[text.index(after: e)...])!
        }
        var intPart = mantissa
        var fracPart = ""
        if let dot = mantissa.firstIndex(of: ".") {
            intPart = String(mantissa[..<dot])
            fracPart = String(mantissa[mantissa.index(after: dot)...])
        }
        var digits = intPart + fracPart
        var dp = intPart.count + exp10  // position of the decimal point within digits
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            dp -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        let sign = d < 0 ? "-" : ""
        let exp = dp - 1
        if exp < -4 || exp >= 6 {
            var out = sign + String(digits.first!)
            if digits.count > 1 { out += "." + digits.dropFirst() }
            let e = abs(exp)
            out += (exp < 0 ? "e-" : "e+") + (e < 10 ? "0" : "") + String(e)
            return out
        }
        if dp <= 0 {
            return sign + "0." + String(repeating: "0", count: -dp) + digits
        }
        if dp >= digits.count {
            return sign + digits + String(repeating: "0", count: dp - digits.count)
        }
        let idx = digits.index(digits.startIndex, offsetBy: dp)
        return sign + digits[..<idx] + "." + digits[idx...]
    }
}
