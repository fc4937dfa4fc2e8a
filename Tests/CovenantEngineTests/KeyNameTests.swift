@testable import CovenantEngine
import Testing

/// Keys are recognised a word at a time (``KeyName``, ``JSONScanner/index(of:in:tryingFirst:)``):
/// the answer must be exactly what comparing the bytes gives, for names and keys of any length
/// (across the eight- and sixteen-byte borders), sharing long prefixes, and lying anywhere in the
/// input — at its very end too, where the words cannot be loaded whole.
@Suite struct KeyNameTests {
    /// `membersPredicted` (keys compared in place with the names expected next) reports exactly
    /// what reading each key and looking it up reports — in order or not, repeated, unknown,
    /// with blanks around, at the end of the input, for names up to and past sixteen bytes and
    /// names that are not plain — and accepts and refuses the same objects.
    @Test func predictedKeysMatchLookedUpKeys() {
        var random = OrderIndependenceTests.Random(state: 17)
        let pool = ["id", "kind", "occurred_at", "household", "a_sixteen_bytes_", "a_seventeen_bytes", "x", "q\"uote", "zone"]
        for _ in 0..<4_000 {
            let names = (0..<(1 + random.int(6))).map { _ in pool[random.int(pool.count)] }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            let table = KeyNames(names)
            var keys: [String] = []
            for _ in 0..<random.int(7) {
                switch random.int(6) {
                case 0: keys.append("other")
                case 1: keys.append(names[random.int(names.count)])
                default: keys.append(names[min(keys.count, names.count - 1)])
                }
            }
            let blank = { random.int(5) == 0 ? " " : "" }
            let body = keys.map { key in
                let spelled = key.replacingOccurrences(of: "\"", with: "\\\"")
                return blank() + "\"" + spelled + "\"" + blank() + ":" + blank() + "1" + blank()
            }.joined(separator: ",")
            let json = Array(("{" + body + "}" + String(repeating: " ", count: random.int(3))).utf8)
            func run(_ predicted: Bool) -> (Bool, [String]) {
                json.withUnsafeBufferPointer { buffer in
                    var s = JSONScanner(bytes: buffer)
                    var seen: [String] = []
                    let member: (inout JSONScanner, Int?, Range<Int>) -> Bool = { s, index, key in
                        seen.append("\(index.map(String.init) ?? "-") \(String(decoding: buffer[key], as: UTF8.self))")
                        return s.skipValue(depth: 1)
                    }
                    let ok = predicted
                        ? s.membersPredicted(table, lookup: { s, key, expected in s.index(of: key, in: table, tryingFirst: expected) }, member)
                        : s.membersUnchecked { s, key in member(&s, s.index(of: key, in: table), key) }
                    return (ok, seen)
                }
            }
            let (predictedOK, predicted) = run(true), (lookedUpOK, lookedUp) = run(false)
            #expect(predictedOK == lookedUpOK && predicted == lookedUp, "\(String(decoding: json, as: UTF8.self)) in \(names)")
        }
    }

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
