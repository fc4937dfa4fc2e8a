/// Counts per pair of 32-bit numbers (a group and a household), in one flat table probed linearly:
/// key and count side by side, so a lookup touches one place in memory. (A tally over a year of a
/// district holds hundreds of thousands of pairs — far more than the caches — and a table of
/// positions into separate key and value arrays missed the cache three times per lookup.)
struct PairCounts: Sendable {
    private struct Slot: Sendable {
        /// The pair's bits plus one (0: empty).
        var key: UInt64
        var count: Int32
    }

    private var slots: [Slot]
    private var mask: Int
    /// Number of pairs.
    private(set) var count = 0

    init() {
        slots = [Slot](repeating: Slot(key: 0, count: 0), count: 64)
        mask = 63
    }

    /// Adds one to the pair's count and returns the new count.
    mutating func increment(_ a: Int32, _ b: Int32) -> Int32 {
        let bits = Self.bits(a, b)
        let key = bits &+ 1
        var i = Self.start(bits, mask)
        while slots[i].key != 0 {
            if slots[i].key == key {
                slots[i].count += 1
                return slots[i].count
            }
            i = (i + 1) & mask
        }
        slots[i] = Slot(key: key, count: 1)
        count += 1
        if count * 2 > slots.count { grow() }
        return 1
    }

    /// The count of a pair (0 when never incremented).
    func count(_ a: Int32, _ b: Int32) -> Int32 {
        let bits = Self.bits(a, b)
        var i = Self.start(bits, mask)
        while slots[i].key != 0 {
            if slots[i].key == bits &+ 1 { return slots[i].count }
            i = (i + 1) & mask
        }
        return 0
    }

    /// The pair's 64 bits. (All ones — both numbers -1 — cannot be stored as "bits plus one"; no
    /// group position or label is negative.)
    @inline(__always)
    private static func bits(_ a: Int32, _ b: Int32) -> UInt64 {
        precondition(a >= 0 && b >= 0, "pair counts take positions and labels, never negative")
        return UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b))
    }

    @inline(__always)
    private static func start(_ bits: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: FlatMix.mix(bits ^ FlatMix.seed)) & mask
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(key: 0, count: 0), count: old.count * 2)
        mask = slots.count - 1
        for slot in old where slot.key != 0 {
            var i = Self.start(slot.key &- 1, mask)
            while slots[i].key != 0 { i = (i + 1) & mask }
            slots[i] = slot
        }
    }
}
