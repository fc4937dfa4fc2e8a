import CovenantSource

/// Reading values from JSON text and writing them as JSON.
///
/// Reading follows RFC 8259 strictly. Numbers without a fraction or exponent become `int` (or
/// `uint` above the int64 range); other numbers become `double`. Objects become maps with string
/// keys; duplicate keys are an error. Errors carry the line and column.
public enum JSON {
    /// A JSON syntax error with its position.
    public struct SyntaxError: Error, Sendable, Hashable {
        /// What is wrong.
        public var message: LocalizedText
        /// Where (1-based line and column in code points).
        public var location: SourceLocation
    }

    /// Parses one JSON value (surrounding whitespace allowed).
    public static func parse(_ text: String, maxDepth: Int = 128) throws(SyntaxError) -> Value {
        try parse(validUTF8: Array(text.utf8), maxDepth: maxDepth)
    }

    /// Parses one JSON value from bytes that are known to be valid UTF-8 (see ``UTF8Validation``),
    /// without first making a `String` of them: the record readers' fast path.
    public static func parse(validUTF8 bytes: [UInt8], maxDepth: Int = 128) throws(SyntaxError) -> Value {
        var reader = Reader(bytes: bytes, maxDepth: maxDepth)
        reader.skipSpace()
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        if reader.pos < reader.bytes.count { throw reader.error("unexpected text after the JSON value", "JSON 值之后有多余的内容") }
        return value
    }

    struct Reader {
        let bytes: [UInt8]
        let maxDepth: Int
        var pos = 0

        init(bytes: [UInt8], maxDepth: Int) {
            self.bytes = bytes
            self.maxDepth = maxDepth
        }

        /// An error at the current position (the text is decoded only now, to count columns).
        func error(_ en: String, _ zh: String) -> SyntaxError {
            let text = String(decoding: bytes, as: UTF8.self)
            let location = SourceText(name: "", text: text).location(ofUTF8Offset: pos)
            return SyntaxError(message: LocalizedText(en: en, zh: zh), location: location)
        }

        @inline(__always)
        mutating func skipSpace() {
            while pos < bytes.count {
                switch bytes[pos] {
                case 0x20, 0x09, 0x0A, 0x0D: pos += 1
                default: return
                }
            }
        }

        mutating func literal(_ word: String, _ value: Value) throws(SyntaxError) -> Value {
            let w = Array(word.utf8)
            guard pos + w.count <= bytes.count, Array(bytes[pos..<pos + w.count]) == w else {
                throw error("invalid JSON value", "无效的 JSON 值")
            }
            pos += w.count
            return value
        }

        mutating func value(depth: Int) throws(SyntaxError) -> Value {
            guard depth < maxDepth else {
                throw error("JSON nests deeper than the limit of \(maxDepth)", "JSON 嵌套超过上限 \(maxDepth) 层")
            }
            guard pos < bytes.count else { throw error("unexpected end of JSON", "JSON 意外结束") }
            switch bytes[pos] {
            case UInt8(ascii: "{"):
                pos += 1
                var map = MapValue(minimumCapacity: 8)
                skipSpace()
                if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") {
                    pos += 1
                    return .map(map)
                }
                while true {
                    skipSpace()
                    guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else {
                        throw error("expected a string key", "应为字符串键")
                    }
                    let keyPos = pos
                    let key = try string()
                    skipSpace()
                    guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else { throw error("expected `:`", "应为 `:`") }
                    pos += 1
                    skipSpace()
                    let v = try value(depth: depth + 1)
                    if map[key] != nil {
                        pos = keyPos
                        throw error("duplicate key `\(key)`", "键 `\(key)` 重复")
                    }
                    map.set(key, v)
                    skipSpace()
                    guard pos < bytes.count else { throw error("unexpected end of JSON", "JSON 意外结束") }
                    if bytes[pos] == UInt8(ascii: ",") {
                        pos += 1
                        continue
                    }
                    if bytes[pos] == UInt8(ascii: "}") {
                        pos += 1
                        return .map(map)
                    }
                    throw error("expected `,` or `}`", "应为 `,` 或 `}`")
                }
            case UInt8(ascii: "["):
                pos += 1
                var items: [Value] = []
                skipSpace()
                if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") {
                    pos += 1
                    return .list(items)
                }
                while true {
                    skipSpace()
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard pos < bytes.count else { throw error("unexpected end of JSON", "JSON 意外结束") }
                    if bytes[pos] == UInt8(ascii: ",") {
                        pos += 1
                        continue
                    }
                    if bytes[pos] == UInt8(ascii: "]") {
                        pos += 1
                        return .list(items)
                    }
                    throw error("expected `,` or `]`", "应为 `,` 或 `]`")
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            default: return try number()
            }
        }

