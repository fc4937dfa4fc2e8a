import CovenantEngine
import CovenantModel
import Testing

/// `reduceDigests` (and `evaluate` given a `retract`) guesses that every household's records come
/// in time order and reads the input once; when a record proves the guess wrong — first, in the
/// middle or only at the end — it starts over the ordinary way. Either way the digests (verdicts)
/// are those of the ordinary run, each folded (emitted, in the end) once.
@Suite struct OrderGuessTests {
    let base = OrderIndependenceTests()

    /// A source that counts how often it is read.
    final class Counted: RecordSource {
        let inner: OrderIndependenceTests.UnevenBatches
        private(set) var readings = 0
        init(_ records: [IncidentRecord], sizes: [Int]) { inner = .init(records: records, sizes: sizes) }
        func forEachRecord(_ body: (IncidentRecord) throws -> Void) throws {
            readings += 1
            try inner.forEachRecord(body)
        }
        func forEachBatch(_ body: (RecordBatch) throws -> Void) throws {
            readings += 1
            try inner.forEachBatch(body)
        }
    }

    struct Run: Equatable {
        var digests: [String]
        var summary: EvaluationSummary
        var readings: Int
    }

    func run(_ records: [IncidentRecord], history: [IncidentRecord], guessing: Bool, workers: Int?, lanes: Int,
             sizes: [Int]) throws -> Run {
        var engine = base.engine
        engine.guessesOrder = guessing
        engine.workers = workers
        engine.lanes = lanes
        let source = Counted(records, sizes: sizes)
        let (digests, summary) = try engine.reduceDigests(source: source, history: Counted(history, sizes: sizes), into: [String]()) {
            $0.append("\($1)")
        }
        return Run(digests: digests, summary: summary, readings: source.readings)
    }

    /// Verdicts through `evaluate(…retract:…)`: with a `retract`, the engine may guess; a wrong
    /// guess retracts what was emitted and starts over.
    func evaluated(_ records: [IncidentRecord], history: [IncidentRecord], retracting: Bool, workers: Int?, lanes: Int,
                  sizes: [Int]) throws -> (verdicts: [String], summary: EvaluationSummary, readings: Int, retractions: Int) {
        var engine = base.engine
        engine.workers = workers
        engine.lanes = lanes
        let source = Counted(records, sizes: sizes)
        var out: [String] = []
        var retractions = 0
        let retract: (() throws -> Void)? = retracting ? { out.removeAll(); retractions += 1 } : nil
        let summary = try engine.evaluate(source: source, history: Counted(history, sizes: sizes), render: { base.key($0) + " \($0.violations.map(\.earlier))" },
                                          retract: retract) { _, line in out.append(line) }
        return (out, summary, source.readings, retractions)
    }

    /// Renderings through `evaluateRendered` (each verdict rendered and dropped on its worker; the
    /// status handed over beside it), each line prefixed by the status emitted with it.
    func rendered(_ records: [IncidentRecord], history: [IncidentRecord], workers: Int?, lanes: Int,
                  sizes: [Int]) throws -> (lines: [String], summary: EvaluationSummary, retractions: Int) {
        var engine = base.engine
        engine.workers = workers
        engine.lanes = lanes
        var out: [String] = []
        var retractions = 0
        let summary = try engine.evaluateRendered(source: Counted(records, sizes: sizes), history: Counted(history, sizes: sizes),
                                                  render: { base.key($0) + " \($0.violations.map(\.earlier))" },
                                                  retract: { out.removeAll(); retractions += 1 }) { status, line in
            out.append("\(status) | \(line)")
        }
        return (out, summary, retractions)
    }

    /// Verdicts folded by `reduce` (which guesses, and starts the fold again when wrong).
    func reduced(_ records: [IncidentRecord], history: [IncidentRecord], workers: Int?, lanes: Int,
                 sizes: [Int]) throws -> (verdicts: [String], summary: EvaluationSummary) {
        var engine = base.engine
        engine.workers = workers
        engine.lanes = lanes
        let (verdicts, summary) = try engine.reduce(source: Counted(records, sizes: sizes), history: Counted(history, sizes: sizes),
                                                    into: [String]()) { $0.append(base.key($1) + " \($1.violations.map(\.earlier))") }
        return (verdicts, summary)
    }

