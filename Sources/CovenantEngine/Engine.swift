import CovenantCEL
import CovenantModel
import CovenantSource

/// Something that can yield incident records, possibly more than once (the engine reads its input
/// up to three times — to see the order of households' records, to number offences, to emit
/// verdicts — so memory does not grow with the input; once more after a wrong guess of the order,
/// see ``Engine/reduceDigests(source:history:into:_:)``).
public protocol RecordSource {
    /// Calls `body` with every record, in order.
    func forEachRecord(_ body: (IncidentRecord) throws -> Void) throws
    /// Calls `body` with every record in batches, in order. Sources that hold undecoded lines hand
    /// them over as they are, so that the engine decodes them on its workers; the default groups
    /// `forEachRecord`'s records.
    func forEachBatch(_ body: (RecordBatch) throws -> Void) throws
}

extension RecordSource {
    public func forEachBatch(_ body: (RecordBatch) throws -> Void) throws {
        var batcher = RecordBatcher()
        try forEachRecord { record in
            if let batch = batcher.add(record) { try body(batch) }
        }
        if let batch = batcher.finish() { try body(batch) }
    }
}

/// Records held in memory.
public struct RecordList: RecordSource, Sendable {
    public var records: [IncidentRecord]

    public init(_ records: [IncidentRecord]) { self.records = records }

    public func forEachRecord(_ body: (IncidentRecord) throws -> Void) throws {
        for r in records { try body(r) }
    }

    public func forEachBatch(_ body: (RecordBatch) throws -> Void) throws {
        var start = 0
        while start < records.count {
            let end = min(start + RecordBatch.standardSize, records.count)
            try body(RecordBatch(Array(records[start..<end])))
            start = end
        }
    }
}

/// What a long evaluation is doing, for a progress display (see ``Engine/onProgress``).
public enum EvaluationPhase: Sendable, Hashable {
    /// Reading every record for each household's order (`count`: records read).
    case checkingOrder
    /// Reading the records again for the violations of households out of time order (`count`: records read).
    case collectingViolations
    /// Numbering the offences of the violations spilled to scratch runs (`count`: violations numbered).
    case numberingOffences
    /// Judging every record and emitting its verdict (`count`: verdicts emitted).
    case judging
}

/// Counts of a run, for the summary line.
public struct EvaluationSummary: Sendable, Hashable {
    /// Records read from the current inputs.
    public var records = 0
    /// History records read.
    public var history = 0
    /// Verdicts per status.
    public var byStatus: [VerdictStatus: Int] = [:]
    /// Lines of invalid records (at most the first 20), for the summary.
    public var invalidOrigins: [RecordOrigin] = []

    public init() {}
}

/// Judges incidents against a convention: the semantics of design sketch §3, independent of input
/// order. `Sendable`: share one engine across tasks.
public struct Engine: Sendable {
    /// The convention.
    public let convention: Convention
    private(set) var judge: Judge
    /// How many threads at most judge a batch at once: 1 keeps all work on the caller's thread,
    /// `nil` (the default) lets Dispatch use every active core. Verdicts never depend on it:
    /// offences are numbered after every record is judged, in input order.
    public var workers: Int?
    /// Whether households whose records come in time order have their offences numbered as the
    /// records stream by (false: every household goes through the index, as when out of order).
    /// Verdicts never depend on it; the tests compare both ways.
    package var streamsOrderedHouseholds = true
    /// Where violations of households whose records are out of time order go once there are more
    /// than ``spillThreshold`` of them: sorted runs in scratch files, merged to number the offences,
    /// so that memory stays flat however large the input. `nil` (the default) keeps them all in
    /// memory. Verdicts never depend on it.
    public var scratch: (any ScratchSpace)?
    /// How many out-of-order violations are held in memory before they are written to ``scratch``
    /// (about 60 bytes each; the outcomes are sorted in runs of the same size).
    public var spillThreshold = Engine.defaultSpillThreshold

    /// One million violations: about 60 MB held at a time.
    public static let defaultSpillThreshold = 1 << 20
    /// Called on the thread that calls `evaluate`, now and then (once per batch of records, or of
    /// numbered violations), with what the run is doing and how far it has got: a long run can
    /// show progress from its first pass on. Verdicts never depend on it.
    public var onProgress: (@Sendable (EvaluationPhase, Int) -> Void)?
    /// Whether rule conditions that compile to typed code (facts read into slots straight from a
    /// JSON record's bytes) are evaluated that way. Verdicts never depend on it; the tests compare
    /// both ways.
    package var typedConditions: Bool {
        get { judge.typedConditions }
        set { judge.typedConditions = newValue }
    }
    /// How many scratch runs of a kind are merged at once (more are merged in stages first, so
    /// the open files stay bounded). Verdicts never depend on it; the tests make it small.
    package var spillFanIn = SpilledOffences.defaultFanIn
    /// How many lanes number the offences of streamed households beside the caller's thread when
    /// the work is spread (see ``HouseholdLanes``). Verdicts never depend on it; the tests vary it.
    package var lanes = 2
    /// Whether ``reduce(source:history:into:_:)``, ``reduceDigests(source:history:into:_:)`` and an
    /// ``evaluate(source:history:render:retract:emit:)`` given a `retract` guess that every household's records come in time order (one reading of
    /// the input instead of two; see there). Results never depend on it; the tests compare both ways.
    package var guessesOrder = true

