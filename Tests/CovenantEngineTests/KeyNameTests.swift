@testable import CovenantEngine
import Testing

/// Keys are recognised a word at a time (``KeyName``, ``JSONScanner/index(of:in:tryingFirst:)``):
/// the answer must be exactly what comparing the bytes gives, for names and keys of any length
/// (across the eight- and sixteen-byte borders), sharing long prefixes, and lying anywhere in the
/// input — at its very end too, where the words cannot be loaded whole.
@Suite struct KeyNameTests {
    /// `JSONScanner.string` (small strings made in place) gives exactly `String(decoding:as:)`'s
    /// string, for ASCII, UTF-8 and broken bytes of every length around the fifteen-byte edge.
    @Test func textMatchesStringDecoding() {
        var random = OrderIndependenceTests.Random(state: 5)
        let pieces: [[UInt8]] = [Array("a".utf8), Array("Z9-_".utf8), Array("楼".utf8), Array("é".utf8), [0xFF], [0xE6, 0xA5], [0x80], [0x00], [0x7F]]
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            let target = random.int(20)
            while bytes.count < target { bytes += pieces[random.int(random.int(4) == 0 ? pieces.count : 2)] }
            let made = bytes.withUnsafeBufferPointer { JSONScanner.string($0) }
            let expected = String(decoding: bytes, as: UTF8.self)
            #expect(made == expected && Array(made.utf8) == Array(expected.utf8), "\(bytes)")
        }
    }

    @Test func indexMatchesByteComparison() {
        var random = OrderIndependenceTests.Random(state: 11)
        let alphabet = Array("ab_".utf8)
        func word(_ count: Int) -> [UInt8] { (0..<count).map { _ in alphabet[random.int(alphabet.count)] } }
        for _ in 0..<3_000 {
            // Names that often share a prefix and differ only late, or only in length.
            let stem = word(random.int(20))
            var names: [[UInt8]] = []
            for _ in 0..<(1 + random.int(6)) {
                let name = random.int(2) == 0 ? stem + word(random.int(4)) : word(random.int(24))
                if !names.contains(name) { names.append(name) }
            }
            let key = random.int(3) == 0 ? word(random.int(24)) : names[random.int(names.count)].prefix(random.int(2) == 0 ? 99 : random.int(24)).map { $0 }
            // The key inside a buffer, with zero to twenty bytes after it.
            let before = word(random.int(5)), after = word(random.int(21))
            let buffer = before + key + after
            let range = before.count..<(before.count + key.count)
            let table = KeyNames(names.map { String(decoding: $0, as: UTF8.self) })
            let expected = random.int(names.count + 1)
            let found = buffer.withUnsafeBufferPointer { JSONScanner(bytes: $0).index(of: range, in: table, tryingFirst: expected) }
            #expect(found == names.firstIndex(of: key), "\(String(decoding: key, as: UTF8.self)) in \(names.map { String(decoding: $0, as: UTF8.self) })")
        }
    }
}
