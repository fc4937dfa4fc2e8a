import CovenantCEL
import CovenantModel
@testable import CovenantReports
import Testing

/// The tally's hash table and its period shortcut, against the standard library and the full period key.
@Suite struct FlatTableTests {
    @Test func agreesWithADictionaryThroughGrowth() {
        var rng = SystemRandomNumberGenerator()
        var table = FlatTable<StringKey, Int>()
        var reference: [String: Int] = [:]
        // Short and long (heap) strings, Chinese labels, repeats: 5,000 operations over 1,500 keys.
        let pool = (0..<1500).map { i in i % 3 == 0 ? "G\(i)" : i % 3 == 1 ? "\(i)号楼-第\(i % 7)单元-很长的名字" : "household-\(i)-\(i * 31)" }
        for _ in 0..<5000 {
            let key = pool[Int.random(in: 0..<pool.count, using: &rng)]
            let p = table.position(of: StringKey(key)) { 0 }
            table[position: p] += 1
            reference[key, default: 0] += 1
        }
        #expect(table.count == reference.count)
        for (key, n) in reference { #expect(table[StringKey(key)] == n, "\(key)") }
        #expect(table[StringKey("absent")] == nil)
        // Positions are insertion order: every key sits where it was first put.
        for (p, key) in table.keys.enumerated() { #expect(table.position(of: key) == p) }
    }

    /// The repeat-household counts (saturating at 3), against a dictionary, through many growths;
    /// pairs that share a half, and the extremes of each half.
    @Test func pairCountsAgreeWithADictionary() {
        var random = SystemRandomNumberGenerator()
        var counts = PairCounts()
        var reference: [UInt64: Int32] = [:]
        let edges: [Int32] = [0, 1, 2, Int32.max - 1, Int32.max]
        for step in 0..<60_000 {
            let a = step % 7 == 0 ? edges[step % edges.count] : Int32.random(in: 0..<300, using: &random)
            let b = step % 11 == 0 ? edges[(step / 11) % edges.count] : Int32.random(in: 0..<2_000, using: &random)
            let key = UInt64(UInt32(a)) << 32 | UInt64(UInt32(b))
            reference[key, default: 0] += 1
            // A `near` that is a function of the pair (as the tally's is of the group): it places
            // the pair, it never changes its count.
            #expect(counts.increment(a, b, near: Self.near(a, b)) == min(reference[key]!, PairCounts.saturation))
        }
        #expect(counts.count == reference.count)
        for (key, n) in reference {
            let (a, b) = (Int32(key >> 32), Int32(key & 0xFFFF_FFFF))
            #expect(counts.count(a, b, near: Self.near(a, b)) == min(n, PairCounts.saturation))
        }
        #expect(counts.count(299, 2_001, near: Self.near(299, 2_001)) == 0)
    }

    /// Few distinct values, so that many pairs share a line.
    static func near(_ a: Int32, _ b: Int32) -> UInt32 { UInt32(a % 3) }

    @Test func labelNumbersAreStable() {
        var labels = LabelTable()
        let a = labels.id("G1"), b = labels.id("幸福里"), c = labels.id("G1")
        #expect(a == c && a != b)
        #expect(labels.name(a) == "G1" && labels.name(b) == "幸福里")
    }

    @Test(arguments: [Period.day, .week, .month, .quarter, .year])
    func periodOrdinalIsTheKeysOrdinal(_ period: Period) {
        var rng = SystemRandomNumberGenerator()
        for zone in ["Asia/Shanghai", "America/New_York", "UTC", "+05:45"] {
            guard let resolved = TimeZones.resolve(zone) else { continue }
            for _ in 0..<500 {
                // 1900 to 2100, around the year's edges and DST changes alike.
                let t = Timestamp(seconds: Int64.random(in: -2_208_988_800...4_102_444_800, using: &rng))!
                #expect(Periods.ordinal(t, period: period, zone: resolved) == Periods.key(t, period: period, zone: resolved).ordinal,
                        "\(t) in \(zone)")
            }
        }
    }
}
