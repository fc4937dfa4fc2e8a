@testable import CovenantCEL
import Testing

/// ``ZeroPadded`` writes pairs of digits for widths 2 and 4 and digit by digit otherwise: every
/// value of each width spelled as `String` pads it.
@Suite struct ZeroPaddedTests {
    static func spelled(_ value: Int, width: Int) -> String {
        let s = String(value)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    @Test(arguments: [1, 2, 3, 4])
    func everyValueOfAWidth(_ width: Int) {
        var limit = 1
        for _ in 0..<width { limit *= 10 }
        var b = [UInt8](repeating: 0x2A, count: width + 2)
        for value in 0..<limit {
            b.withUnsafeMutableBufferPointer { ZeroPadded.write(value, width: width, into: $0, at: 1) }
            #expect(b.first == 0x2A && b.last == 0x2A, "wrote outside its place: \(value)")
            #expect(String(decoding: b[1...width], as: UTF8.self) == Self.spelled(value, width: width))
        }
    }

    @Test(arguments: [(0, 9), (1, 9), (120_000_000, 9), (999_999_999, 9), (12, 6), (5, 5)])
    func fractions(_ c: (Int, Int)) {
        var b = [UInt8](repeating: 0, count: c.1)
        b.withUnsafeMutableBufferPointer { ZeroPadded.write(c.0, width: c.1, into: $0, at: 0) }
        #expect(String(decoding: b, as: UTF8.self) == Self.spelled(c.0, width: c.1))
    }
}
