import CovenantCEL
import CovenantYAML

/// YAML nodes as CEL values, typing plain scalars by the YAML 1.2 core schema (`true`/`false`,
/// `null`/`~`, decimal integers such as `42` or `010` (ten), decimal floats). Quoted scalars are
/// always strings, and `no`, `on`, `yes` stay strings, so nothing changes type by YAML 1.1
/// guessing. An explicit tag decides: `!!str 12` is a string, `!!int "12"` an int, `!!float 1` a
/// double, `!!bool`, `!!null`; a value its tag cannot hold keeps the type the schema gives it.
public enum YAMLValues {
    /// The value of a node.
    public static func value(of node: YAMLNode) -> Value {
        switch node.kind {
        case .scalar(let scalar):
            if let tagged = tagged(scalar.text, node.tag) { return tagged }
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

    /// A scalar with one of the core schema's tags, as its tag says (nil: no such tag, or a text
    /// the tag's type cannot hold).
    static func tagged(_ text: String, _ tag: String?) -> Value? {
        switch tag {
        case "tag:yaml.org,2002:str": return .string(text)
        case "tag:yaml.org,2002:null": return .null
        case "tag:yaml.org,2002:bool":
            if case .bool(let b) = plain(text) { return .bool(b) }
        case "tag:yaml.org,2002:int":
            if case .int(let i) = plain(text) { return .int(i) }
        case "tag:yaml.org,2002:float":
            switch plain(text) {
            case .double(let d): return .double(d)
            case .int(let i): return .double(Double(i))
            default: break
            }
        default: break
        }
        return nil
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
