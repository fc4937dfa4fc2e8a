@testable import CovenantEngine
import Testing

/// The order scan's flat map must behave as a dictionary: the same value for every key through
/// any number of growths, keys that share their low bits (or are zero) kept apart.
@Suite struct HashMapTests {
    @Test func behavesAsADictionary() {
        var random = OrderIndependenceTests.Random(state: 5)
        var map = HashMap<Int>()
        var reference: [UInt64: Int] = [:]
        for step in 0..<20_000 {
            // Keys from a small pool (repeats), with low bits alike, and zero.
            let key: UInt64 = switch random.int(4) {
            case 0: 0
            case 1: UInt64(random.int(64)) << 40
            default: UInt64(random.int(3_000))
            }
            let added = random.int(10)
            let seen = map.update(key, initial: 0) { value -> Int in
                value += added
                return value
            }
            reference[key, default: 0] += added
            #expect(seen == reference[key], "step \(step), key \(key)")
        }
        #expect(map.count == reference.count)
        for (key, value) in reference { #expect(map[key] == value) }
        #expect(map[UInt64.max] == nil)
    }
}
