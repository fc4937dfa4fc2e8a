import CovenantEngine
import CovenantModel
import Testing

/// The verdict never depends on input order, nor on how records are split between history and
/// current input (design sketch §3).
@Suite struct OrderIndependenceTests {
    let engine = Engine(convention: convention(baseConvention))

    /// A deterministic generator (SplitMix64), so failures reproduce.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    func incidents(seed: UInt64, count: Int) -> [IncidentRecord] {
        var r = Random(state: seed)
        return (0..<count).map { i in
            let day = 1 + r.int(28)
            let hour = r.int(24)
            let minute = r.int(4) * 15
            let h = "H-\(r.int(4))"
            let time = "2026-05-\(day < 10 ? "0" : "")\(day)T\(hour < 10 ? "0" : "")\(hour):\(minute == 0 ? "00" : String(minute)):00+08:00"
            switch r.int(4) {
            case 0: return report("I\(i)", time, household: h, category: "noise", facts: #"{"source": "tv"}"#)
            case 1: return report("I\(i)", time, household: h, facts: #"{"location": "road", "charging": false, "blocking_exit": true}"#)
            // Both rules of the ebike group at once: one occurrence of the group.
            case 2: return report("I\(i)", time, household: h, facts: #"{"location": "corridor", "charging": true, "blocking_exit": true}"#)
            default: return report("I\(i)", time, household: h)
            }
        }
    }

    func key(_ v: Verdict) -> String {
        "\(v.incident) \(v.status) \(v.violations.map { "\($0.rule):\($0.offence ?? 0):\($0.points)" }) \(v.duplicates.map(\.of))"
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func permutationsGiveTheSameVerdicts(seed: UInt64) {
        let records = incidents(seed: seed, count: 60)
        let reference = Dictionary(uniqueKeysWithValues: engine.evaluate(records).map { ($0.incident, key($0)) })
        var r = Random(state: seed &* 31)
        for _ in 0..<5 {
            var shuffled = records
            for i in stride(from: shuffled.count - 1, to: 0, by: -1) { shuffled.swapAt(i, r.int(i + 1)) }
            let verdicts = engine.evaluate(shuffled)
            for v in verdicts { #expect(reference[v.incident] == key(v)) }
        }
    }

    @Test(arguments: [7, 8, 9] as [UInt64])
    func splittingIntoHistoryGivesTheSameVerdicts(seed: UInt64) {
        let records = incidents(seed: seed, count: 50)
        let reference = Dictionary(uniqueKeysWithValues: engine.evaluate(records).map { ($0.incident, key($0)) })
        var r = Random(state: seed)
        var history: [IncidentRecord] = []
        var current: [IncidentRecord] = []
        for rec in records { if r.int(2) == 0 { history.append(rec) } else { current.append(rec) } }
        for v in engine.evaluate(current, history: history) { #expect(reference[v.incident] == key(v)) }
    }

    /// Records handed over in uneven batches (the engine must not care where batches end).
    struct UnevenBatches: RecordSource {
        let records: [IncidentRecord]
        let sizes: [Int]
        func forEachRecord(_ body: (IncidentRecord) throws -> Void) throws { for r in records { try body(r) } }
        func forEachBatch(_ body: (RecordBatch) throws -> Void) throws {
            var start = 0
            var k = 0
            while start < records.count {
                let end = min(records.count, start + sizes[k % sizes.count])
                try body(RecordBatch(count: end - start) { [records, start] i in records[start + i] })
                start = end
                k += 1
            }
        }
    }

    /// Parallel judging gives, in input order, exactly the verdicts of judging on one thread —
    /// for any number of workers and any batch boundaries, over several batches of input.
    @Test(arguments: [11, 12] as [UInt64])
    func workersAndBatchesDoNotChangeVerdicts(seed: UInt64) throws {
        let records = incidents(seed: seed, count: 5_000)
        let history = incidents(seed: seed &+ 100, count: 700).enumerated().map { i, r in
            var r = r
            if case .success(var m) = r.content { m.set("id", .string("past-\(i)")); r.content = .success(m) }
            return r
        }
        func run(_ workers: Int?, _ source: some RecordSource, spillAfter: Int? = nil, lanes: Int = 2) throws -> [String] {
            var engine = self.engine
            engine.workers = workers
            engine.lanes = lanes
            if let spillAfter {
                engine.scratch = MemoryScratchSpace()
                engine.spillThreshold = spillAfter
            }
            var keys: [String] = []
            try engine.evaluate(source: source, history: RecordList(history)) { v in
                keys.append(key(v) + " \(v.violations.map { $0.earlier })")
            }
            return keys
        }
        let sequential = try run(1, RecordList(records))
        #expect(sequential.count == records.count)
        #expect(sequential.contains { $0.contains(":3:") }, "the workload reaches third offences")
        for workers in [2, 3, 7, nil] as [Int?] {
            #expect(try run(workers, RecordList(records)) == sequential, "workers: \(String(describing: workers))")
            #expect(try run(workers, UnevenBatches(records: records, sizes: [1, 300, 129, 2_500])) == sequential)
        }
        // Streamed households numbered in other numbers of lanes.
        for lanes in [1, 3, 5] {
            #expect(try run(nil, UnevenBatches(records: records, sizes: [1, 300, 129, 2_500]), lanes: lanes) == sequential, "lanes: \(lanes)")
        }
        // Spilled to scratch runs (the test's shuffled households have thousands of violations).
        for workers in [1, nil] as [Int?] {
            #expect(try run(workers, UnevenBatches(records: records, sizes: [1, 300, 129, 2_500]), spillAfter: 500) == sequential)
        }
    }

    /// Households whose records come in time order have their offences numbered as the records
    /// stream by; the others through the index. Both must give exactly the verdicts of the index
    /// alone — offence numbers, earlier offences, duplicates — whatever mix of the two an input has.
    /// The same convention with windows of days rather than months, so that counted violations
    /// leave the windows (and the stream drops them) many times over the test's four weeks.
    static let shortWindows = convention(baseConvention.replacingOccurrences(of: "window: 90d", with: "window: 2d")
        .replacingOccurrences(of: "window: 30d", with: "window: 1d"))

    /// One group whose rules have windows of different lengths (ebike.charging a day, ebike.exit 90).
    static let mixedWindows: Convention = {
        var text = baseConvention
        if let first = text.range(of: "window: 90d") { text.replaceSubrange(first, with: "window: 1d") }
        return convention(text)
    }()

    @Test(arguments: [21, 22, 23, 24, 25, 26, 27] as [UInt64])
    func streamingOrderedHouseholdsAgreesWithTheIndex(seed: UInt64) throws {
        let convention = seed > 25 ? Self.mixedWindows : seed > 23 ? Self.shortWindows : nil
        try streamingAgrees(seed: seed, engine: convention.map { Engine(convention: $0) } ?? engine)
    }

    func streamingAgrees(seed: UInt64, engine: Engine) throws {
        var r = Random(state: seed)
        let timed = incidents(seed: seed, count: 600).map { record -> (String, String, IncidentRecord) in
            guard case .success(let m) = record.content, case .string(let t)? = m["occurred_at"], case .string(let id)? = m["id"]
            else { fatalError("test records have a time and an id") }
            return (t, id, record)
        }
        // In time order (ties by id, as the engine orders them), every household is in order.
        let sorted = timed.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1.utf8.lexicographicallyPrecedes($1.1.utf8) }
            .map(\.2)
        var someSwapped = sorted
        for _ in 0..<3 {
            let i = r.int(someSwapped.count - 1)
            someSwapped.swapAt(i, i + 1)
        }
        var shuffled = sorted
        for i in stride(from: shuffled.count - 1, to: 0, by: -1) { shuffled.swapAt(i, r.int(i + 1)) }
        func keys(_ records: [IncidentRecord], history: [IncidentRecord], streaming: Bool, spillAfter: Int? = nil,
                  fanIn: Int = 64, lanes: Int = 2, batches: [Int]? = nil) throws -> [String] {
            var engine = engine
            engine.streamsOrderedHouseholds = streaming
            engine.lanes = lanes
            if let spillAfter {
                engine.scratch = MemoryScratchSpace()
                engine.spillThreshold = spillAfter
                engine.spillFanIn = fanIn
            }
            var out: [String] = []
            let emit = { (v: Verdict) in out.append(key(v) + " \(v.violations.map { $0.earlier })") }
            if let batches {
                try engine.evaluate(source: UnevenBatches(records: records, sizes: batches), history: RecordList(history), emit: emit)
            } else {
                try engine.evaluate(source: RecordList(records), history: RecordList(history), emit: emit)
            }
            return out
        }
        let cut = sorted.count / 3
        let cases: [(String, [IncidentRecord], [IncidentRecord])] = [
            ("in order", sorted, []),
            ("three neighbours swapped", someSwapped, []),
            ("shuffled", shuffled, []),
            ("history before", Array(sorted[cut...]), Array(sorted[..<cut])),
            ("history after", Array(sorted[..<(sorted.count - cut)]), Array(sorted[(sorted.count - cut)...])),
        ]
        for (name, records, history) in cases {
            let streamed = try keys(records, history: history, streaming: true)
            let indexed = try keys(records, history: history, streaming: false)
            #expect(streamed.count == indexed.count, "\(name)")
            if let i = firstDifference(indexed, streamed) {
                Issue.record("\(name): verdict \(i) differs — streamed \(streamed[i]), indexed \(indexed[i])")
            }
            // Violations spilled to scratch runs of a few entries (many runs, merged) or of one
            // (every violation its own run), streaming the ordered households or not; with a fan-in
            // of 2 or 3 the runs are merged in stages first (hundreds of runs: many levels).
            for (spillAfter, streaming, fanIn) in [(1, false, 64), (7, false, 64), (7, true, 64), (100, false, 64),
                                                   (1, false, 2), (5, true, 3)] {
                let spilled = try keys(records, history: history, streaming: streaming, spillAfter: spillAfter, fanIn: fanIn)
                #expect(spilled.count == indexed.count, "\(name)")
                if let i = firstDifference(indexed, spilled) {
                    Issue.record("\(name), spilled after \(spillAfter), fan-in \(fanIn): verdict \(i) differs — spilled \(spilled[i]), indexed \(indexed[i])")
                }
            }
            // Streamed in 1, 3 or 5 lanes, over batches of many sizes (each lane numbers its
            // households batch after batch).
            for lanes in [1, 3, 5] {
                let laned = try keys(records, history: history, streaming: true, lanes: lanes, batches: [1, 7, 130, 64, 1000])
                #expect(laned == indexed, "\(name), \(lanes) lanes")
            }
            if name == "in order" {
                #expect(streamed.contains { $0.contains(":3:") }, "the ordered input reaches third offences")
                #expect(streamed.contains { $0.contains("duplicate") }, "and has duplicates")
            }
        }
    }
}

/// A long run reports what it is doing from its first pass on, in order, with counts that grow to
/// the input's size; the verdicts do not change for being watched.
@Suite struct ProgressTests {
    final class Log: @unchecked Sendable {
        var events: [(EvaluationPhase, Int)] = []
    }

    @Test func phasesComeInOrderWithGrowingCounts() throws {
        let tests = OrderIndependenceTests()
        let records = tests.incidents(seed: 31, count: 5_000)   // shuffled households: every pass runs
        let log = Log()
        var engine = tests.engine
        engine.scratch = MemoryScratchSpace()
        engine.spillThreshold = 300
        engine.onProgress = { phase, count in log.events.append((phase, count)) }
        var watched: [String] = []
        try engine.evaluate(source: RecordList(records), history: RecordList([])) { watched.append(tests.key($0)) }
        #expect(watched == tests.engine.evaluate(records).map(tests.key))
        let phases = log.events.map(\.0)
        let order: [EvaluationPhase] = [.checkingOrder, .collectingViolations, .numberingOffences, .judging]
        #expect(phases.map { order.firstIndex(of: $0)! } == phases.map { order.firstIndex(of: $0)! }.sorted(), "phases in order")
        #expect(Set(phases) == Set(order))
        for phase in order {
            let counts = log.events.filter { $0.0 == phase }.map(\.1)
            #expect(counts == counts.sorted(), "\(phase) counts grow")
        }
        #expect(log.events.last { $0.0 == .checkingOrder }?.1 == records.count)
        #expect(log.events.last { $0.0 == .collectingViolations }?.1 == records.count)
        #expect(log.events.last { $0.0 == .judging }?.1 == records.count)
        #expect((log.events.last { $0.0 == .numberingOffences }?.1 ?? 0) > 1_000)
    }
}