    /// Creates an engine for a convention and, when conditions read `household.*`/`building.*`, a
    /// roster; see ``workers``.
    public init(convention: Convention, roster: Roster? = nil, workers: Int? = nil) {
        self.convention = convention
        self.judge = Judge(convention: convention, roster: roster)
        self.workers = workers.map { max(1, $0) }
    }

    /// Whether some rule or credit reads `household.*` or `building.*`: the convention's verdicts
    /// then depend on the roster, and without one those records are invalid.
    public var readsRoster: Bool { judge.plans.values.contains { $0.readsRoster } }

    /// The same engine with another roster (the convention's compiled plans are shared, not rebuilt).
    public func with(roster: Roster?) -> Engine {
        var copy = self
        copy.judge = judge.with(roster: roster)
        return copy
    }

    /// Evaluates records held in memory; `history` counts for escalation and dedupe but is not
    /// reported. One verdict per record, always: records held in memory never spill their
    /// offences to the ``scratch`` space (the only step of a run that can fail).
    public func evaluate(_ records: [IncidentRecord], history: [IncidentRecord] = []) -> [Verdict] {
        var out: [Verdict] = []
        out.reserveCapacity(records.count)
        var inMemory = self
        inMemory.spillThreshold = .max
        _ = try? inMemory.evaluate(source: RecordList(records), history: RecordList(history)) { out.append($0) }
        return out
    }

    /// Evaluates a source and hands each verdict to `emit`, in input order. Each batch of records is
    /// decoded and judged by `workers` threads while the previous batch's results are taken in on
    /// the caller's thread (which is also the only thread that reads the source or calls `emit`),
    /// so verdicts never depend on how the work was split.
    ///
    /// The input is read up to three times (a run that guesses the order: once, or — the guess
    /// wrong — once in part and then as here), and nothing per record is kept between the readings, so
    /// memory does not grow with the input: first the order of each household's records (three
    /// fields per record, nothing judged); then — only when some household's records are out of
    /// time order — the violations of those households, whose offences are then numbered whatever
    /// the order; last every record is judged and its verdict emitted, while the offences of the
    /// households in time order are numbered as their records stream by.
    @discardableResult
    public func evaluate(
        source: some RecordSource, history: some RecordSource, emit: (Verdict) throws -> Void
    ) throws -> EvaluationSummary {
        try evaluate(source: source, history: history, render: { _ in () }, emit: { verdict, _ in try emit(verdict) })
    }

    /// Folds every verdict into `initial` with `update`, in input order — points, recognitions, a
    /// report — and returns the result with the run's counts. Like
    /// ``reduceDigests(source:history:into:_:)``, the engine may guess the input's order and read it
    /// once; a wrong guess starts the fold again from `initial`, so `update` should change nothing
    /// but the result it is given.
    public func reduce<Result>(
        source: some RecordSource, history: some RecordSource, into initial: Result,
        _ update: (inout Result, Verdict) throws -> Void
    ) throws -> (result: Result, summary: EvaluationSummary) {
        var result = initial
        let summary = try withOrderGuess(undo: { result = initial }) { guessingOrder in
            try run(source: source, history: history, namesEarlier: true, guessingOrder: guessingOrder, make: { engine, judged, outcome in
                engine.verdict(of: judged, outcome: outcome)
            }, render: Optional<@Sendable (Verdict) -> Void>.none, emit: { verdict, _ in try update(&result, verdict) })
        }
        return (result, summary)
    }

    /// Like ``evaluate(source:history:emit:)``, and `render` — a pure function, run on the workers
    /// — turns each verdict into what `emit` writes (a line of output), so that formatting is
    /// spread over the cores too.
    ///
    /// With `retract` — for output that can be taken back, such as a file truncated to where it
    /// began — the engine may guess that every household's records come in time order and read the
    /// input once instead of twice, checking the guess as it goes (see
    /// ``reduceDigests(source:history:into:_:)``). When a record proves it wrong, the engine stops
    /// before emitting any verdict numbered after it, calls `retract` — which must undo every
    /// `emit` so far — and starts over the ordinary way. Without it, nothing is guessed: every
    /// verdict is emitted once.
    @discardableResult
    public func evaluate<Rendered: Sendable>(
        source: some RecordSource, history: some RecordSource,
        render: @escaping @Sendable (Verdict) -> Rendered, retract: (() throws -> Void)? = nil,
        emit: (Verdict, Rendered) throws -> Void
    ) throws -> EvaluationSummary {
        try withOrderGuess(undo: retract) { guessingOrder in
            try run(source: source, history: history, namesEarlier: true, guessingOrder: guessingOrder, make: { engine, judged, outcome in
                engine.verdict(of: judged, outcome: outcome)
            }, render: render, emit: { verdict, rendered in try emit(verdict, rendered!) })
        }
    }

