@testable import CovenantEngine
import Testing

/// `JSONScanner.rawString()` finds a string's end a word or two at a time: its answer must be a
/// byte-by-byte reading's — the range up to the closing quote, or giving up at a backslash or a
/// control character before it — wherever they fall (across the eight- and sixteen-byte borders),
/// with blanks before the string, and near the end of the input where words cannot be loaded whole.
@Suite struct RawStringTests {
    /// The byte-by-byte reading: the string's range, nil having given up, or nil not a string.
    static func reference(_ bytes: [UInt8], from: Int) -> (range: Range<Int>?, gaveUp: Bool) {
        var i = from
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        guard i < bytes.count, bytes[i] == 0x22 else { return (nil, false) }
        let start = i + 1
        for k in start..<bytes.count {
            if bytes[k] == 0x22 { return (start..<k, false) }
            if bytes[k] == 0x5C || bytes[k] < 0x20 { return (nil, true) }
        }
        return (nil, true)
    }

    @Test func matchesAByteReading() {
        var random = OrderIndependenceTests.Random(state: 3)
        for _ in 0..<20_000 {
            var bytes: [UInt8] = (0..<random.int(4)).map { _ in [0x20, 0x0A, 0x41][random.int(3)] }
            if random.int(10) > 0 { bytes.append(0x22) }
            for _ in 0..<random.int(40) {
                switch random.int(30) {
                case 0: bytes.append(0x22)
                case 1: bytes.append(0x5C)
                case 2: bytes.append(UInt8(random.int(0x20)))
                case 3: bytes.append(UInt8(0x80 + random.int(0x80)))
                default: bytes.append(UInt8(0x20 + random.int(0x5F)))
                }
            }
            let expected = Self.reference(bytes, from: 0)
            let (range, gaveUp) = bytes.withUnsafeBufferPointer { buffer in
                var s = JSONScanner(bytes: buffer)
                let range = s.rawString()
                if let range { #expect(s.position == range.upperBound + 1) }
                return (range, s.gaveUp)
            }
            #expect(range == expected.range && gaveUp == expected.gaveUp, "\(bytes)")
        }
    }
}
