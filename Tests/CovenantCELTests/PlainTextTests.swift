@testable import CovenantCEL
import Testing

/// ``JSON/isPlain(_:)`` — the word-at-a-time test every written string goes through — says "plain"
/// exactly when no byte may need escaping, byte by byte (``JSON/mayNeedEscape(_:)``): a string it
/// wrongly calls plain would be written unescaped, invalid JSON.
@Suite struct PlainTextTests {
    static func bytewise(_ bytes: [UInt8]) -> Bool { !bytes.contains(where: JSON.mayNeedEscape) }

    static func isPlain(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBufferPointer(JSON.isPlain) }

    /// Every byte value at every place of every length to 24 (words, the overlapping last word and
    /// the byte loop of short text), among plain neighbours of both halves of the byte range.
    @Test(arguments: [UInt8(0x61), 0xE4])
    func eachByteAtEachPlace(_ filler: UInt8) {
        for n in 1...24 {
            for place in 0..<n {
                for v in 0...255 {
                    var bytes = [UInt8](repeating: filler, count: n)
                    bytes[place] = UInt8(v)
                    #expect(Self.isPlain(bytes) == Self.bytewise(bytes), "n \(n), byte \(v) at \(place)")
                }
            }
        }
        #expect(Self.isPlain([]))
    }

    /// Random text from bytes near the special ones (where a borrow between bytes could mislead a
    /// word test): the same answer as the byte loop.
    @Test func randomTextNearTheSpecialBytes() {
        let alphabet: [UInt8] = [0x00, 0x01, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7E, 0x7F,
                                 0x80, 0x81, 0xA0, 0xE1, 0xE2, 0xE3, 0xFE, 0xFF, 0x41]
        var rng = PropertyTests.Random(state: 2026)
        var plainSeen = 0
        for _ in 0..<20_000 {
            let n = Int(rng.next() % 40)
            // Mostly harmless bytes, so that plain strings occur often enough to matter.
            let bytes = (0..<n).map { _ in rng.next() % 8 == 0 ? alphabet[Int(rng.next() % UInt64(alphabet.count))] : 0x41 + UInt8(rng.next() % 26) }
            let expected = Self.bytewise(bytes)
            if expected { plainSeen += 1 }
            #expect(Self.isPlain(bytes) == expected, "\(bytes)")
        }
        #expect(plainSeen > 1_000)
    }
}
