import CovenantCEL
import CovenantModel

/// Offences numbered from sorted runs in scratch files, for inputs with more out-of-order
/// violations than the engine keeps in memory: the runs (each in a household's offence order) are
/// merged, each household's violations stream through an ``OffenceStream`` — the very numbering
/// of households whose records come in time order — and the outcomes are written, in runs again,
/// sorted by record position, for the last pass to read back batch by batch. Memory holds one run's
/// worth of entries or outcomes, one household's windows and a buffer per run.
enum SpilledOffences {
    /// Numbers the violations in `runs` (written by ``OffenceIndex/writeRun(to:)``); outcomes are
    /// sorted in runs of at most `runSize`.
    ///
    /// At most `fanIn` runs of a kind are open at once: more are first merged, `fanIn` at a time,
    /// into longer runs (so the number of open files stays bounded however large the input).
    /// `progress` is told, every 65,536 violations, how many have been numbered.
    static func number(runs: [any ScratchFile], rules: [Rule], scratch: any ScratchSpace, runSize: Int,
                       fanIn: Int = defaultFanIn, progress: (Int) -> Void = { _ in }) throws -> SpilledOutcomes {
        let violationRuns = try mergeDownViolations(runs, fanIn: fanIn, scratch: scratch)
        var merge = RunMerge(try violationRuns.map { try ViolationCursor($0) }) { a, b in a.precedes(b) }
        var stream = OffenceStream(rules: rules)
        var sorter = OutcomeSorter(scratch: scratch, runSize: runSize, fanIn: fanIn)
        var household: UInt32?
        var record: (position: UInt32, time: Timestamp, id: [UInt8])?
        var violated: [Int] = []

        func flush() throws {
            guard let r = record else { return }
            let outcomes = stream.record(household: "", time: r.time, id: String(decoding: r.id, as: UTF8.self), violated: violated)
            for (rule, outcome) in outcomes { try sorter.add(record: r.position, rule: UInt32(rule), outcome) }
            record = nil
            violated.removeAll(keepingCapacity: true)
        }
        var numbered = 0
        while let entry = try merge.next() {
            numbered += 1
            if numbered & 0xFFFF == 0 { progress(numbered) }
            if entry.household != household {
                try flush()
                // Households come one after another: the previous one's windows are done with.
                stream.forgetHouseholds()
                household = entry.household
            }
            if record?.position != entry.record {
                try flush()
                record = (entry.record, entry.time, entry.id)
            }
            violated.append(Int(entry.rule))
        }
        try flush()
        progress(numbered)
        return try SpilledOutcomes(runs: sorter.finish())
    }

    /// How many runs of a kind are merged at once. Runs of a kind are merged down whenever twice
    /// this many are waiting, so fewer than 200 scratch files are open at any time — far below
    /// the usual limit of 1,024 open files.
    static let defaultFanIn = 64

    /// Violation runs merged down to at most `fanIn` (see ``mergeDown(_:fanIn:scratch:open:less:write:)``).
    static func mergeDownViolations(_ runs: [any ScratchFile], fanIn: Int, scratch: any ScratchSpace) throws -> [any ScratchFile] {
        try mergeDown(runs, fanIn: fanIn, scratch: scratch, open: ViolationCursor.init,
                      less: { $0.precedes($1) }, write: { $0.encode(into: &$1) })
    }

    /// `runs`, merged `fanIn` at a time into longer runs until at most `fanIn` are left (each merge
    /// writes one new run while its inputs are open, and releases them when done).
    static func mergeDown<Cursor: RunCursor>(
        _ runs: [any ScratchFile], fanIn: Int, scratch: any ScratchSpace, open: (any ScratchFile) throws -> Cursor,
        less: @escaping (Cursor.Item, Cursor.Item) -> Bool, write: (Cursor.Item, inout ScratchBytes) -> Void
    ) throws -> [any ScratchFile] {
        let fanIn = max(2, fanIn)
        var runs = runs
        while runs.count > fanIn {
            var merged: [any ScratchFile] = []
            var start = 0
            while start < runs.count {
                let group = runs[start..<min(start + fanIn, runs.count)]
                start += group.count
                if group.count == 1 {
                    merged.append(group.first!)
                    continue
                }
                var merge = RunMerge(try group.map(open), less: less)
                var out = ScratchWriter(try scratch.makeFile())
                while let item = try merge.next() {
                    write(item, &out.buffer)
                    try out.flushIfFull()
                }
                merged.append(try out.finish())
            }
            runs = merged
        }
        return runs
    }
}

