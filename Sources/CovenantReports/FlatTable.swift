/// A key of a ``FlatTable``: equality and one 64-bit mix of its bits (no `Hasher` per lookup).
protocol FlatKey: Equatable {
    /// The key's bits, mixed so that nearby keys land far apart (see ``FlatMix``).
    var mix: UInt64 { get }
}

/// SplitMix64's finaliser: every input bit moves about half the output bits.
enum FlatMix {
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Mixes a value into a running mix.
    @inline(__always)
    static func combine(_ h: UInt64, _ x: UInt64) -> UInt64 { mix(h ^ (x &+ 0x9E37_79B9_7F4A_7C15)) }

    /// A seed drawn once per process, so that no input can be crafted to collide in every run.
    static let seed = UInt64.random(in: .min ... .max)
}

/// A string as a table key: FNV-1a over its UTF-8 (seeded), then mixed.
struct StringKey: FlatKey {
    let text: String
    let mix: UInt64

    init(_ text: String) {
        self.text = text
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ FlatMix.seed
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        }
        if done == nil { for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 } }
        mix = FlatMix.mix(h)
    }

    static func == (a: StringKey, b: StringKey) -> Bool { a.mix == b.mix && a.text == b.text }
}

/// An insertion-ordered map from keys to values stored in flat arrays, probed linearly in a table
/// of `Int32` positions (at most half full). Built for the tally's hot path: a lookup mixes one
/// 64-bit word and compares a few fixed-size keys; entries are addressed by position afterwards.
struct FlatTable<Key: FlatKey, Value> {
    /// Keys and values in insertion order; a key's position never changes.
    private(set) var keys: [Key] = []
    private(set) var values: [Value] = []
    /// Per slot: the position of its key, or -1.
    private var slots: [Int32]
    private var mask: Int

    init() {
        slots = [Int32](repeating: -1, count: 16)
        mask = 15
    }

    var count: Int { keys.count }

    /// The position of `key`, if present.
    func position(of key: Key) -> Int? {
        var slot = Int(truncatingIfNeeded: key.mix) & mask
        while true {
            let p = slots[slot]
            if p < 0 { return nil }
            if keys[Int(p)] == key { return Int(p) }
            slot = (slot + 1) & mask
        }
    }

    /// The position of `key`, inserting it with `value()` first when absent.
    mutating func position(of key: Key, inserting value: () -> Value) -> Int {
        var slot = Int(truncatingIfNeeded: key.mix) & mask
        while true {
            let p = slots[slot]
            if p < 0 { break }
            if keys[Int(p)] == key { return Int(p) }
            slot = (slot + 1) & mask
        }
        let position = keys.count
        keys.append(key)
        values.append(value())
        slots[slot] = Int32(position)
        if keys.count * 2 > slots.count { grow() }
        return position
    }

    /// The value at a position.
    subscript(position p: Int) -> Value {
        get { values[p] }
        _modify { yield &values[p] }
    }

    /// The value of `key`, if present.
    subscript(key: Key) -> Value? { position(of: key).map { values[$0] } }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for (p, key) in keys.enumerated() {
            var slot = Int(truncatingIfNeeded: key.mix) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(p)
        }
    }
}

extension FlatTable: Sendable where Key: Sendable, Value: Sendable {}
