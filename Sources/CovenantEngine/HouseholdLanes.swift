import CovenantCEL
import CovenantModel
import Dispatch

/// The streamed offence numbering split by household over serial lanes, so that it runs beside
/// the caller's thread — and on both cores — instead of on it.
///
/// A household's offences depend only on its own earlier records, so each household belongs to
/// one lane (by a hash of its name) and each lane numbers its households' records in input order:
/// the outcomes are those of one stream over the whole input, however many lanes there are. The
/// numbering mostly waits for memory (a household's windows are rarely in the cache), and two
/// lanes wait side by side.
final class HouseholdLanes: @unchecked Sendable {
    /// One lane's stream, touched only by work on the lane's queue — or by the caller while no
    /// lane work is queued (the history's records, before the current records start).
    private final class Lane: @unchecked Sendable {
        var stream: OffenceStream
        let queue: DispatchQueue
        init(_ stream: OffenceStream, _ label: String) {
            self.stream = stream
            queue = DispatchQueue(label: label)
        }
    }

    private let lanes: [Lane]

    var count: Int { lanes.count }

    /// `checksOrder`: whether each lane checks that its households' records come in time order
    /// (see ``OffenceStream/checksOrder``).
    init(count: Int, rules: [Rule], namesEarlier: Bool, checksOrder: Bool = false) {
        lanes = (0..<max(1, count)).map {
            Lane(OffenceStream(rules: rules, namesEarlier: namesEarlier, checksOrder: checksOrder), "covenant.lane.\($0)")
        }
    }

    /// The lane of a household among `count`: the hash the order scan keeps of its name
    /// (`OrderKey.hash`), mixed (an FNV hash's low bits are the parity of the bytes', its middle
    /// ones poorly spread for short names: 38 % of the workload's households fell in one of two
    /// lanes by bit 32); every record without a household in lane 0 — it is not numbered.
    static func lane(of household: String?, among count: Int) -> Int {
        guard count > 1, let household else { return 0 }
        return Int(HashMix.mix(OrderKey.hash(household)) % UInt64(count))
    }

    /// The outcomes of a record's violated rules in its household's lane, appended to `outcomes` (see
    /// ``OffenceStream/record(household:time:id:violated:into:)``). Call from that lane's work only —
    /// or from the caller while no lane has work queued (the history's records, before the current ones).
    func record(lane: Int, household: String, time: Timestamp, id: String, violated: RuleIndices,
                into outcomes: inout [(rule: Int, outcome: RuleOutcome)]) {
        lanes[lane].stream.record(household: household, time: time, id: id, violated: violated, into: &outcomes)
    }

    /// Whether the lane has seen a household's record come before one taken earlier (see
    /// ``OffenceStream/sawUnordered``). Call from that lane's work only — or from the caller while
    /// no lane has work queued.
    func sawUnordered(lane: Int) -> Bool { lanes[lane].stream.sawUnordered }

    /// Queues `work(lane)` on every lane, after the work queued there before; then, once every
    /// lane has done it, runs `then` on a worker. Returns at once.
    func forEachLane(_ work: @escaping @Sendable (Int) -> Void, then: @escaping @Sendable () -> Void) {
        let done = DispatchGroup()
        for (i, lane) in lanes.enumerated() { lane.queue.async(group: done) { work(i) } }
        done.notify(queue: .global(), execute: then)
    }
}

/// The streamed outcomes of one batch's records, written by the lanes — each its own records' —
/// and read once every lane is done with the batch. Each lane appends its records' outcomes to one
/// list of its own (a list per record was an allocation per record, freed on another thread).
final class LaneOutcomes: @unchecked Sendable {
    typealias Outcome = (rule: Int, outcome: RuleOutcome)
    /// Per record: its lane, where its outcomes start in the lane's list and how many there are
    /// (none: the record was not streamed — a streamed record has at least one violated rule).
    private let spans: UnsafeMutableBufferPointer<(lane: Int32, start: Int32, count: Int32)>
    /// Per lane: its records' outcomes, in input order.
    private let lists: UnsafeMutableBufferPointer<[Outcome]>
    /// Per lane: whether its households' records were out of time order by the end of the batch
    /// (see ``HouseholdLanes/sawUnordered(lane:)``), each written by its lane.
    private let unorderedLanes: UnsafeMutableBufferPointer<Bool>

    init(count: Int, lanes: Int) {
        spans = .allocate(capacity: count)
        spans.initialize(repeating: (0, 0, 0))
        lists = .allocate(capacity: lanes)
        lists.initialize(repeating: [])
        unorderedLanes = .allocate(capacity: lanes)
        unorderedLanes.initialize(repeating: false)
    }

    deinit {
        spans.deallocate()
        _ = lists.deinitialize()
        lists.deallocate()
        unorderedLanes.deallocate()
    }

    /// Appends record `i`'s outcomes, made by `fill`, to its lane's list. Call from that lane's work only.
    func record(_ i: Int, lane: Int, _ fill: (inout [Outcome]) -> Void) {
        let start = lists[lane].count
        fill(&lists[lane])
        spans[i] = (Int32(lane), Int32(start), Int32(lists[lane].count - start))
    }

    /// Whether record `i` was numbered by its lane.
    func streamed(_ i: Int) -> Bool { spans[i].count > 0 }

    /// Record `i`'s outcome for `rule` (nil: not among the rules it violated).
    func outcome(_ i: Int, rule: Int) -> RuleOutcome? {
        let span = spans[i]
        return lists[Int(span.lane)].withUnsafeBufferPointer { list in
            for k in Int(span.start)..<Int(span.start + span.count) where list[k].rule == rule { return list[k].outcome }
            return nil
        }
    }

    /// Marks that `lane` has seen records out of time order. Call from that lane's work only.
    func markUnordered(lane: Int) { unorderedLanes[lane] = true }

    /// Whether any lane has (read once every lane is done with the batch).
    var sawUnordered: Bool { unorderedLanes.contains(true) }
}

/// What the lanes take of one batch's records: each one's lane and what its numbering takes of it
/// (nil: nothing), written by the worker that judged the record — each its own slot — and read by
/// the lanes once the batch is judged. A compact list: the lanes once picked these out of the
/// judged records themselves, some 500 bytes apart, a cache line or two per record for each lane.
final class LaneInputs: @unchecked Sendable {
    private let lanes: UnsafeMutableBufferPointer<Int32>
    private let entries: UnsafeMutableBufferPointer<Engine.Streamed?>

    init(count: Int) {
        lanes = .allocate(capacity: count)
        lanes.initialize(repeating: 0)
        entries = .allocate(capacity: count)
        entries.initialize(repeating: nil)
    }

    deinit {
        lanes.deallocate()
        _ = entries.deinitialize()
        entries.deallocate()
    }

    var count: Int { lanes.count }

    /// Sets record `i`'s lane and entry. Call from the work that judged it only.
    func set(_ i: Int, lane: Int, streamed: consuming Engine.Streamed?) {
        lanes[i] = Int32(lane)
        entries[i] = streamed
    }

    func lane(_ i: Int) -> Int { Int(lanes[i]) }

    /// Calls `body` with record `i`'s entry, read in place, if it has one.
    func withStreamed(_ i: Int, _ body: (borrowing Engine.Streamed) -> Void) {
        if entries[i] != nil { body(entries[i]!) }
    }
}