/// One violation as a run holds it.
struct SpilledViolation {
    let household: UInt32
    let time: Timestamp
    let record: UInt32
    let rule: UInt32
    let id: [UInt8]

    /// A violation as a run holds it: household, seconds, nanoseconds, record, rule (fixed width),
    /// then the id.
    static func encode(household: UInt32, time: Timestamp, record: UInt32, rule: UInt32, id: some Collection<UInt8>,
                       into out: inout ScratchBytes) {
        out.put(household)
        out.put(time.seconds)
        out.put(time.nanos)
        out.put(record)
        out.put(rule)
        out.put(bytes: id)
    }

    func encode(into out: inout ScratchBytes) {
        Self.encode(household: household, time: time, record: record, rule: rule, id: id, into: &out)
    }

    /// The order of ``OffenceIndex/writeRun(to:)``: household, time, id bytes, record, rule.
    func precedes(_ b: SpilledViolation) -> Bool {
        if household != b.household { return household < b.household }
        if time != b.time { return time < b.time }
        if id != b.id { return id.lexicographicallyPrecedes(b.id) }
        if record != b.record { return record < b.record }
        return rule < b.rule
    }
}

/// Something a merge reads in order: its current item (nil once done) and a step to the next.
protocol RunCursor {
    associatedtype Item
    var head: Item? { get }
    mutating func advance() throws
}

/// A run of violations being read.
struct ViolationCursor: RunCursor {
    private var reader: ScratchReader
    private(set) var head: SpilledViolation?

    init(_ file: any ScratchFile) throws {
        reader = ScratchReader(file)
        try advance()
    }

    mutating func advance() throws {
        guard try reader.hasMore() else { head = nil; return }
        let household = try reader.get(UInt32.self)
        let seconds = try reader.get(Int64.self)
        let nanos = try reader.get(Int32.self)
        let record = try reader.get(UInt32.self)
        let rule = try reader.get(UInt32.self)
        let id = try reader.getBytes()
        guard let time = Timestamp(seconds: seconds, nanos: nanos) else { throw ScratchError.truncated }
        head = SpilledViolation(household: household, time: time, record: record, rule: rule, id: id)
    }
}

/// A k-way merge of sorted runs: a binary heap of the runs, ordered by their current items.
struct RunMerge<Cursor: RunCursor> {
    private var cursors: [Cursor]
    /// Each run's current item (compared without touching the cursors).
    private var heads: [Cursor.Item?]
    /// Indices of runs with an item, as a heap (the least item first).
    private var heap: [Int]
    private let less: (Cursor.Item, Cursor.Item) -> Bool

    init(_ cursors: [Cursor], less: @escaping (Cursor.Item, Cursor.Item) -> Bool) {
        self.cursors = cursors
        self.less = less
        heads = cursors.map(\.head)
        heap = []
        for i in cursors.indices where heads[i] != nil { push(i) }
    }

    /// The least item of all runs, the run stepping past it; nil when every run is done.
    mutating func next() throws -> Cursor.Item? {
        guard let top = heap.first else { return nil }
        let item = heads[top]!
        try cursors[top].advance()
        heads[top] = cursors[top].head
        if heads[top] == nil {
            heap[0] = heap[heap.count - 1]
            heap.removeLast()
        }
        if !heap.isEmpty { siftDown(0) }
        return item
    }

    /// The least item, without taking it.
    var peek: Cursor.Item? { heap.first.map { heads[$0]! } }

