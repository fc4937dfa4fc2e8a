/// A CEL value at run time.
public enum Value: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    case list([Value])
    case map(MapValue)
    case timestamp(Timestamp)
    case duration(CELDuration)
    case type(CELType)

    /// The runtime type name, as `type(x)` reports it.
    public var typeName: String {
        switch self {
        case .null: return "null_type"
        case .bool: return "bool"
        case .int: return "int"
        case .uint: return "uint"
        case .double: return "double"
        case .string: return "string"
        case .bytes: return "bytes"
        case .list: return "list"
        case .map: return "map"
        case .timestamp: return "google.protobuf.Timestamp"
        case .duration: return "google.protobuf.Duration"
        case .type: return "type"
        }
    }

    /// The runtime type as a type value.
    public var runtimeType: CELType {
        switch self {
        case .null: return .null
        case .bool: return .bool
        case .int: return .int
        case .uint: return .uint
        case .double: return .double
        case .string: return .string
        case .bytes: return .bytes
        case .list: return .list(.dyn)
        case .map: return .map(.dyn, .dyn)
        case .timestamp: return .timestamp
        case .duration: return .duration
        case .type: return .type(.dyn)
        }
    }
}

extension Value: Equatable {
    /// CEL equality (heterogeneous: numbers compare by value across int, uint and double; values
    /// of different types are unequal; NaN equals nothing; strings compare by code points).
    public static func == (a: Value, b: Value) -> Bool { celEquals(a, b) }
}

extension Value: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByNilLiteral
{
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(arrayLiteral elements: Value...) { self = .list(elements) }
    public init(nilLiteral: ()) { self = .null }
}

/// A map key: CEL allows int, uint, bool and string keys. Numeric keys are normalised so that
/// `1`, `1u` and `1.0` find the same entry; strings compare by code points (no normalisation).
public enum MapKey: Sendable, Hashable {
    case bool(Bool)
    case int(Int64)
    /// Only for values above `Int64.max`; smaller uints are stored as `.int`.
    case uint(UInt64)
    case string(ScalarString)

    /// The key for a value, or nil when the value cannot be a key (for lookups, a double with an
    /// integral value is converted; for construction it is rejected by the caller).
    public init?(_ value: Value) {
        switch value {
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .uint(let u): self = u <= UInt64(Int64.max) ? .int(Int64(u)) : .uint(u)
        case .string(let s): self = .string(ScalarString(s))
        default: return nil
        }
    }

    /// The key for a lookup: like `init` but also accepts doubles with an exact integer value.
    init?(lookup value: Value) {
        if case .double(let d) = value {
            if d.rounded() == d, d >= -9223372036854775808.0, d < 9223372036854775808.0 {
                self = .int(Int64(d))
            } else if d.rounded() == d, d >= 0, d < 18446744073709551616.0 {
                self = .uint(UInt64(d))
            } else {
                return nil
            }
            return
        }
        self.init(value)
    }
}

/// A string that compares and hashes by its Unicode code points, as CEL requires (Swift's own
/// `String` equality uses canonical equivalence, which CEL does not).
public struct ScalarString: Sendable, Hashable {
    /// The wrapped string.
    public let value: String

    /// Wraps a string.
    public init(_ value: String) { self.value = value }

    public static func == (a: ScalarString, b: ScalarString) -> Bool {
        // Identical bits are identical bytes: the same small string, or the same storage. (A map
        // key and the field a condition names are usually the same small string.) Most other
        // comparisons are between different keys: a length check rejects many; the rest compare
        // their UTF-8 bytes, which is CEL's equality (code points) — Swift's own `==` would also
        // call canonically equivalent strings equal, and costs more.
        if MemoryLayout<String>.size == 16,
           unsafeBitCast(a.value, to: (UInt64, UInt64).self) == unsafeBitCast(b.value, to: (UInt64, UInt64).self) {
            return true
        }
        if a.value.utf8.count != b.value.utf8.count { return false }
        let fast = a.value.utf8.withContiguousStorageIfAvailable { pa in
            b.value.utf8.withContiguousStorageIfAvailable { pb in
                pa.count == pb.count && (pa.count == 0 || memcmpBytes(pa.baseAddress!, pb.baseAddress!, pa.count))
            }
        }
        if let fast, let result = fast { return result }
        return a.value.utf8.elementsEqual(b.value.utf8)
    }

