/// Indexing, membership (`in`) and `size` for lists, maps, strings and bytes.
extension StandardLibrary {
    static let collections: [FunctionDef] = [
        FunctionDef(name: "_[_]", overloads: [
            Overload("index_list", [.list(.param("A")), .int], .param("A")),
            Overload("index_map", [.map(.param("K"), .param("V")), .param("K")], .param("V")),
        ], implementation: .binary(index)),
        FunctionDef(name: "@in", overloads: [
            Overload("in_list", [.param("A"), .list(.param("A"))], .bool),
            Overload("in_map", [.param("A"), .map(.param("A"), .param("B"))], .bool),
        ], implementation: .binary(contains)),
        FunctionDef(name: "size", overloads: [
            Overload("size_string", [.string], .int),
            Overload("size_bytes", [.bytes], .int),
            Overload("size_list", [.list(.param("A"))], .int),
            Overload("size_map", [.map(.param("K"), .param("V"))], .int),
            Overload("string_size", member: true, [.string], .int),
            Overload("bytes_size", member: true, [.bytes], .int),
            Overload("list_size", member: true, [.list(.param("A"))], .int),
            Overload("map_size", member: true, [.map(.param("K"), .param("V"))], .int),
        ], implementation: .unary(size)),
    ]

    @Sendable static func index(_ container: Value, _ key: Value) throws(EvalError) -> Value {
        switch container {
        case .list(let items):
            let i: Int64
            switch key {
            case .int(let v): i = v
            case .uint(let v) where v <= UInt64(Int64.max): i = Int64(v)
            case .uint(let v):
                // Past every list's size, like any other index too large.
                throw EvalError(.indexOutOfRange, "index \(v) out of range for a list of size \(items.count)",
                                "下标 \(v) 超出大小为 \(items.count) 的列表范围")
            case .double(let d) where d.rounded() == d && abs(d) < 9.2e18: i = Int64(d)
            case .double(let d):
                let text = d.isNaN ? "NaN" : d.isInfinite ? (d < 0 ? "-Infinity" : "Infinity") : String(d)
                throw .invalid("list index \(text) is not an integer", "列表下标 \(text) 不是整数")
            default: throw .noOverload("_[_]", [container, key])
            }
            guard i >= 0, i < Int64(items.count) else {
                throw EvalError(.indexOutOfRange, "index \(i) out of range for a list of size \(items.count)",
                                "下标 \(i) 超出大小为 \(items.count) 的列表范围")
            }
            return items[Int(i)]
        case .map(let map):
            switch key {
            case .int, .uint, .double, .bool, .string: break
            default: throw .noOverload("_[_]", [container, key])
            }
            guard let value = map[key] else { throw .noSuchKey(describeKey(key)) }
            return value
        default:
            throw .noOverload("_[_]", [container, key])
        }
    }

    static func describeKey(_ key: Value) -> String {
        switch key {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .uint(let u): return "\(u)u"
        case .double(let d): return String(d)
        case .bool(let b): return String(b)
        default: return key.typeName
        }
    }

    @Sendable static func contains(_ element: Value, _ container: Value) throws(EvalError) -> Value {
        switch container {
        case .list(let items):
            for item in items where celEquals(item, element) { return .bool(true) }
            return .bool(false)
        case .map(let map):
            return .bool(map[element] != nil)
        default:
            throw .noOverload("@in", [element, container])
        }
    }

    @Sendable static func size(_ value: Value) throws(EvalError) -> Value {
        switch value {
        case .string(let s): return .int(Int64(s.unicodeScalars.count))
        case .bytes(let b): return .int(Int64(b.count))
        case .list(let l): return .int(Int64(l.count))
        case .map(let m): return .int(Int64(m.count))
        default: throw .noOverload("size", [value])
        }
    }
}