        mutating func number() throws(SyntaxError) -> Value {
            let start = pos
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "-") { pos += 1 }
            let intStart = pos
            while pos < bytes.count, bytes[pos] >= 0x30, bytes[pos] <= 0x39 { pos += 1 }
            if pos == intStart { throw error("invalid JSON value", "无效的 JSON 值") }
            if bytes[intStart] == 0x30, pos - intStart > 1 {
                pos = intStart
                throw error("numbers may not have leading zeros", "数字不能有前导零")
            }
            var isDouble = false
            if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") {
                isDouble = true
                pos += 1
                let fracStart = pos
                while pos < bytes.count, bytes[pos] >= 0x30, bytes[pos] <= 0x39 { pos += 1 }
                if pos == fracStart { throw error("expected digits after `.`", "`.` 之后应有数字") }
            }
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
                isDouble = true
                pos += 1
                if pos < bytes.count, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") { pos += 1 }
                let expStart = pos
                while pos < bytes.count, bytes[pos] >= 0x30, bytes[pos] <= 0x39 { pos += 1 }
                if pos == expStart { throw error("expected digits in the exponent", "指数部分应有数字") }
            }
            if !isDouble, pos - intStart <= 18 {
                // Up to 18 digits always fit in an Int64: no text, no overflow check.
                var n: Int64 = 0
                for i in intStart..<pos { n = n * 10 + Int64(bytes[i] &- 0x30) }
                return .int(intStart > start ? -n : n)
            }
            let literal = String(decoding: bytes[start..<pos], as: UTF8.self)
            if !isDouble {
                if let i = Int64(literal) { return .int(i) }
                if let u = UInt64(literal) { return .uint(u) }
            }
            guard let d = Double(literal), d.isFinite else {
                pos = start
                throw error("number `\(literal)` is out of range", "数字 `\(literal)` 超出范围")
            }
            return .double(d)
        }

        mutating func string() throws(SyntaxError) -> String {
            pos += 1
            // Fast path: no escape before the closing quote — the bytes are the string (they are
            // valid UTF-8 already).
            let start = pos
            while pos < bytes.count {
                let c = bytes[pos]
                if c == UInt8(ascii: "\"") {
                    let s = bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<pos]), as: UTF8.self) }
                    pos += 1
                    return s
                }
                if c == UInt8(ascii: "\\") || c < 0x20 { break }
                pos += 1
            }
            var out: [UInt8] = Array(bytes[start..<pos])
            while true {
                guard pos < bytes.count else { throw error("unterminated string", "字符串未结束") }
                let c = bytes[pos]
                if c == UInt8(ascii: "\"") {
                    pos += 1
                    break
                }
                if c < 0x20 { throw error("control character in string", "字符串中有控制字符") }
                if c != UInt8(ascii: "\\") {
                    out.append(c)
                    pos += 1
                    continue
                }
                pos += 1
                guard pos < bytes.count else { throw error("unterminated string", "字符串未结束") }
                let e = bytes[pos]
                pos += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if scalar >= 0xD800, scalar < 0xDC00 {
                        guard pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") else {
                            throw error("unpaired surrogate in `\\u` escape", "`\\u` 转义中的代理项不成对")
                        }
                        pos += 2
                        let low = try hex4()
                        guard low >= 0xDC00, low < 0xE000 else {
                            throw error("unpaired surrogate in `\\u` escape", "`\\u` 转义中的代理项不成对")
                        }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if scalar >= 0xDC00, scalar < 0xE000 {
                        throw error("unpaired surrogate in `\\u` escape", "`\\u` 转义中的代理项不成对")
                    }
                    out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
                default:
                    pos -= 2
                    throw error("invalid escape in string", "字符串中有无效的转义")
                }
            }
            guard let s = String(validating: out, as: UTF8.self) else {
                throw error("string is not valid UTF-8", "字符串不是有效的 UTF-8")
            }
            return s
        }

        mutating func hex4() throws(SyntaxError) -> UInt32 {
            // Exactly four hex digits (a sign, which `UInt32(_:radix:)` would take, is not one).
            guard pos + 4 <= bytes.count else { throw error("invalid `\\u` escape", "无效的 `\\u` 转义") }
            var v: UInt32 = 0
            for b in bytes[pos..<pos + 4] {
                let digit: UInt8
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
                default: throw error("invalid `\\u` escape", "无效的 `\\u` 转义")
                }
                v = v << 4 | UInt32(digit)
            }
            pos += 4
            return v
        }
    }

    /// Writes a value as compact JSON: ints and uints as digits, doubles always with `.` or an
    /// exponent (`2.0`, `1e+300`; non-finite ones as the strings `"NaN"`, `"Infinity"`,
    /// `"-Infinity"`), bytes as base64, timestamps as RFC 3339 strings, durations as `"3600s"`,
    /// types as their names, map keys as strings.
    public static func write(_ value: Value) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends a value's JSON to `out`, as bytes (one buffer for a whole document: no per-token
    /// string building).
    static func write(_ value: Value, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): appendInteger(i, into: &out)
        case .uint(let u): out.append(contentsOf: String(u).utf8)
        case .double(let d): out.append(contentsOf: formatDouble(d).utf8)
        case .string(let s): writeString(s, into: &out)
        case .bytes(let b): writeString(base64(b), into: &out)
        case .list(let items):
            out.append(0x5B)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(0x2C) }
                write(item, into: &out)
            }
            out.append(0x5D)
        case .map(let map):
            out.append(0x7B)
            for (i, entry) in map.entries.enumerated() {
                if i > 0 { out.append(0x2C) }
                switch entry.key {
                case .string(let s): writeString(s, into: &out)
                case .uint(let u): writeString(String(u), into: &out)
                default: writeString(StandardLibrary.describeKey(entry.key), into: &out)
                }
                out.append(0x3A)
                write(entry.value, into: &out)
            }
            out.append(0x7D)
        case .timestamp(let t): writeString(t.rfc3339, into: &out)
        case .duration(let d): writeString(d.celString, into: &out)
        case .type(let t): writeString(t.runtimeName, into: &out)
        }
    }

    /// Decimal digits of an integer, written straight into the buffer.
    static func appendInteger(_ i: Int64, into out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxIntegerBytes) { b in
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[0..<writeInteger(i, to: b)]))
        }
    }

    /// The most bytes ``writeInteger(_:to:)`` writes (`-9223372036854775808`).
    static let maxIntegerBytes = 20

    /// Writes the decimal digits of `i` (with a sign when negative) at the start of `b` (room for
    /// ``maxIntegerBytes``); returns how many.
    static func writeInteger(_ i: Int64, to b: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var n = 0
        if i < 0 {
            b[0] = 0x2D
            n = 1
        }
        // The magnitude as unsigned, so that Int64.min has one too.
        var v = i.magnitude
        var digits = 1
        var rest = v / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        var k = n + digits - 1
        repeat {
            b[k] = UInt8(0x30 + v % 10)
            v /= 10
            k -= 1
        } while v > 0
        return n + digits
    }

    /// A double in JSON, always with a decimal point or an exponent.
    static func formatDouble(_ d: Double) -> String {
        if d.isNaN { return "\"NaN\"" }
        if d.isInfinite { return d < 0 ? "\"-Infinity\"" : "\"Infinity\"" }
        return "\(d)"
    }

    static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        writeStringContent(s, into: &out)
        out.append(0x22)
    }

    /// Whether a byte of UTF-8 may need escaping in a JSON string: a control character, a quote, a
    /// backslash, DEL, or the first byte of U+2028/U+2029 (escaped for JavaScript's sake). Strings
    /// without one are copied as they are.
    @inline(__always)
    static func mayNeedEscape(_ b: UInt8) -> Bool { b < 0x20 || b == 0x22 || b == 0x5C || b == 0x7F || b == 0xE2 }

    /// Whether no byte of `bytes` may need escaping (``mayNeedEscape(_:)``), eight bytes at a time:
    /// the words of eight, then the last eight again (overlapping) for the rest; shorter text byte by
    /// byte.
    @inline(__always)
    static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count
        guard n >= 8, let base = bytes.baseAddress else {
            for b in bytes where mayNeedEscape(b) { return false }
            return true
        }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i + 8 <= n {
            if specialBytes(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) != 0 { return false }
            i += 8
        }
        return i == n || specialBytes(raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)) == 0
    }

    /// Nonzero when one of the eight bytes of `w` may need escaping: below 0x20, `"`, `\`, DEL or
    /// 0xE2 (each test is the classic "has a zero byte" on `w` or `w` xor the byte repeated; it may
    /// flag a byte wrongly only above a byte rightly flagged, so zero means none is there).
    @inline(__always)
    static func specialBytes(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        @inline(__always) func zeroByte(_ x: UInt64) -> UInt64 { (x &- ones) & ~x }
        let control = (w &- 0x20 &* ones) & ~w
        return (control | zeroByte(w ^ (0x22 &* ones)) | zeroByte(w ^ (0x5C &* ones))
            | zeroByte(w ^ (0x7F &* ones)) | zeroByte(w ^ (0xE2 &* ones))) & (0x80 &* ones)
    }

    /// Calls `body` with the UTF-8 of `s` — a JSON string's inside as it is — when no byte of it may
    /// need escaping, and says whether it did (the fast path of every string written).
    @inline(__always)
    static func withPlainUTF8(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        @inline(__always) func plain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            guard isPlain(bytes) else { return false }
            body(bytes)
            return true
        }
        return withUTF8InPlace(s, plain)
    }

    /// `body` over the UTF-8 of `s`, read in place when it can be (a native or small string, i.e.
    /// nearly always): `withUTF8` is mutating, and the copy of the string it needs cost a retain and
    /// a release per string written.
    @inline(__always)
    static func withUTF8InPlace<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = s.utf8.withContiguousStorageIfAvailable(body) { return result }
        var text = s
        return text.withUTF8(body)
    }

    /// The inside of a JSON string (its quotes left to the caller): `s` escaped where it must be.
    static func writeStringContent(_ s: String, into out: inout [UInt8]) {
        // Fast path: nothing to escape, copy the whole string (its bytes in one piece).
        if withPlainUTF8(s, { out.append(contentsOf: $0) }) { return }
        writeEscapedContent(s, into: &out)
    }

    /// The inside of a JSON string, escaping scalar by scalar (the slow path of ``writeStringContent(_:into:)``).
    static func writeEscapedContent(_ s: String, into out: inout [UInt8]) {
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out.append(contentsOf: #"\""#.utf8)
            case "\\": out.append(contentsOf: #"\\"#.utf8)
            case "\n": out.append(contentsOf: #"\n"#.utf8)
            case "\r": out.append(contentsOf: #"\r"#.utf8)
            case "\t": out.append(contentsOf: #"\t"#.utf8)
            case "\u{2028}": out.append(contentsOf: #"\u2028"#.utf8)
            case "\u{2029}": out.append(contentsOf: #"\u2029"#.utf8)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out.append(contentsOf: ("\\u" + pad4(String(scalar.value, radix: 16))).utf8)
                } else {
                    out.append(contentsOf: String(scalar).utf8)
                }
            }
        }
    }

    private static func pad4(_ s: String) -> String { String(repeating: "0", count: max(0, 4 - s.count)) + s }

    static func base64(_ bytes: [UInt8]) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var i = 0
        while i + 2 < bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [table[Int(n >> 18 & 63)], table[Int(n >> 12 & 63)], table[Int(n >> 6 & 63)], table[Int(n & 63)]]
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out += [table[Int(n >> 18 & 63)], table[Int(n >> 12 & 63)], 61, 61]
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out += [table[Int(n >> 18 & 63)], table[Int(n >> 12 & 63)], table[Int(n >> 6 & 63)], 61]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
