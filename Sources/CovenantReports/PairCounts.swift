/// Counts per pair of 31-bit numbers (a group and a household), saturating at 3, in one flat table
/// probed linearly: each slot one 64-bit word — the pair's 62 bits and a 2-bit count — so a lookup
/// touches one place in memory and the table is half the size it would be with the count apart.
/// (A tally over a year of a district holds hundreds of thousands of pairs — far more than the
/// caches: each lookup is a cache miss, the tally's largest cost on the caller's thread.) Repeat
/// households need to know only when a pair's count reaches 2.
struct PairCounts: Sendable {
    /// Per slot: the pair's bits shifted left by two, and its count (1–3) in the low two bits;
    /// 0 for an empty slot.
    private var slots: [UInt64]
    private var mask: Int
    /// Number of pairs.
    private(set) var count = 0

    /// The count pairs saturate at.
    static let saturation: Int32 = 3

    init() {
        slots = [UInt64](repeating: 0, count: 64)
        mask = 63
    }

    /// Adds one to the pair's count and returns the new count (at most ``saturation``: a pair
    /// reaches 2 exactly once).
    mutating func increment(_ a: Int32, _ b: Int32) -> Int32 {
        let bits = Self.bits(a, b)
        var i = Self.start(bits, mask)
        while slots[i] != 0 {
            if slots[i] >> 2 == bits {
                let n = slots[i] & 3
                if n < 3 { slots[i] += 1 }
                return Int32(min(n + 1, 3))
            }
            i = (i + 1) & mask
        }
        slots[i] = bits << 2 | 1
        count += 1
        if count * 2 > slots.count { grow() }
        return 1
    }

    /// The count of a pair (0 when never incremented; at most ``saturation``).
    func count(_ a: Int32, _ b: Int32) -> Int32 {
        let bits = Self.bits(a, b)
        var i = Self.start(bits, mask)
        while slots[i] != 0 {
            if slots[i] >> 2 == bits { return Int32(slots[i] & 3) }
            i = (i + 1) & mask
        }
        return 0
    }

    /// The pair's 62 bits (no group position or label is negative).
    @inline(__always)
    private static func bits(_ a: Int32, _ b: Int32) -> UInt64 {
        precondition(a >= 0 && b >= 0, "pair counts take positions and labels, never negative")
        return UInt64(UInt32(bitPattern: a)) << 31 | UInt64(UInt32(bitPattern: b))
    }

    @inline(__always)
    private static func start(_ bits: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: FlatMix.mix(bits ^ FlatMix.seed)) & mask
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        mask = slots.count - 1
        for slot in old where slot != 0 {
            var i = Self.start(slot >> 2, mask)
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = slot
        }
    }
}
