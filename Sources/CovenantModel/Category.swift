import CovenantCEL
import CovenantSource

/// What a category of incidents is.
public enum CategoryKind: String, Sendable, Hashable, CaseIterable {
    /// Reported or observed behaviour that rules judge (the default).
    case event
    /// Good deeds that credits reward.
    case deed
}

/// The type of a declared fact.
public indirect enum FactType: Sendable, Hashable, CustomStringConvertible {
    case bool, int, double, string, timestamp, duration
    /// A string that must be one of the convention's zones.
    case zone
    case list(FactType)

    /// The expression-language type of the fact.
    public var celType: CELType {
        switch self {
        case .bool: return .bool
        case .int: return .int
        case .double: return .double
        case .string, .zone: return .string
        case .timestamp: return .timestamp
        case .duration: return .duration
        case .list(let e): return .list(e.celType)
        }
    }

    public var description: String {
        switch self {
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "double"
        case .string: return "string"
        case .timestamp: return "timestamp"
        case .duration: return "duration"
        case .zone: return "zone"
        case .list(let e): return "[\(e)]"
        }
    }

    /// Parses `bool`, `int`, `double`, `string`, `zone`, `timestamp`, `duration`, `[T]` or `list(T)`,
    /// with an optional trailing `?` (returned separately).
    public static func parse(_ text: String) -> (type: FactType, optional: Bool)? {
        var t = text.trimmingSpaces
        var optional = false
        if t.hasSuffix("?") {
            optional = true
            t.removeLast()
            t = t.trimmingSpaces
        }
        guard let type = parseBare(t) else { return nil }
        return (type, optional)
    }

    static func parseBare(_ t: String) -> FactType? {
        switch t {
        case "bool": return .bool
        case "int": return .int
        case "double": return .double
        case "string": return .string
        case "zone": return .zone
        case "timestamp": return .timestamp
        case "duration": return .duration
        default:
            if t.hasPrefix("["), t.hasSuffix("]") {
                return parseBare(String(t.dropFirst().dropLast()).trimmingSpaces).map { .list($0) }
            }
            if t.hasPrefix("list("), t.hasSuffix(")") {
                return parseBare(String(t.dropFirst(5).dropLast()).trimmingSpaces).map { .list($0) }
            }
            return nil
        }
    }

    /// The names `parse` accepts, for did-you-mean hints.
    public static let names = ["bool", "int", "double", "string", "zone", "timestamp", "duration"]
}

/// A declared fact of a category.
public struct FactDeclaration: Sendable, Hashable {
    /// Creates a value from all its parts.
    public init(name: String, type: FactType, optional: Bool) {
        self.name = name
        self.type = type
        self.optional = optional
    }

    public var name: String
    public var type: FactType
    public var optional: Bool
}

/// A category of incidents and the facts each carries.
public struct Category: Sendable {
    /// Creates a value from all its parts.
    public init(id: String, title: LocalizedText?, kind: CategoryKind, facts: [FactDeclaration]) {
        self.id = id
        self.title = title
        self.kind = kind
        self.facts = facts
    }

    public var id: String
    public var title: LocalizedText?
    public var kind: CategoryKind
    /// Declared facts in file order.
    public var facts: [FactDeclaration]

    /// The record type `facts` has in this category's conditions.
    public var factsType: RecordType {
        var fields: [String: RecordType.Field] = [:]
        for f in facts { fields[f.name] = .init(f.type.celType, optional: f.optional) }
        return RecordType(name: "facts(\(id))", fields: fields)
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
