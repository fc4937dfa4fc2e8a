import CovenantCEL
import CovenantYAML

/// YAML nodes as CEL values, typing plain scalars by the YAML 1.2 core schema (`true`/`false`,
/// `null`/`~`, decimal integers, decimal floats). Quoted scalars are always strings, and `no`,
/// `on`, `010`-style values stay strings, so nothing changes type by YAML 1.1 guessing.
public enum YAMLValues {
    /// The value of a node.
    public static func value(of node: YAMLNode) -> Value {
        switch node.kind {
        case .scalar(let scalar):
            guard scalar.style == .plain else { return .string(scalar.text) }
            return plain(scalar.text)
        case .sequence(let items):
            return .list(items.map(value(of:)))
        case .mapping(let pairs):
            var map = MapValue()
            for pair in pairs { map.set(pair.key.string ?? "", value(of: pair.value)) }
            return .map(map)
        }
    }

    /// A plain scalar by the core schema.
    public static func plain(_ text: String) -> Value {
        switch text {
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case "null", "Null", "NULL", "~", "": return .null
        default: break
        }
        let bytes = Array(text.utf8)
        var i = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
        let digitsStart = i
        while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
        if i == bytes.count, i > digitsStart {
            let unsigned = bytes[0] == UInt8(ascii: "+") ? String(text.dropFirst()) : text
            if let v = Int64(unsigned) { return .int(v) }
        }
        // Floats: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
        var j = 0
        if j < bytes.count, bytes[j] == UInt8(ascii: "-") || bytes[j] == UInt8(ascii: "+") { j += 1 }
        var mantissaDigits = 0
        while j < bytes.count, bytes[j] >= 0x30, bytes[j] <= 0x39 { j += 1; mantissaDigits += 1 }
        var sawDot = false
        if j < bytes.count, bytes[j] == UInt8(ascii: ".") {
            sawDot = true
            j += 1
            while j < bytes.count, bytes[j] >= 0x30, bytes[j] <= 0x39 { j += 1; mantissaDigits += 1 }
        }
        var sawExp = false
        if mantissaDigits > 0, j < bytes.count, bytes[j] == UInt8(ascii: "e") || bytes[j] == UInt8(ascii: "E") {
            var k = j + 1
            if k < bytes.count, bytes[k] == UInt8(ascii: "-") || bytes[k] == UInt8(ascii: "+") { k += 1 }
            let expStart = k
            while k < bytes.count, bytes[k] >= 0x30, bytes[k] <= 0x39 { k += 1 }
            if k > expStart { sawExp = true; j = k }
        }
        if j == bytes.count, mantissaDigits > 0, sawDot || sawExp, let d = Double(text), d.isFinite {
            return .double(d)
        }
        return .string(text)
    }
}
