/// A map from 64-bit hashes to values, probed linearly in flat arrays (at most half full): for the
/// per-record lookups of the order scan, where `Dictionary` hashed each 64-bit key again through
/// SipHash. The keys are names' FNV hashes; they are mixed once more before taking their low bits.
struct HashMap<Value> {
    private var keys: [UInt64]
    private var values: [Value?]
    private var mask: Int
    private(set) var count = 0

    init() {
        keys = [UInt64](repeating: 0, count: 16)
        values = [Value?](repeating: nil, count: 16)
        mask = 15
    }

    /// The slot of `key`, or of the empty slot where it would go.
    @inline(__always)
    private func slot(of key: UInt64) -> Int {
        var i = Int(truncatingIfNeeded: HashMix.mix(key)) & mask
        while values[i] != nil, keys[i] != key { i = (i + 1) & mask }
        return i
    }

    /// Calls `body` with the value of `key` to change in place (`initial` when it has none yet).
    mutating func update<R>(_ key: UInt64, initial: @autoclosure () -> Value, _ body: (inout Value) -> R) -> R {
        var i = slot(of: key)
        if values[i] == nil {
            if 2 * (count + 1) > mask + 1 {
                grow()
                i = slot(of: key)
            }
            keys[i] = key
            values[i] = initial()
            count += 1
        }
        return body(&values[i]!)
    }

    /// The value of `key`, if any.
    subscript(key: UInt64) -> Value? { values[slot(of: key)] }

    private mutating func grow() {
        let old = (keys, values)
        let size = 2 * (mask + 1)
        keys = [UInt64](repeating: 0, count: size)
        values = [Value?](repeating: nil, count: size)
        mask = size - 1
        for (key, value) in zip(old.0, old.1) where value != nil {
            let i = slot(of: key)
            keys[i] = key
            values[i] = value
        }
    }
}

/// A 64-bit finalizer (murmur3's): every bit of a hash reaches the low bits — for an FNV hash of a
/// short name, whose low bits are poorly spread (the order scan's map, the households' lanes).
enum HashMix {
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var h = x
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 33)
    }
}
