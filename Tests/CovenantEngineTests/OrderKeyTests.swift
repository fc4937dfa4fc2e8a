import CovenantCEL
@testable import CovenantEngine
import Testing

/// The order scan keeps a household as its name's hash and an id as its first 16 bytes and its
/// length. Whatever it says must be what the full strings say — or "cannot tell", which only sends
/// the household to the index (right for every household).
@Suite struct OrderKeyTests {
    /// The order of two records in a household by their full ids (`occurred_at`, then id bytes).
    static func reference(_ a: (Timestamp, String), _ b: (Timestamp, String)) -> Bool {
        if a.0 != b.0 { return a.0 < b.0 }
        return a.1.utf8.lexicographicallyPrecedes(b.1.utf8)
    }

    @Test func precedesAsTheFullIdsDoOrCannotTell() throws {
        let t0 = try #require(Timestamp(seconds: 1_782_000_000)), t1 = try #require(Timestamp(seconds: 1_782_000_001))
        var state: UInt64 = 42
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        // Ids that share long prefixes, of lengths around 16, with multi-byte characters.
        let stems = ["INC-2026-07-01-", "INC-2026-07-01-0000", "报告-", "a", ""]
        func id() -> String {
            var s = stems[next(stems.count)]
            for _ in 0..<next(6) { s += ["0", "1", "9", "z", "-", "号"][next(6)] }
            return s.isEmpty ? "x" : s
        }
        var told = 0, untold = 0
        for _ in 0..<20_000 {
            let a = (next(3) == 0 ? t1 : t0, id()), b = (next(3) == 0 ? t1 : t0, id())
            let ka = OrderKey(household: "H", time: a.0, id: a.1), kb = OrderKey(household: "H", time: b.0, id: b.1)
            if let p = OrderKey.precedes(ka, kb) {
                #expect(p == Self.reference(a, b), "\(a) before \(b)")
                told += 1
            } else {
                // Only when both keep the same 16 bytes and one is longer.
                #expect(a.0 == b.0 && Array(a.1.utf8.prefix(16)) == Array(b.1.utf8.prefix(16))
                        && max(a.1.utf8.count, b.1.utf8.count) > 16, "\(a) vs \(b)")
                untold += 1
            }
        }
        #expect(told > 10_000 && untold > 100)
    }

    /// Two households whose names share a hash are checked as one: together in order, neither is
    /// reported; out of order together, both are (and go to the index).
    @Test func householdsSharingAHashAreCheckedAsOne() throws {
        let t = { (s: Int64) in Timestamp(seconds: 1_782_000_000 + s)! }
        func key(_ h: UInt64, _ s: Int64, _ id: String) -> OrderKey {
            var id = id
            return id.withUTF8 { OrderKey(household: h, time: t(s), id: $0) }
        }
        var order = HouseholdOrder()
        for (s, id) in [(1, "a"), (2, "b"), (3, "c")] { order.add(key(7, Int64(s), id)) }
        #expect(order.unordered.isEmpty)
        order.add(key(7, 2, "a"))
        #expect(order.unordered == [7])
        order.add(key(8, 5, "z"))
        order.add(key(8, 5, "z"))
        #expect(order.unordered == [7], "the same key twice keeps its household in order")
        // Ids alike in 16 bytes, one longer, at the same time: cannot tell, so out of order.
        order.add(key(9, 5, "0123456789abcdef"))
        order.add(key(9, 5, "0123456789abcdefg"))
        #expect(order.unordered == [7, 9])
    }

    @Test func keysFromStringsAndBytesAgree() {
        let k = OrderKey(household: "H-19-2-302", time: Timestamp(seconds: 5)!, id: "B-00000001")
        var name = "H-19-2-302"
        #expect(k.household == name.withUTF8(OrderKey.hash))
        #expect(k.idLength == 10)
        #expect(OrderKey(household: "H-19-2-303", time: Timestamp(seconds: 5)!, id: "B-00000001") != k)
    }
}
