/// Counts per pair of 31-bit numbers (a group and a household), saturating at 3, in one flat table
/// probed linearly: each slot one 64-bit word — the pair's 62 bits and a 2-bit count.
///
/// The table outgrows the caches (every (group, household) pair of a year of a district), so each
/// lookup can be a cache miss — the tally's largest cost on the caller's thread. The pairs one
/// record counts share a household and a place in time (a `near` value the caller derives from
/// the group's rule-independent labels and period, the same for every lookup of a pair): a pair's
/// probe starts in the eight-slot line (64 bytes) of its household and `near`, so one record's
/// lookups mostly touch one line, not one each. Repeat households need to know only when a pair's
/// count reaches 2.
struct PairCounts: Sendable {
    /// Per slot: the pair's bits shifted left by two, and its count (1–3) in the low two bits;
    /// 0 for an empty slot.
    private var slots: [UInt64]
    /// Per slot: the `near` its pair was stored with (read only to place it again when growing).
    private var nears: [UInt32]
    private var mask: Int
    /// Number of pairs.
    private(set) var count = 0

    /// The count pairs saturate at.
    static let saturation: Int32 = 3

    init() {
        slots = [UInt64](repeating: 0, count: 64)
        nears = [UInt32](repeating: 0, count: 64)
        mask = 63
    }

    /// Adds one to the pair's count and returns the new count (at most ``saturation``: a pair
    /// reaches 2 exactly once). `near` must be the same at every call for the pair.
    mutating func increment(_ a: Int32, _ b: Int32, near: UInt32) -> Int32 {
        let bits = Self.bits(a, b)
        let i = probe(bits, from: Self.start(a, b, near, mask))
        guard slots[i] == 0 else {
            if slots[i] & 3 < UInt64(Self.saturation) { slots[i] += 1 }
            return Int32(slots[i] & 3)
        }
        slots[i] = bits << 2 | 1
        nears[i] = near
        count += 1
        if count * 2 > slots.count { grow() }
        return 1
    }

    /// The count of a pair (0 when never incremented; at most ``saturation``), looked up with the
    /// `near` it was counted with.
    func count(_ a: Int32, _ b: Int32, near: UInt32) -> Int32 {
        Int32(slots[probe(Self.bits(a, b), from: Self.start(a, b, near, mask))] & 3)
    }

    /// The slot holding the pair `bits` (0 for none: an empty slot's count bits are 0), or the
    /// empty slot where it would go, probing from `i`.
    @inline(__always)
    private func probe(_ bits: UInt64, from i: Int) -> Int {
        var i = i
        while slots[i] != 0, slots[i] >> 2 != bits { i = (i + 1) & mask }
        return i
    }

    /// The pair's 62 bits (no group position or label is negative).
    @inline(__always)
    private static func bits(_ a: Int32, _ b: Int32) -> UInt64 {
        precondition(a >= 0 && b >= 0, "pair counts take positions and labels, never negative")
        return UInt64(UInt32(bitPattern: a)) << 31 | UInt64(UInt32(bitPattern: b))
    }

    /// Where a pair's probe starts: the line of its household and `near`, at a place in it set
    /// by the group.
    @inline(__always)
    private static func start(_ a: Int32, _ b: Int32, _ near: UInt32, _ mask: Int) -> Int {
        let line = Int(truncatingIfNeeded: FlatMix.mix((UInt64(UInt32(bitPattern: b)) << 32 | UInt64(near)) ^ FlatMix.seed)) & mask & ~7
        let place = Int(truncatingIfNeeded: FlatMix.mix(UInt64(UInt32(bitPattern: a)))) & 7
        return line | place
    }

    private mutating func grow() {
        let (oldSlots, oldNears) = (slots, nears)
        slots = [UInt64](repeating: 0, count: oldSlots.count * 2)
        nears = [UInt32](repeating: 0, count: oldSlots.count * 2)
        mask = slots.count - 1
        for (slot, near) in zip(oldSlots, oldNears) where slot != 0 {
            let bits = slot >> 2
            // Pairs are distinct: the probe ends at an empty slot.
            let i = probe(bits, from: Self.start(Int32(truncatingIfNeeded: bits >> 31), Int32(truncatingIfNeeded: bits & 0x7FFF_FFFF), near, mask))
            slots[i] = slot
            nears[i] = near
        }
    }
}
