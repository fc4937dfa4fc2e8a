@testable import CovenantReports
import Testing

@Suite("Natural order of labels")
struct NaturalOrderTests {
    @Test(arguments: [
        ("2", "10"), ("G2", "G10"), ("G02", "G10"), ("H-9-1-101", "H-10-1-101"), ("H-3-2-302", "H-3-10-101"),
        ("a", "b"), ("-", "G01"), ("1号楼", "2号楼"), ("2号楼", "10号楼"), ("G1", "G1a"), ("G", "G1"),
        ("99999999999999999999", "a"), ("x99999999999999999998", "x99999999999999999999"),
    ])
    func ordersLikePeopleRead(_ a: String, _ b: String) {
        #expect(naturalLess(a, b), "\(a) < \(b)")
        #expect(!naturalLess(b, a), "not \(b) < \(a)")
    }

    @Test(arguments: ["", "G01", "10号楼", "H-3-2-302"])
    func isIrreflexive(_ a: String) {
        #expect(!naturalLess(a, a))
    }

    /// Sorting with it is a strict weak order: the sorted result is the same whatever the input order.
    @Test func sortsTheSameFromAnyOrder() {
        let labels = ["G10", "G2", "G1", "G01", "-", "1号楼", "10号楼", "2号楼", "G2a", "G2b", "g2", "H-10", "H-9", "H-9-1"]
        let once = labels.sorted(by: naturalLess)
        #expect(once.prefix(3) == ["-", "1号楼", "2号楼"])
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            #expect(labels.shuffled(using: &generator).sorted(by: naturalLess) == once)
        }
    }
}