    @inline(__always)
    private func before(_ i: Int, _ j: Int) -> Bool { less(heads[heap[i]]!, heads[heap[j]]!) }

    private mutating func push(_ i: Int) {
        heap.append(i)
        var k = heap.count - 1
        while k > 0 {
            let parent = (k - 1) / 2
            guard before(k, parent) else { break }
            heap.swapAt(k, parent)
            k = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var k = start
        while true {
            let l = 2 * k + 1, r = l + 1
            var least = k
            if l < heap.count, before(l, least) { least = l }
            if r < heap.count, before(r, least) { least = r }
            if least == k { return }
            heap.swapAt(k, least)
            k = least
        }
    }
}

/// Outcomes gathered in memory and written in runs sorted by (record, rule).
private struct OutcomeSorter {
    let scratch: any ScratchSpace
    let runSize: Int
    private var items: [(record: UInt32, rule: UInt32, start: Int, end: Int)] = []
    private var bytes = ScratchBytes()
    private var runs: [any ScratchFile] = []

    /// At most this many bytes of encoded outcomes are held before a run is written.
    static let maxRunBytes = 32 << 20

    let fanIn: Int

    init(scratch: any ScratchSpace, runSize: Int, fanIn: Int) {
        self.scratch = scratch
        self.runSize = max(1, runSize)
        self.fanIn = fanIn
    }

    mutating func add(record: UInt32, rule: UInt32, _ outcome: RuleOutcome) throws {
        let start = bytes.count
        bytes.put(outcome)
        items.append((record, rule, start, bytes.count))
        // Bounded by bytes too: an outcome names up to ten earlier reports (≈ 150 bytes).
        if items.count >= runSize || bytes.count >= Self.maxRunBytes { try writeRun() }
    }

    private mutating func writeRun() throws {
        guard !items.isEmpty else { return }
        items.sort { $0.record != $1.record ? $0.record < $1.record : $0.rule < $1.rule }
        var out = ScratchWriter(try scratch.makeFile())
        for item in items {
            OutcomeCursor.encode(record: item.record, rule: item.rule, encoded: bytes.bytes[item.start..<item.end], into: &out.buffer)
            try out.flushIfFull()
        }
        runs.append(try out.finish())
        items.removeAll(keepingCapacity: true)
        bytes.removeAll()
        // Keep the open runs bounded while numbering goes on.
        if runs.count >= 2 * fanIn { runs = try Self.mergeDown(runs, fanIn: fanIn, scratch: scratch) }
    }

    mutating func finish() throws -> [any ScratchFile] {
        try writeRun()
        return try Self.mergeDown(runs, fanIn: fanIn, scratch: scratch)
    }

    static func mergeDown(_ runs: [any ScratchFile], fanIn: Int, scratch: any ScratchSpace) throws -> [any ScratchFile] {
        try SpilledOffences.mergeDown(runs, fanIn: fanIn, scratch: scratch, open: OutcomeCursor.init, less: OutcomeCursor.precedes,
                                      write: { OutcomeCursor.encode(record: $0.record, rule: $0.rule, encoded: $0.encoded, into: &$1) })
    }
}

extension ScratchBytes {
    /// An outcome: offence, whether it is a duplicate (and of which report), its earlier offences.
    mutating func put(_ outcome: RuleOutcome) {
        put(Int32(truncatingIfNeeded: outcome.offence))
        if let original = outcome.duplicateOf {
            put(UInt8(1))
            put(bytes: original.utf8)
        } else {
            put(UInt8(0))
        }
        put(UInt32(truncatingIfNeeded: outcome.earlier.count))
        for id in outcome.earlier { put(bytes: id.utf8) }
    }
}

/// A run of outcomes being read: each outcome's bytes as they are, decoded later by the worker
/// that builds its verdict (``BatchOutcomes``), not on the thread that reads the runs.
private struct OutcomeCursor: RunCursor {
    private var reader: ScratchReader
    private(set) var head: (record: UInt32, rule: UInt32, encoded: [UInt8])?