    /// Like ``evaluate(source:history:render:retract:emit:)``, for callers that need of each verdict
    /// only its rendering and its status (a command writing verdicts out): each verdict is made,
    /// rendered and dropped on the worker that made it — its memory freed by the thread that
    /// allocated it — and only the rendering and the status come over to this thread.
    @discardableResult
    public func evaluateRendered<Rendered: Sendable>(
        source: some RecordSource, history: some RecordSource,
        render: @escaping @Sendable (Verdict) -> Rendered, retract: (() throws -> Void)? = nil,
        emit: (VerdictStatus, Rendered) throws -> Void
    ) throws -> EvaluationSummary {
        try withOrderGuess(undo: retract) { guessingOrder in
            try run(source: source, history: history, namesEarlier: true, guessingOrder: guessingOrder, make: { engine, judged, outcome in
                let verdict = engine.verdict(of: judged, outcome: outcome)
                return Rendition(status: verdict.status, origin: verdict.origin, rendered: render(verdict))
            }, render: Optional<@Sendable (Rendition<Rendered>) -> Void>.none, emit: { rendition, _ in
                try emit(rendition.status, rendition.rendered)
            })
        }
    }

    /// Like ``evaluate(source:history:emit:)``, but hands over each verdict's digest — what counting
    /// it needs — instead of the verdict, which is then never built: for tallies of large inputs.
    @discardableResult
    public func evaluateDigests(
        source: some RecordSource, history: some RecordSource, emit: (VerdictDigest) throws -> Void
    ) throws -> EvaluationSummary {
        try runDigests(source: source, history: history, guessingOrder: false, emit: emit)
    }

    /// Folds every verdict's digest into `initial` with `update`, in input order — what a tally
    /// does — and returns the result with the run's counts.
    ///
    /// Unlike ``evaluateDigests(source:history:emit:)``, the engine may guess that every household's
    /// records come in time order (as exports sorted by time do) and judge the input in one reading
    /// instead of two, checking the guess as it goes. When a record proves it wrong, what was folded
    /// so far is dropped and the run starts over from `initial` the ordinary way; so `update` should
    /// change nothing but the result it is given. The result never depends on the guess.
    public func reduceDigests<Result>(
        source: some RecordSource, history: some RecordSource, into initial: Result,
        _ update: (inout Result, VerdictDigest) throws -> Void
    ) throws -> (result: Result, summary: EvaluationSummary) {
        var result = initial
        let summary = try withOrderGuess(undo: { result = initial }) { guessingOrder in
            try runDigests(source: source, history: history, guessingOrder: guessingOrder) { try update(&result, $0) }
        }
        return (result, summary)
    }

    /// Runs `run` guessing the input's order when it may — an `undo` is given and the engine
    /// guesses — and, the guess wrong, calls `undo` and runs it again the ordinary way.
    private func withOrderGuess<T>(undo: (() throws -> Void)?, _ run: (_ guessingOrder: Bool) throws -> T) throws -> T {
        if let undo, guessesOrder, streamsOrderedHouseholds {
            do {
                return try run(true)
            } catch is OrderGuessFailed {
                try undo()
            }
        }
        return try run(false)
    }

    private func runDigests(
        source: some RecordSource, history: some RecordSource, guessingOrder: Bool, emit: (VerdictDigest) throws -> Void
    ) throws -> EvaluationSummary {
        try run(source: source, history: history, namesEarlier: false, guessingOrder: guessingOrder, make: { engine, judged, outcome in
            engine.digest(of: judged, outcome: outcome)
        }, render: Optional<@Sendable (VerdictDigest) -> Void>.none, emit: { digest, _ in try emit(digest) })
    }

    /// Thrown out of a run that guessed every household's records in time order when one's are not.
    private struct OrderGuessFailed: Error {}

