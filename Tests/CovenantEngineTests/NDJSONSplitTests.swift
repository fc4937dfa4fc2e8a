@testable import CovenantIO
import CovenantModel
import Testing

@Suite struct NDJSONSplitTests {
    /// The word-at-a-time newline search finds exactly what a byte-by-byte search finds.
    @Test func newlineSearchMatchesFirstIndex() {
        var random = OrderIndependenceTests.Random(state: 7)
        for _ in 0..<2_000 {
            let count = random.int(40)
            let bytes = (0..<count).map { _ in random.int(5) == 0 ? UInt8(0x0A) : UInt8(0x09 + random.int(0xF0)) }
            let from = count == 0 ? 0 : random.int(count + 1)
            #expect(IncidentReader.newline(in: bytes, from: from) == bytes[from...].firstIndex(of: 0x0A), "\(bytes) from \(from)")
        }
    }

    /// Lines split across chunks of every size give the same records, with the same line numbers.
    @Test func chunkBoundariesDoNotMatter() {
        let text = "{\"id\":\"a\"}\r\n\n  \n{\"id\":\"b\"}\n{\"id\":\"c\",\"note\":\"\u{884C}\"}"
        let bytes = Array(text.utf8)
        func read(chunk: Int) -> [String] {
            var offset = 0
            var out: [String] = []
            IncidentReader.forEachNDJSON(file: "f", nextChunk: {
                guard offset < bytes.count else { return nil }
                defer { offset += chunk }
                return Array(bytes[offset..<min(bytes.count, offset + chunk)])
            }) { record in out.append("\(record.origin.line):\(record.id ?? "-")") }
            return out
        }
        #expect(read(chunk: 1 << 20) == ["1:a", "4:b", "5:c"])
        for size in 1...12 { #expect(read(chunk: size) == ["1:a", "4:b", "5:c"], "chunk \(size)") }
    }
}
