@testable import CovenantIO
import CovenantModel
import Testing

@Suite struct NDJSONSplitTests {
    /// The word-at-a-time line search finds exactly the newline a byte-by-byte search finds, and
    /// calls a line ASCII exactly when every byte before that newline is below 0x80.
    @Test func lineEndMatchesByteSearch() {
        var random = OrderIndependenceTests.Random(state: 7)
        for round in 0..<4_000 {
            let count = random.int(60)
            // Some rounds all ASCII, some with high bytes now and then.
            let highs = round % 3 == 0 ? 0 : 1 + random.int(12)
            let bytes = (0..<count).map { _ -> UInt8 in
                if random.int(7) == 0 { return 0x0A }
                if highs > 0, random.int(40) < highs { return UInt8(0x80 + random.int(0x80)) }
                return UInt8(0x09 + random.int(0x77))
            }
            let from = count == 0 ? 0 : random.int(count + 1)
            let expected = bytes[from...].firstIndex(of: 0x0A)
            let ascii = bytes[from..<(expected ?? bytes.count)].allSatisfy { $0 < 0x80 }
            let found = bytes.withUnsafeBufferPointer { IncidentReader.lineEnd(in: $0, from: from) }
            #expect(found.newline == expected && found.ascii == ascii, "\(bytes) from \(from)")
        }
    }

    /// Lines the search calls ASCII skip UTF-8 validation; the others are still validated, however
    /// long, wherever the bad byte lies, and whether or not the line came in one chunk.
    @Test func nonASCIILinesAreStillValidated() {
        let long = String(repeating: "x", count: 40)
        let lines: [[UInt8]] = [
            Array("{\"id\":\"a\",\"note\":\"\(long)\"}".utf8),
            Array("{\"id\":\"b\",\"note\":\"".utf8) + [0xC3, 0x28] + Array("\(long)\"}".utf8),
            Array("{\"id\":\"c\",\"note\":\"\u{884C}\(long)\"}".utf8),
            Array("{\"id\":\"d\",\"note\":\"\(long)".utf8) + [0xFF] + Array("\"}".utf8),
        ]
        let bytes = Array(lines.joined(separator: [0x0A]))
        for chunk in [1 << 20, 7, 16, 33] {
            let out = Self.records(bytes, chunk: chunk) { record in
                switch record.content {
                case .success: "\(record.origin.line):\(record.id ?? "-")"
                case .failure(let problem): "\(record.origin.line):\(problem.message.en)"
                }
            }
            #expect(out == ["1:a", "2:line is not valid UTF-8", "3:c", "4:line is not valid UTF-8"], "chunk \(chunk)")
        }
    }

    /// What `describe` says of each record the streaming reader finds in `bytes` given `chunk` bytes at a time.
    static func records(_ bytes: [UInt8], chunk: Int, _ describe: (IncidentRecord) -> String) -> [String] {
        var offset = 0
        var out: [String] = []
        IncidentReader.forEachNDJSON(file: "f", nextChunk: {
            guard offset < bytes.count else { return nil }
            defer { offset += chunk }
            return Array(bytes[offset..<min(bytes.count, offset + chunk)])
        }) { out.append(describe($0)) }
        return out
    }

    /// Lines split across chunks of every size give the same records, with the same line numbers.
    @Test func chunkBoundariesDoNotMatter() {
        let text = "{\"id\":\"a\"}\r\n\n  \n{\"id\":\"b\"}\n{\"id\":\"c\",\"note\":\"\u{884C}\"}"
        let bytes = Array(text.utf8)
        func read(chunk: Int) -> [String] { Self.records(bytes, chunk: chunk) { "\($0.origin.line):\($0.id ?? "-")" } }
        #expect(read(chunk: 1 << 20) == ["1:a", "4:b", "5:c"])
        for size in 1...12 { #expect(read(chunk: size) == ["1:a", "4:b", "5:c"], "chunk \(size)") }
    }
}