    /// The evaluation, making of each judged record what `make` makes (a verdict, or its digest),
    /// and of that what `render` makes, if anything; `namesEarlier` false when what it makes does
    /// not name the earlier violations of an offence (digests); `guessingOrder` true to skip the
    /// order scan, stream every household and throw `OrderGuessFailed` — before emitting anything
    /// numbered after it — once a household's records turn out not to be in time order. (The sources are existentials —
    /// they are called once per batch — so that the digests' run is specialized whole.)
    // Verdicts rendered to bytes (the command line's `eval`) get code of their own: unspecialized,
    // every verdict read out of an array was copied (a retain per field) through its metadata.
    @_specialize(exported: false, where Output == Verdict, Rendered == [UInt8])
    @_specialize(exported: false, where Output == Rendition<[UInt8]>, Rendered == Void)
    private func run<Output: Outcome, Rendered: Sendable>(
        source: any RecordSource, history: any RecordSource, namesEarlier: Bool, guessingOrder: Bool,
        make: @escaping @Sendable (Engine, UnsafePointer<Judged>, (Int) -> RuleOutcome?) -> Output,
        render: (@Sendable (Output) -> Rendered)?, emit: (Output, Rendered?) throws -> Void
    ) throws -> EvaluationSummary {
        var summary = EvaluationSummary()
        let judge = self.judge
        let workers = self.workers
        let overlap = workers != 1
        let depth = overlap ? Self.batchesAhead : 0

        // Pass 1: which households' records are out of time order.
        let onProgress = self.onProgress
        var order = HouseholdOrder()
        var keys = Pipeline<OrderKey?, Void>(depth: depth)
        var scanned = 0
        func takeKeys(_: Void, _ found: [OrderKey?]) {
            for key in found { if let key { order.add(key) } }
            scanned += found.count
            onProgress?(.checkingOrder, scanned)
        }
        func scan(_ batch: RecordBatch) {
            keys.add((), Pending(async: overlap, count: batch.count, workers: workers) { OrderKey.of(batch[$0]) }, take: takeKeys)
        }
        if !guessingOrder {
            try history.forEachBatch { summary.history += $0.count; scan($0) }
            try source.forEachBatch { summary.records += $0.count; scan($0) }
            keys.drain(take: takeKeys)
        }
        let unordered = order.unordered
        let indexAll = !streamsOrderedHouseholds
        let someUnordered = !unordered.isEmpty
        // Households are known by their names' hashes (see `OrderKey`).
        let indexed: @Sendable (String) -> Bool = { indexAll || (someUnordered && unordered.contains(OrderKey.hash($0))) }

        // Pass 2: the violations of those households, numbered once all are known.
        var numbered = OffenceOutcomes.none
        var spilled: SpilledOutcomes?
        if indexAll || !unordered.isEmpty {
            var index = OffenceIndex()
            var runs: [any ScratchFile] = []
            let scratch = self.scratch
            let threshold = max(1, spillThreshold)
            var position = 0
            let include: @Sendable (Incident) -> Bool = { $0.household.map(indexed) ?? false }
            var found = Pipeline<[ViolationEntry], Void>(depth: depth)
            /// Writes what the index holds as a sorted run, keeping the open runs bounded however
            /// long the input.
            func spill(to scratch: any ScratchSpace) throws {
                let run = try scratch.makeFile()
                try index.writeRun(to: run)
                runs.append(run)
                if runs.count >= 2 * spillFanIn {
                    runs = try SpilledOffences.mergeDownViolations(runs, fanIn: spillFanIn, scratch: scratch)
                }
            }
            func takeFound(_: Void, _ batch: [[ViolationEntry]]) throws {
                defer { onProgress?(.collectingViolations, position) }
                for entries in batch {
                    for var entry in entries {
                        entry.record = position
                        index.add(entry)
                    }
                    position += 1
                    if index.count >= threshold, let scratch { try spill(to: scratch) }
                }
            }
            func collect(_ batch: RecordBatch) throws {
                let work = Pending(async: overlap, count: batch.count, workers: workers) { i -> [ViolationEntry] in
                    let j = judge.judge(batch[i], violationsOnly: true, include: include, factsNeeded: false)
                    guard !j.isInvalid, let incident = j.incident, let household = incident.household else { return [] }
                    return j.violated.map {
                        ViolationEntry(record: 0, household: household, occurredAt: incident.occurredAt, id: incident.id, rule: $0)
                    }
                }
                try found.add((), work, take: takeFound)
            }
            try history.forEachBatch(collect)
            try source.forEachBatch(collect)
            try found.drain(take: takeFound)
            if let scratch, !runs.isEmpty {
                if !index.isEmpty { try spill(to: scratch) }
                index = OffenceIndex()
                spilled = try SpilledOffences.number(runs: runs, rules: convention.rules, scratch: scratch, runSize: threshold,
                                                     fanIn: spillFanIn) { onProgress?(.numberingOffences, $0) }
            } else {
                numbered = index.outcomes(rules: convention.rules)
            }
        }

        let outcomes = numbered

        // Pass 3: the history's violations in the other households, then every current record.
        // The offences of streamed households are numbered in lanes by household (see
        // `HouseholdLanes`), beside this thread.
        let lanes = HouseholdLanes(count: overlap ? lanes : 1, rules: convention.rules, namesEarlier: namesEarlier,
                                   checksOrder: guessingOrder)
        let laneCount = lanes.count
        let streamed: @Sendable (Incident) -> Bool = { $0.household.map { !indexed($0) } ?? false }
        /// What the stream numbers of a judged record: nil when it has no violations or its household
        /// is numbered through the index (or it has none). Made on the worker that judged the record,
        /// so that the lanes never copy a judgement (a retain per field).
        @Sendable func streamEntry(_ j: Judgement) -> Streamed? {
            guard !j.isInvalid, !j.violated.isEmpty, let incident = j.incident, let household = incident.household,
                  !indexed(household) else { return nil }
            return Streamed(household: household, time: incident.occurredAt, id: incident.id, violated: j.violated)
        }
        @Sendable func feed(_ s: Streamed, lane: Int, into outcomes: inout [(rule: Int, outcome: RuleOutcome)]) {
            lanes.record(lane: lane, household: s.household, time: s.time, id: s.id, violated: s.violated, into: &outcomes)
        }
        if !indexAll {
            var past = Pipeline<Judgement, Void>(depth: depth)
            // On this thread: no lane has work queued yet.
            var unused: [(rule: Int, outcome: RuleOutcome)] = []
            func takePast(_: Void, _ judged: [Judgement]) {
                for j in judged {
                    guard let s = streamEntry(j) else { continue }
                    feed(s, lane: HouseholdLanes.lane(of: s.household, among: laneCount), into: &unused)
                    unused.removeAll(keepingCapacity: true)
                }
            }
            try history.forEachBatch { batch in
                if guessingOrder { summary.history += batch.count }
                let work = Pending(async: overlap, count: batch.count, workers: workers) { i -> Judgement in
                    var j = judge.judge(batch[i], violationsOnly: true, include: streamed, factsNeeded: false)
                    j.forgetFacts()
                    return j
                }
                past.add((), work, take: takePast)
            }
            past.drain(take: takePast)
            if guessingOrder, (0..<laneCount).contains(where: { lanes.sawUnordered(lane: $0) }) { throw OrderGuessFailed() }
        }
        // Three stages per batch: judged on the workers; offences of streamed households numbered in
        // their lanes, in order; verdicts built and rendered on the workers again; then taken in
        // here, in order. This thread only reads and emits, so it keeps pace with the workers.
        var position = summary.history
        var emitting = Pipeline<Emitted<Output, Rendered>, Void>(depth: depth)
        // Counted per status in an array (a dictionary update per verdict cost a hash each).
        let statuses = VerdictStatus.allCases
        var byStatus = [Int](repeating: 0, count: statuses.count)
        var emitted = 0
        func emitAll(_: Void, _ batches: consuming [Emitted<Output, Rendered>]) throws {
            for k in batches.indices {
                if batches[k].unordered { throw OrderGuessFailed() }
                // Each verdict moved out of its batch and handed over: read in place and passed to
                // `emit` (a closure the compiler cannot see into), it was copied first — a retain
                // per field — for fear `emit` might change the memory it was read from.
                var outputs: [Output?] = []
                swap(&outputs, &batches[k].outputs)
                let rendered = batches[k].rendered
                for i in outputs.indices {
                    let output = outputs[i].take()!
                    let status = output.status
                    byStatus[statuses.firstIndex(of: status)!] += 1
                    if status == .invalid, summary.invalidOrigins.count < 20 { summary.invalidOrigins.append(output.origin) }
                    try emit(output, rendered.isEmpty ? nil : rendered[i])
                }
                emitted += outputs.count
            }
            onProgress?(.judging, emitted)
        }
        var current = Pipeline<Judged, (base: Int, inputs: LaneInputs)>(depth: depth)
        func number(_ context: (base: Int, inputs: LaneInputs), _ judged: [Judged]) throws {
            let (base, inputs) = context
            let fromRuns = try spilled?.take(base..<base + judged.count)
            let fromStream = LaneOutcomes(count: judged.count, lanes: laneCount)
            /// Numbers the batch's records of one lane's households, in order.
            @Sendable func numberLane(_ lane: Int) {
                for i in 0..<inputs.count where inputs.lane(i) == lane {
                    inputs.withStreamed(i) { s in fromStream.record(i, lane: lane) { feed(s, lane: lane, into: &$0) } }
                }
                if guessingOrder, lanes.sawUnordered(lane: lane) { fromStream.markUnordered(lane: lane) }
            }
            // Verdicts and their renderings in two arrays, not one of pairs: a pair's type involves
            // `Rendered`, whose metadata was looked up anew for every verdict.
            @Sendable func finish() -> [Emitted<Output, Rendered>] {
                // Outcomes not to be trusted: the run stops at this batch (see `emitAll`).
                if fromStream.sawUnordered { return [Emitted(outputs: [], rendered: [], unordered: true)] }
                // Each judged record read in place, through a pointer (passed by value, a judgement
                // was copied: a retain per field). Each rendering is made from its output as soon as
                // it is made, on the same worker, straight into its place in the renderings' array:
                // from the new value, passed as it is (rendered later from the list of outputs, each
                // was copied out of it first — a retain per field — and destroyed again).
                var outputs: [Output?] = []
                func makeAll(rendering: UnsafeMutablePointer<Rendered>?) {
                    outputs = judged.withUnsafeBufferPointer { judged in
                        Parallel.map(judged.count, workers: workers) { i -> Output? in
                            let output = make(self, judged.baseAddress! + i) { rule in
                                if fromStream.streamed(i) { return fromStream.outcome(i, rule: rule) }
                                if let fromRuns { return fromRuns.outcome(record: base + i, rule: rule) }
                                return outcomes.outcome(record: base + i, rule: rule)
                            }
                            if let render, let rendering { (rendering + i).initialize(to: render(output)) }
                            return output
                        }
                    }
                }
                var rendered: [Rendered] = []
                if render != nil {
                    // Every place is initialized by `makeAll` (a place per judged record).
                    rendered = [Rendered](unsafeUninitializedCapacity: judged.count) { buffer, initialized in
                        makeAll(rendering: buffer.baseAddress)
                        initialized = judged.count
                    }
                } else {
                    makeAll(rendering: nil)
                }
                return [Emitted(outputs: outputs, rendered: rendered, unordered: false)]
            }
            let work: Pending<Emitted<Output, Rendered>>
            if overlap {
                // Each lane numbers the batch after the batches before it; the verdicts are made once
                // every lane is done with it.
                work = Pending()
                lanes.forEachLane(numberLane) { work.fulfil(finish()) }
            } else {
                numberLane(0)
                work = Pending(async: false, finish)
            }
            try emitting.add((), work, take: emitAll)
        }
        try source.forEachBatch { batch in
            if guessingOrder { summary.records += batch.count }
            let base = position
            position += batch.count
            let inputs = LaneInputs(count: batch.count)
            let work = Pending(async: overlap, count: batch.count, workers: workers) { i -> Judged in
                let record = batch[i]
                // Judged in place (returned, a judgement was copied on its way out).
                var judged = Judged(record: record, judgement: Judgement())
                judge.judge(record, factsNeeded: false, into: &judged.judgement)
                judged.judgement.forgetFacts()
                let s = streamEntry(judged.judgement)
                inputs.set(i, lane: HouseholdLanes.lane(of: s?.household, among: laneCount), streamed: s)
                return judged
            }
            try current.add((base, inputs), work, take: number)
        }
        try current.drain(take: number)
        try emitting.drain(take: emitAll)
        for (status, n) in zip(statuses, byStatus) where n > 0 { summary.byStatus[status] = n }
        return summary
    }

