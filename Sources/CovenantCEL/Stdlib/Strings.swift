/// `contains`, `startsWith`, `endsWith` (by code points, no normalisation) and `matches` (RE2
/// syntax, search semantics, linear-time matching).
extension StandardLibrary {
    static let strings: [FunctionDef] = [
        FunctionDef(name: "contains", overloads: [Overload("contains_string", member: true, [.string, .string], .bool)],
                    implementation: .binary { a, b throws(EvalError) in
                        guard case .string(let s) = a, case .string(let t) = b else { throw .noOverload("contains", [a, b]) }
                        return .bool(utf8Contains(s, t))
                    }),
        FunctionDef(name: "startsWith", overloads: [Overload("starts_with_string", member: true, [.string, .string], .bool)],
                    implementation: .binary { a, b throws(EvalError) in
                        guard case .string(let s) = a, case .string(let t) = b else { throw .noOverload("startsWith", [a, b]) }
                        return .bool(s.utf8.starts(with: t.utf8))
                    }),
        FunctionDef(name: "endsWith", overloads: [Overload("ends_with_string", member: true, [.string, .string], .bool)],
                    implementation: .binary { a, b throws(EvalError) in
                        guard case .string(let s) = a, case .string(let t) = b else { throw .noOverload("endsWith", [a, b]) }
                        return .bool(s.utf8.reversed().starts(with: t.utf8.reversed()))
                    }),
        FunctionDef(name: "matches", overloads: [
            Overload("matches", [.string, .string], .bool),
            Overload("matches_string", member: true, [.string, .string], .bool),
        ], implementation: .binary { a, b throws(EvalError) in
            guard case .string(let s) = a, case .string(let pattern) = b else { throw .noOverload("matches", [a, b]) }
            return .bool(try RegexCache.shared.compile(pattern).matches(s))
        }),
    ]

    /// Substring test on UTF-8 bytes (equivalent to code points, never canonical equivalence),
    /// read in place (native strings, small ones included, lend their bytes without a copy).
    static func utf8Contains(_ s: String, _ t: String) -> Bool {
        if let found = s.utf8.withContiguousStorageIfAvailable({ hay in
            t.utf8.withContiguousStorageIfAvailable { needle in contains(hay, needle) }
        }), let found { return found }
        let hay = Array(s.utf8), needle = Array(t.utf8)
        return hay.withUnsafeBufferPointer { h in needle.withUnsafeBufferPointer { n in contains(h, n) } }
    }

    /// Whether `needle`'s bytes occur in `hay`'s (for valid UTF-8: CEL's `contains`). Shared with
    /// hosts that keep strings as bytes.
    @inline(__always)
    package static func contains(_ hay: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        if needle.isEmpty { return true }
        if needle.count > hay.count { return false }
        let first = needle[0]
        var i = 0
        let last = hay.count - needle.count
        while i <= last {
            if hay[i] == first {
                var j = 1
                while j < needle.count, hay[i + j] == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
    }
}
