import CovenantCEL
import CovenantSource
import CovenantYAML

/// Converts a YAML document into a CEL value for the `expr` playground, typing plain scalars by
/// the YAML 1.2 core schema (`true`/`false`, `null`/`~`, decimal integers, decimal floats);
/// quoted scalars are always strings, so `no`, `on` and `010` never change type by accident.
enum YAMLValues {
    static func load(bytes: [UInt8], path: String, renderer: DiagnosticRenderer) throws -> Value {
        do {
            let document = try YAMLReader.parseDocument(bytes: bytes, file: path)
            return value(of: document.root)
        } catch {
            Terminal.writeError(renderer.render(error.diagnostic, source: error.source))
            throw ExitStatus.usage
        }
    }

    static func value(of node: YAMLNode) -> Value {
        switch node.kind {
        case .scalar(let scalar):
            guard scalar.style == .plain else { return .string(scalar.text) }
            return plainScalar(scalar.text)
        case .sequence(let items):
            return .list(items.map(value(of:)))
        case .mapping(let pairs):
            var map = MapValue()
            for pair in pairs {
                let key = pair.key.string ?? ""
                map.set(key, value(of: pair.value))
            }
            return .map(map)
        }
    }

    static func plainScalar(_ text: String) -> Value {
        switch text {
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case "null", "Null", "NULL", "~", "": return .null
        default: break
        }
        let scalars = text.unicodeScalars
        let digits = scalars.drop { $0 == "-" || $0 == "+" }
        if !digits.isEmpty, scalars.count - digits.count <= 1, digits.allSatisfy({ $0.properties.numericType == .decimal && $0.isASCII }) {
            if let i = Int64(text.hasPrefix("+") ? String(text.dropFirst()) : text) { return .int(i) }
        }
        if text.unicodeScalars.allSatisfy({ "0123456789+-.eE".unicodeScalars.contains($0) }),
           text.unicodeScalars.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }),
           let d = Double(text), d.isFinite {
            return .double(d)
        }
        return .string(text)
    }
}