    /// Adds the finding of one violated rule to a verdict's lists: a duplicate, or a violation with its
    /// offence's step of the ladder.
    private func add(_ rule: RulePlan, _ outcome: RuleOutcome, violations: inout [ViolationFinding],
                     duplicates: inout [DuplicateFinding]) {
        if let original = outcome.duplicateOf {
            duplicates.append(DuplicateFinding(rule: rule.id, of: original))
            return
        }
        guard let steps = rule.escalation?.steps, !steps.isEmpty else {
            violations.append(ViolationFinding(
                rule: rule.id, severity: rule.severity, group: rule.group, offence: nil, action: nil, points: rule.points ?? 0,
                publish: rule.publish, referTo: nil, disqualify: nil, earlier: outcome.earlier))
            return
        }
        // The step of the ladder the offence reaches (the last for offences past it), read in place:
        // taken as a value, it was copied — a retain per string — to be copied again into the finding.
        // Its points, else the rule's, else none.
        steps.withUnsafeBufferPointer { steps in
            let step = steps.baseAddress! + (min(max(outcome.offence, 1), steps.count) - 1)
            // The stricter of the step's and the rule's publication levels; none when neither sets one.
            let publish = step.pointee.publish == nil && rule.publish == nil
                ? nil : min(step.pointee.publish ?? rule.publish ?? .named, rule.publish ?? .named)
            violations.append(ViolationFinding(
                rule: rule.id, severity: rule.severity, group: rule.group, offence: outcome.offence, action: step.pointee.action,
                points: step.pointee.points ?? rule.points ?? 0, publish: publish, referTo: step.pointee.referTo,
                disqualify: step.pointee.disqualify, earlier: outcome.earlier))
        }
    }