    public func hash(into hasher: inout Hasher) {
        if let done = value.utf8.withContiguousStorageIfAvailable({ hasher.combine(bytes: UnsafeRawBufferPointer($0)) }) {
            return done
        }
        for byte in value.utf8 { hasher.combine(byte) }
    }
}

/// A CEL map value: insertion-ordered entries. Small maps (an incident's facts, a verdict) are
/// searched linearly — no hashing, no index to build; a hash index is built once a map grows past
/// ``indexThreshold`` entries.
public struct MapValue: Sendable {
    /// Entries in insertion order.
    public private(set) var entries: [(key: Value, value: Value)] = []
    private var index: [MapKey: Int]?

    /// Maps up to this size are searched linearly.
    static let indexThreshold = 12

    /// An empty map.
    public init() {}

    /// An empty map with room for `capacity` entries.
    public init(minimumCapacity capacity: Int) {
        entries.reserveCapacity(capacity)
    }

    /// Number of entries.
    public var count: Int { entries.count }

    @inline(__always)
    private func position(of k: MapKey) -> Int? {
        if let index { return index[k] }
        if case .string(let wanted) = k {
            // The common case — string keys — compares the stored strings directly: first by their
            // bits alone (a key and the field a condition names are usually the same small string,
            // and keys are unique, so an identical key is the one), then as strings.
            if MemoryLayout<String>.size == 16 {
                let bits = unsafeBitCast(wanted.value, to: (UInt64, UInt64).self)
                for i in entries.indices {
                    if case .string(let s) = entries[i].key, unsafeBitCast(s, to: (UInt64, UInt64).self) == bits { return i }
                }
            }
            for i in entries.indices {
                if case .string(let s) = entries[i].key, ScalarString(s) == wanted { return i }
            }
            return nil
        }
        for i in entries.indices where MapKey(entries[i].key) == k { return i }
        return nil
    }

    private mutating func append(_ k: MapKey, _ key: Value, _ value: Value) {
        entries.append((key, value))
        if index != nil {
            index![k] = entries.count - 1
        } else if entries.count > Self.indexThreshold {
            var built: [MapKey: Int] = [:]
            built.reserveCapacity(entries.count * 2)
            for (i, entry) in entries.enumerated() { if let key = MapKey(entry.key) { built[key] = i } }
            index = built
        }
    }

    /// Adds an entry; returns false when the key is invalid or already present.
    @discardableResult
    public mutating func insert(_ key: Value, _ value: Value) -> Bool {
        guard let k = MapKey(key), position(of: k) == nil else { return false }
        append(k, key, value)
        return true
    }

    /// Sets a string-keyed entry, replacing an existing one.
    public mutating func set(_ key: String, _ value: Value) {
        let k = MapKey.string(ScalarString(key))
        if let i = position(of: k) {
            entries[i].value = value
        } else {
            append(k, .string(key), value)
        }
    }

    /// Appends a string-keyed entry the caller knows is not in the map yet (no search).
    package mutating func appendNew(_ key: String, _ value: Value) {
        append(.string(ScalarString(key)), .string(key), value)
    }

    /// Looks up a key (numeric keys match across int, uint and integral double).
    public subscript(key: Value) -> Value? {
        guard let k = MapKey(lookup: key), let i = position(of: k) else { return nil }
        return entries[i].value
    }

    /// Looks up a key made once by the caller (no conversion per lookup).
    @inline(__always)
    func value(forKey key: MapKey) -> Value? {
        guard let i = position(of: key) else { return nil }
        return entries[i].value
    }

    /// Looks up a string key.
    public subscript(key: String) -> Value? {
        guard let i = position(of: .string(ScalarString(key))) else { return nil }
        return entries[i].value
    }

    /// Builds a string-keyed map.
    public init(_ pairs: [(String, Value)]) {
        entries.reserveCapacity(pairs.count)
        for (k, v) in pairs { set(k, v) }
    }
}

/// Byte equality of two buffers (a word at a time where it can).
@inline(__always)
func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    var i = 0
    let words = n / 8
    if words > 0 {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        while i < words * 8 {
            if ra.loadUnaligned(fromByteOffset: i, as: UInt64.self) != rb.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
    }
    while i < n {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}
