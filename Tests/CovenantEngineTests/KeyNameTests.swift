@testable import CovenantEngine
import Testing

/// Keys are recognised a word at a time (``KeyName``, ``JSONScanner/index(of:in:tryingFirst:)``):
/// the answer must be exactly what comparing the bytes gives, for names and keys of any length
/// (across the eight- and sixteen-byte borders), sharing long prefixes, and lying anywhere in the
/// input — at its very end too, where the words cannot be loaded whole.
@Suite struct KeyNameTests {
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