    /// A record and its judgement, between the stages (a struct, not a pair: copied and destroyed
    /// by code of its own rather than the runtime's generic code for tuples).
    struct Judged: Sendable {
        var record: IncidentRecord
        var judgement: Judgement
    }

    /// What the streamed numbering of offences takes of a judged record.
    struct Streamed: Sendable {
        var household: String
        var time: Timestamp
        var id: String
        var violated: RuleIndices
    }

    /// A batch's verdicts (or digests) and what `render` made of each, in the same order (nothing
    /// without a `render`).
    struct Emitted<Output: Sendable, Rendered: Sendable>: Sendable {
        /// Never nil until taken out to be emitted (see `emitAll`).
        var outputs: [Output?]
        var rendered: [Rendered]
        /// Whether the batch's households were found out of time order in a run that guessed
        /// they were not: nothing made, the run stops.
        var unordered: Bool
    }

    /// How many batches are judged ahead of the one whose results the caller is taking in.
    static let batchesAhead = 2

    /// The verdict on a judged record; `outcome(rule)` is the history's word on each violated rule.
    func verdict(for record: IncidentRecord, judgement j: Judgement, outcome: (Int) -> RuleOutcome?) -> Verdict {
        let judged = Judged(record: record, judgement: j)
        return withUnsafePointer(to: judged) { verdict(of: $0, outcome: outcome) }
    }

