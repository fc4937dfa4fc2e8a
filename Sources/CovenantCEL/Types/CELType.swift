/// A type of the checker's type system: CEL's value types plus parameterised lists and maps,
/// `dyn`, declared records (typed objects such as an incident's facts), and type parameters.
public indirect enum CELType: Sendable, Hashable, CustomStringConvertible {
    case dyn
    case null
    case bool
    case int
    case uint
    case double
    case string
    case bytes
    case timestamp
    case duration
    case list(CELType)
    case map(CELType, CELType)
    /// The type of a type value, e.g. `type(int)` for the value `int`.
    case type(CELType)
    /// A declared record: a map with string keys whose fields have declared types.
    case record(RecordType)
    /// A type parameter in an overload signature (`A`, `B`).
    case param(String)
    /// The type of an expression that failed to check.
    case error

    public var description: String {
        switch self {
        case .dyn: return "dyn"
        case .null: return "null_type"
        case .bool: return "bool"
        case .int: return "int"
        case .uint: return "uint"
        case .double: return "double"
        case .string: return "string"
        case .bytes: return "bytes"
        case .timestamp: return "google.protobuf.Timestamp"
        case .duration: return "google.protobuf.Duration"
        case .list(let e): return "list(\(e))"
        case .map(let k, let v): return "map(\(k), \(v))"
        case .type(let t): return "type(\(t))"
        case .record(let r): return r.name
        case .param(let p): return p
        case .error: return "*error*"
        }
    }

    /// The name `type(x)` gives at run time, without type parameters.
    public var runtimeName: String {
        switch self {
        case .list: return "list"
        case .map, .record: return "map"
        case .type: return "type"
        default: return description
        }
    }
}

/// A declared record type: named fields with types; a field may be optional (absent from a value).
public struct RecordType: Sendable, Hashable {
    /// The record's name, shown in messages (e.g. `facts(ebike)`).
    public var name: String
    /// The declared fields.
    public var fields: [String: Field]

    /// One field of a record.
    public struct Field: Sendable, Hashable {
        /// The field's type.
        public var type: CELType
        /// Whether the field may be absent (test it with `has()`).
        public var optional: Bool

        /// Creates a field.
        public init(_ type: CELType, optional: Bool = false) {
            self.type = type
            self.optional = optional
        }
    }

    /// Creates a record type.
    public init(name: String, fields: [String: Field]) {
        self.name = name
        self.fields = fields
    }
}