    /// The records sorted as the engine orders a household's (time, then id by its bytes).
    func sorted(_ records: [IncidentRecord]) -> [IncidentRecord] {
        records.map { record -> (String, String, IncidentRecord) in
            guard case .success(let m) = record.content, case .string(let t)? = m["occurred_at"], case .string(let id)? = m["id"]
            else { fatalError("test records have a time and an id") }
            return (t, id, record)
        }
        .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1.utf8.lexicographicallyPrecedes($1.1.utf8) }
        .map(\.2)
    }

    @Test(arguments: [41, 42, 43] as [UInt64])
    func guessingNeverChangesTheResults(seed: UInt64) throws {
        var r = OrderIndependenceTests.Random(state: seed)
        let inOrder = sorted(base.incidents(seed: seed, count: 900))
        var shuffled = inOrder
        for i in stride(from: shuffled.count - 1, to: 0, by: -1) { shuffled.swapAt(i, r.int(i + 1)) }
        let verdicts = base.engine.evaluate(inOrder)
        // Three early records with violations read last: the guess holds until the last batches.
        let violating = verdicts.indices.filter { !verdicts[$0].violations.isEmpty && $0 < inOrder.count / 2 }
        try #require(violating.count >= 3)
        let moved = (0..<3).map { violating[r.int(violating.count / 3) + $0 * violating.count / 3] }
        let lateTail = inOrder.indices.filter { !moved.contains($0) }.map { inOrder[$0] } + moved.map { inOrder[$0] }
        // Two records without violations of one household swapped: its records are out of order
        // (the order scan sends it through the index), its violations are not (the guess streams
        // it) — the same outcomes either way.
        let clean = verdicts.indices.filter { verdicts[$0].violations.isEmpty && verdicts[$0].duplicates.isEmpty && verdicts[$0].household == "H-1" }
        try #require(clean.count >= 2)
        var cleanSwapped = inOrder
        cleanSwapped.swapAt(clean.first!, clean.last!)
        let cut = inOrder.count / 3
        var historyShuffled = Array(inOrder[..<cut])
        for i in stride(from: historyShuffled.count - 1, to: 0, by: -1) { historyShuffled.swapAt(i, r.int(i + 1)) }
        // A violation three centuries on, then the household's own records of 2026: out of order by
        // more than a window's offsets hold (numbered anyway, it would not fit them).
        let farFuture = report("far", "2330-05-01T10:00:00+08:00", household: "H-1")
        enum Guess { case holds, failsInCurrent, failsInHistory }
        let cases: [(String, [IncidentRecord], [IncidentRecord], Guess)] = [
            ("in order", inOrder, [], .holds),
            ("shuffled", shuffled, [], .failsInCurrent),
            ("late tail", lateTail, [], .failsInCurrent),
            ("records without violations swapped", cleanSwapped, [], .holds),
            ("history before", Array(inOrder[cut...]), Array(inOrder[..<cut]), .holds),
            ("history after", Array(inOrder[..<(inOrder.count - cut)]), Array(inOrder[(inOrder.count - cut)...]), .failsInCurrent),
            ("history shuffled", Array(inOrder[cut...]), historyShuffled, .failsInHistory),
            ("three centuries back", [farFuture] + inOrder, [], .failsInCurrent),
        ]
        for (name, records, history, guess) in cases {
            let guessHolds = guess == .holds
            for (workers, lanes, sizes) in [(nil, 2, [64, 7, 130]), (1, 1, [1000]), (nil, 3, [1, 50, 333])] as [(Int?, Int, [Int])] {
                // Verdicts: the same with and without `retract`; retracted only when the guess fails.
                let plain = try evaluated(records, history: history, retracting: false, workers: workers, lanes: lanes, sizes: sizes)
                let retracting = try evaluated(records, history: history, retracting: true, workers: workers, lanes: lanes, sizes: sizes)
                #expect(retracting.verdicts.count == records.count, "\(name): each verdict emitted once in the end")
                if let i = firstDifference(plain.verdicts, retracting.verdicts) {
                    Issue.record("\(name), \(lanes) lanes: verdict \(i) differs — guessed \(retracting.verdicts[i]), ordinary \(plain.verdicts[i])")
                }
                #expect(retracting.summary == plain.summary, "\(name)")
                let folded = try reduced(records, history: history, workers: workers, lanes: lanes, sizes: sizes)
                #expect(folded.verdicts.count == records.count, "\(name): each verdict folded once")
                if let i = firstDifference(plain.verdicts, folded.verdicts) {
                    Issue.record("\(name), \(lanes) lanes: folded verdict \(i) differs — folded \(folded.verdicts[i]), ordinary \(plain.verdicts[i])")
                }
                #expect(folded.summary == plain.summary, "\(name)")
                #expect(retracting.retractions == (guessHolds ? 0 : 1), "\(name)")
                // Renderings alone: the same lines, each with its verdict's status.
                let renderings = try rendered(records, history: history, workers: workers, lanes: lanes, sizes: sizes)
                let expectedLines = plain.verdicts.map { line in "\(line.split(separator: " ")[1]) | \(line)" }
                if let i = firstDifference(expectedLines, renderings.lines) {
                    Issue.record("\(name), \(lanes) lanes: rendering \(i) differs — \(renderings.lines[i]), ordinary \(expectedLines[i])")
                }
                #expect(renderings.lines.count == records.count, "\(name): each rendering emitted once in the end")
                #expect(renderings.summary == plain.summary, "\(name)")
                #expect(renderings.retractions == (guessHolds ? 0 : 1), "\(name)")
                // A guess found wrong in the history has not read the current input yet.
                let guessedReadings = switch guess { case .holds: 1; case .failsInCurrent: 1 + plain.readings; case .failsInHistory: plain.readings }
                #expect(retracting.readings == guessedReadings, "\(name)")

                let ordinary = try run(records, history: history, guessing: false, workers: workers, lanes: lanes, sizes: sizes)
                let guessed = try run(records, history: history, guessing: true, workers: workers, lanes: lanes, sizes: sizes)
                #expect(guessed.digests.count == records.count, "\(name): each digest folded once")
                if let i = firstDifference(ordinary.digests, guessed.digests) {
                    Issue.record("\(name), \(lanes) lanes: digest \(i) differs — guessed \(guessed.digests[i]), ordinary \(ordinary.digests[i])")
                }
                #expect(guessed.summary == ordinary.summary, "\(name)")
                // The ordinary run reads the input two or three times; a guess that holds, once.
                #expect(ordinary.readings >= 2, "\(name)")
                // One reading when the guess holds; else the guess's (none when the history shows it
                // wrong) and the ordinary run's.
                #expect(guessed.readings == guessedReadings, "\(name)")
            }
        }
    }
}