    /// The same, read in place (see ``digest(of:outcome:)``).
    func verdict(of judged: UnsafePointer<Judged>, outcome: (Int) -> RuleOutcome?) -> Verdict {
        // The judgement's fields read one by one, in place: binding the judgement or its incident
        // would copy it (a retain per field). The verdict is made once, at the end, from its parts
        // (made early and changed, it was copied on the way out).
        func verdict(_ status: VerdictStatus, violations: [ViolationFinding] = [], duplicates: [DuplicateFinding] = [],
                     credits: [CreditFinding] = [], complied: [String]) -> Verdict {
            Verdict(
                incident: judged.pointee.judgement.incident?.id ?? judged.pointee.record.id ?? "\(judged.pointee.record.origin)",
                status: status, category: judged.pointee.judgement.incident?.category,
                household: judged.pointee.judgement.incident?.household, occurredAt: judged.pointee.judgement.incident?.occurredAt,
                kind: judged.pointee.judgement.incident?.kind, grid: judged.pointee.judgement.incident?.grid,
                building: judged.pointee.judgement.incident?.building, unit: judged.pointee.judgement.incident?.unit,
                zone: judged.pointee.judgement.incident?.zone, reporter: judged.pointee.judgement.incident?.reporterID,
                violations: violations, duplicates: duplicates,
                exemptions: status == .invalid ? [] : judged.pointee.judgement.exemptions, credits: credits,
                complied: complied, missingEvidence: judged.pointee.judgement.missingEvidence,
                problems: judged.pointee.judgement.problems, origin: judged.pointee.record.origin)
        }
        if !judged.pointee.judgement.problems.isEmpty {
            guard judged.pointee.judgement.incident == nil, let raw = RawPlace(judged.pointee.record) else {
                return verdict(.invalid, complied: [])
            }
            // No incident: the record's own words on where and when, nothing only an incident gives.
            return Verdict(
                incident: judged.pointee.record.id ?? "\(judged.pointee.record.origin)", status: .invalid,
                category: raw.category, household: raw.household, occurredAt: raw.occurredAt, kind: nil, grid: raw.grid,
                building: raw.building, unit: nil, zone: raw.zone, reporter: nil, violations: [], duplicates: [],
                exemptions: [], credits: [], complied: [], missingEvidence: judged.pointee.judgement.missingEvidence,
                problems: judged.pointee.judgement.problems, origin: judged.pointee.record.origin)
        }
        let complied = judged.pointee.judgement.complied.map { judge.rulePlans[$0].id }
        guard let kind = judged.pointee.judgement.incident?.kind else { return verdict(.noViolation, complied: complied) }
        if kind == .deed || judged.pointee.judgement.deedCategory {
            let credits = judged.pointee.judgement.credits
            return verdict(credits.isEmpty ? .noViolation : .credited, credits: credits, complied: complied)
        }
        let violated = judged.pointee.judgement.violated
        var violations: [ViolationFinding] = []
        var duplicates: [DuplicateFinding] = []
        if violated.count > 1 { violations.reserveCapacity(violated.count) }
        let household = judged.pointee.judgement.incident?.household
        for ruleIndex in violated {
            let outcome = Self.outcome(of: ruleIndex, household: household, outcome)
            // The plan is read without retaining it (see `CategoryPlan.ruleRefs`).
            judge.ruleRefs[ruleIndex]._withUnsafeGuaranteedRef { rule in
                add(rule, outcome, violations: &violations, duplicates: &duplicates)
            }
        }
        let status = Self.status(violations: !violations.isEmpty, duplicates: !duplicates.isEmpty, kind: kind)
        return verdict(status, violations: violations, duplicates: duplicates, complied: complied)
    }

