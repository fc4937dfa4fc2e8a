@testable import CovenantEngine
import Testing

/// A judgement's rule lists keep up to six indices inline and the rest in an array: whatever the
/// mix, they hold exactly what an array would, in order.
@Suite struct RuleIndicesTests {
    @Test func agreesWithAnArray() {
        var state: UInt64 = 0x5EED
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        for _ in 0..<5_000 {
            var indices = RuleIndices()
            var array: [Int] = []
            let length = next(14)
            for _ in 0..<length {
                // Mostly small indices; now and then one beyond 16 bits (it moves all to the array).
                let value = next(20) == 0 ? 65_535 + next(3) : next(300)
                indices.append(value)
                array.append(value)
                #expect(indices.count == array.count)
                #expect(indices.last == array.last)
            }
            #expect(Array(indices) == array)
            #expect(indices == RuleIndices(array))
            #expect(indices.isEmpty == array.isEmpty)
            if !array.isEmpty {
                var other = RuleIndices(array.dropLast())
                other.append(array.last! + 1)
                #expect(other != indices)
            }
        }
    }

    @Test func literalsAndBorders() {
        let six: RuleIndices = [0, 1, 2, 3, 4, 65_535]
        #expect(Array(six) == [0, 1, 2, 3, 4, 65_535])
        var seven = six
        seven.append(7)
        #expect(Array(seven) == [0, 1, 2, 3, 4, 65_535, 7])
        let big: RuleIndices = [65_536]
        #expect(Array(big) == [65_536])
        #expect(RuleIndices().isEmpty)
        #expect(RuleIndices([3, 1]) == [3, 1])
        #expect(RuleIndices([3, 1]) != [1, 3])
    }
}