    init(_ file: any ScratchFile) throws {
        reader = ScratchReader(file)
        try advance()
    }

    mutating func advance() throws {
        guard try reader.hasMore() else { head = nil; return }
        let record = try reader.get(UInt32.self)
        let rule = try reader.get(UInt32.self)
        let encoded = try reader.getBytes()
        guard BatchOutcomes.decode(encoded, keep: false) != nil else { throw ScratchError.truncated }
        head = (record, rule, encoded)
    }

    /// An outcome as a run holds it: record, rule, then its encoding (``ScratchBytes/put(_:)``).
    static func encode(record: UInt32, rule: UInt32, encoded: some Collection<UInt8>, into out: inout ScratchBytes) {
        out.put(record)
        out.put(rule)
        out.put(bytes: encoded)
    }

    /// Record position, then rule.
    static func precedes(_ x: Item, _ y: Item) -> Bool {
        x.record != y.record ? x.record < y.record : x.rule < y.rule
    }
}

/// The outcomes of spilled violations, read back in record order, a batch at a time.
struct SpilledOutcomes {
    private var merge: RunMerge<OutcomeCursor>

    fileprivate init(runs: [any ScratchFile]) throws {
        merge = RunMerge(try runs.map { try OutcomeCursor($0) }, less: OutcomeCursor.precedes)
    }

    /// The outcomes of the records at `positions` (those of earlier records, which no verdict
    /// asks for — the history's — are passed over).
    mutating func take(_ positions: Range<Int>) throws -> BatchOutcomes {
        var items: [(record: Int, rule: Int, encoded: [UInt8])] = []
        while let head = merge.peek, Int(head.record) < positions.upperBound {
            _ = try merge.next()
            if Int(head.record) >= positions.lowerBound { items.append((Int(head.record), Int(head.rule), head.encoded)) }
        }
        return BatchOutcomes(items: items)
    }
}

/// The outcomes of one batch's records, in (record, rule) order, decoded when asked for.
struct BatchOutcomes: Sendable {
    let items: [(record: Int, rule: Int, encoded: [UInt8])]

    func outcome(record: Int, rule: Int) -> RuleOutcome? {
        guard let i = OffenceOutcomes.position(ofRecord: record, rule: rule, count: items.count,
                                               record: { items[$0].record }, rule: { items[$0].rule }) else { return nil }
        return Self.decode(items[i].encoded, keep: true)
    }

    /// An outcome as ``ScratchBytes/put(_:)`` encoded it; nil if the bytes are not one. With `keep`
    /// false the bytes are only checked (no string is made).
    static func decode(_ bytes: [UInt8], keep: Bool) -> RuleOutcome? {
        var at = 0
        func int<T: FixedWidthInteger>(_: T.Type) -> T? {
            guard at + MemoryLayout<T>.size <= bytes.count else { return nil }
            var v = T.zero
            for k in 0..<MemoryLayout<T>.size { v |= T(truncatingIfNeeded: bytes[at + k]) << (8 * k) }
            at += MemoryLayout<T>.size
            return v
        }
        func text() -> String? {
            guard let n = int(UInt32.self).map(Int.init), at + n <= bytes.count else { return nil }
            defer { at += n }
            return keep ? String(decoding: bytes[at..<at + n], as: UTF8.self) : ""
        }
        guard let offence = int(Int32.self), let flag = int(UInt8.self) else { return nil }
        var duplicateOf: String?
        if flag == 1 {
            guard let t = text() else { return nil }
            duplicateOf = t
        }
        guard let n = int(UInt32.self), n <= RuleOutcome.earlierKept else { return nil }
        var earlier: [String] = []
        if keep { earlier.reserveCapacity(Int(n)) }
        for _ in 0..<n {
            guard let t = text() else { return nil }
            if keep { earlier.append(t) }
        }
        return at == bytes.count ? RuleOutcome(offence: Int(offence), duplicateOf: duplicateOf, earlier: earlier) : nil
    }
}