    /// The digest of the verdict ``verdict(for:judgement:outcome:)`` makes: the same status, the
    /// same rules in the same order, the same points — without building the verdict's findings.
    func digest(of judged: UnsafePointer<Judged>, outcome: (Int) -> RuleOutcome?) -> VerdictDigest {
        // The judgement's fields read one by one, in place: binding the judgement or its incident
        // would copy it (a retain per field). The digest is made once, at the end, from its parts
        // (made early and changed, it was copied twice on the way out).
        func digest(_ status: VerdictStatus, credited: Int = 0, rules: [RuleShare]) -> VerdictDigest {
            VerdictDigest(
                status: status, kind: judged.pointee.judgement.incident?.kind, occurredAt: judged.pointee.judgement.incident?.occurredAt,
                category: judged.pointee.judgement.incident?.category, household: judged.pointee.judgement.incident?.household,
                grid: judged.pointee.judgement.incident?.grid, building: judged.pointee.judgement.incident?.building,
                unit: judged.pointee.judgement.incident?.unit, zone: judged.pointee.judgement.incident?.zone,
                reporter: judged.pointee.judgement.incident?.reporterID, credited: credited, rules: rules,
                origin: judged.pointee.record.origin)
        }
        if !judged.pointee.judgement.problems.isEmpty {
            if judged.pointee.judgement.incident == nil, let raw = RawPlace(judged.pointee.record) {
                return VerdictDigest(
                    status: .invalid, kind: nil, occurredAt: raw.occurredAt, category: raw.category, household: raw.household,
                    grid: raw.grid, building: raw.building, unit: nil, zone: raw.zone, reporter: nil, credited: 0, rules: [],
                    origin: judged.pointee.record.origin)
            }
            return digest(.invalid, rules: [])
        }
        let complied = judged.pointee.judgement.complied
        guard let kind = judged.pointee.judgement.incident?.kind else {
            return digest(.noViolation, rules: complied.map { RuleShare(rule: $0, kind: .complied) })
        }
        if kind == .deed || judged.pointee.judgement.deedCategory {
            let credits = judged.pointee.judgement.credits
            return digest(credits.isEmpty ? .noViolation : .credited, credited: credits.reduce(0) { $0 + $1.points },
                          rules: complied.map { RuleShare(rule: $0, kind: .complied) })
        }
        let violated = judged.pointee.judgement.violated
        var rules: [RuleShare] = []
        rules.reserveCapacity(violated.count + complied.count)
        var duplicates: [Int] = []
        let household = judged.pointee.judgement.incident?.household
        for ruleIndex in violated {
            let outcome = Self.outcome(of: ruleIndex, household: household, outcome)
            // As `add(_:_:violations:duplicates:)` finds it: a duplicate, or a violation with its step's points.
            if outcome.duplicateOf != nil {
                duplicates.append(ruleIndex)
                continue
            }
            let (points, referred) = judge.ruleRefs[ruleIndex]._withUnsafeGuaranteedRef { rule in
                rule.digestCharge(forOffence: outcome.offence)
            }
            rules.append(RuleShare(rule: ruleIndex, kind: .violated, points: points, referred: referred))
        }
        let violations = rules.count
        for ruleIndex in duplicates { rules.append(RuleShare(rule: ruleIndex, kind: .duplicate)) }
        for i in complied { rules.append(RuleShare(rule: i, kind: .complied)) }
        return digest(Self.status(violations: violations > 0, duplicates: !duplicates.isEmpty, kind: kind), rules: rules)
    }
}

extension Engine {
    /// The history's word on one violated rule of an incident: a first offence without a household
    /// (nothing to count it against) or without a word.
    static func outcome(of rule: Int, household: String?, _ outcome: (Int) -> RuleOutcome?) -> RuleOutcome {
        household.flatMap { _ in outcome(rule) } ?? RuleOutcome(offence: 1, duplicateOf: nil, earlier: [])
    }

    /// The status of a valid incident's verdict, from what it was found to have.
    static func status(violations: Bool, duplicates: Bool, kind: IncidentKind) -> VerdictStatus {
        if violations { return .violation }
        if duplicates { return .duplicate }
        return kind == .inspection ? .compliant : .noViolation
    }
}

/// What the engine hands over per record, as its summary counts it.
protocol Outcome: Sendable {
    var status: VerdictStatus { get }
    var origin: RecordOrigin { get }
}

extension Verdict: Outcome {}
extension VerdictDigest: Outcome {}

/// A verdict's rendering and what the run's summary counts of it (``Engine/evaluateRendered(source:history:render:retract:emit:)``).
struct Rendition<Rendered: Sendable>: Outcome {
    let status: VerdictStatus
    let origin: RecordOrigin
    let rendered: Rendered
}

/// What an invalid record that is a JSON object still says of where and when, for its verdict.
struct RawPlace {
    var household, category, grid, building, zone: String?
    var occurredAt: Timestamp?

    init?(_ record: IncidentRecord) {
        guard case .success(let raw) = record.content else { return nil }
        func text(_ v: Value?) -> String? { if case .string(let s)? = v { return s } else { return nil } }
        household = text(raw["household"])
        category = text(raw["category"])
        if case .map(let w)? = raw["where"] {
            grid = text(w["grid"])
            building = text(w["building"])
            zone = text(w["zone"])
        }
        occurredAt = text(raw["occurred_at"]).flatMap(Timestamp.parse)
    }
}
