@testable import CovenantEngine
import Testing

/// The engine's scratch runs: what is written is read back, a cut-short file is an error (not a
/// crash, not a silently shorter run), and merging sorted runs gives one sorted sequence.
@Suite struct ScratchTests {
    /// A scratch file that hands out at most `step` bytes per read (the reader must not care).
    final class Trickle: ScratchFile {
        var bytes: [UInt8] = []
        var position = 0
        let step: Int
        init(step: Int) { self.step = step }
        func write(_ more: UnsafeRawBufferPointer) throws { bytes.append(contentsOf: more) }
        func rewind() throws { position = 0 }
        func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            let n = min(step, buffer.count, bytes.count - position)
            for k in 0..<n { buffer[k] = bytes[position + k] }
            position += n
            return n
        }
    }

    @Test(arguments: [1, 3, 4096])
    func whatIsWrittenIsReadBack(step: Int) throws {
        let file = Trickle(step: step)
        var out = ScratchWriter(file)
        let texts = ["", "H-1-2-301", String(repeating: "长", count: 300)]
        for (i, text) in texts.enumerated() {
            out.buffer.put(UInt32(i))
            out.buffer.put(Int64.min + Int64(i))
            out.buffer.put(bytes: text.utf8)
            try out.flushIfFull()
        }
        var reader = ScratchReader(try out.finish(), bufferSize: 8)
        for (i, text) in texts.enumerated() {
            #expect(try reader.hasMore())
            #expect(try reader.get(UInt32.self) == UInt32(i))
            #expect(try reader.get(Int64.self) == Int64.min + Int64(i))
            #expect(try reader.getBytes() == Array(text.utf8))
        }
        #expect(try !reader.hasMore())
    }

    @Test func aFileCutShortIsAnError() throws {
        let file = Trickle(step: 5)
        var out = ScratchWriter(file)
        out.buffer.put(bytes: Array("0123456789".utf8))
        _ = try out.finish()
        file.bytes.removeLast(3)
        var reader = ScratchReader(file)
        #expect(throws: ScratchError.truncated) { _ = try reader.getBytes() }
    }

    /// An outcome written to a run is read back as it was; any shorter or longer bytes are refused.
    @Test func outcomesAreReadBackWhole() {
        let outcomes = [RuleOutcome(offence: 3, duplicateOf: nil, earlier: ["Q-1", "长-2"]),
                        RuleOutcome(offence: 0, duplicateOf: "Q-7", earlier: []),
                        RuleOutcome(offence: 11, duplicateOf: nil, earlier: (1...10).map { "E\($0)" })]
        for outcome in outcomes {
            var bytes = ScratchBytes()
            bytes.put(outcome)
            let back = BatchOutcomes.decode(bytes.bytes, keep: true)
            #expect(back?.offence == outcome.offence && back?.duplicateOf == outcome.duplicateOf && back?.earlier == outcome.earlier)
            for cut in 0..<bytes.count { #expect(BatchOutcomes.decode(Array(bytes.bytes[..<cut]), keep: false) == nil) }
            #expect(BatchOutcomes.decode(bytes.bytes + [0], keep: false) == nil)
        }
    }

    struct Numbers: RunCursor {
        var items: [Int]
        var head: Int? { items.first }
        mutating func advance() throws { items.removeFirst() }
    }

    @Test(arguments: [0, 1, 2, 5, 40] as [Int])
    func mergingSortedRunsSorts(runs: Int) throws {
        var state: UInt64 = UInt64(runs) &+ 17
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 40) % 1000
        }
        let lists = (0..<runs).map { k in (0..<(k * 7 % 23)).map { _ in next() }.sorted() }
        var merge = RunMerge(lists.map { Numbers(items: $0) }) { $0 < $1 }
        var merged: [Int] = []
        while let x = try merge.next() { merged.append(x) }
        #expect(merged == lists.flatMap { $0 }.sorted())
    }
}
