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

    /// The outcomes of a record's violated rules in its household's lane (see
    /// ``OffenceStream/record(household:time:id:violated:)``). Call from that lane's work only.
    func record(lane: Int, household: String, time: Timestamp, id: String, violated: RuleIndices) -> [(rule: Int, outcome: RuleOutcome)] {
        lanes[lane].stream.record(household: household, time: time, id: id, violated: violated)
    }

    /// Whether the lane has seen a household's record come before one taken earlier (see
    /// ``OffenceStream/sawUnordered``). Call from that lane's work only.
    func sawUnordered(lane: Int) -> Bool { lanes[lane].stream.sawUnordered }

    /// Queues `work(lane)` on every lane, after the work queued there before; then, once every
    /// lane has done it, runs `then` on a worker. Returns at once.
    func forEachLane(_ work: @escaping @Sendable (Int) -> Void, then: @escaping @Sendable () -> Void) {
        let done = DispatchGroup()
        for (i, lane) in lanes.enumerated() { lane.queue.async(group: done) { work(i) } }
        done.notify(queue: .global(), execute: then)
    }
}

/// The streamed outcomes of one batch's records, written by the lanes — each its own records'
/// slots — and read once every lane is done with the batch.
final class LaneOutcomes: @unchecked Sendable {
    typealias Outcomes = [(rule: Int, outcome: RuleOutcome)]
    private let slots: UnsafeMutableBufferPointer<Outcomes?>
    /// Per lane: whether its households' records were out of time order by the end of the batch
    /// (see ``HouseholdLanes/sawUnordered(lane:)``), each written by its lane.
    private let unorderedLanes: UnsafeMutableBufferPointer<Bool>

    init(count: Int, lanes: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
        unorderedLanes = .allocate(capacity: lanes)
        unorderedLanes.initialize(repeating: false)
    }

    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
        unorderedLanes.deallocate()
    }

    /// Marks that `lane` has seen records out of time order. Call from that lane's work only.
    func markUnordered(lane: Int) { unorderedLanes[lane] = true }

    /// Whether any lane has (read once every lane is done with the batch).
    var sawUnordered: Bool { unorderedLanes.contains(true) }

    subscript(i: Int) -> Outcomes? {
        get { slots[i] }
        set { slots[i] = newValue }
    }
}
