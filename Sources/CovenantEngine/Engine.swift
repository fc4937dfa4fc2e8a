import CovenantCEL
import CovenantModel
import CovenantSource

/// Something that can yield incident records, possibly more than once (the engine reads its input
/// twice: once to order offences, once to emit verdicts, so memory does not grow with the input).
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

    /// Creates an engine for a convention and, when conditions read `household.*`/`building.*`, a
    /// roster; see ``workers``.
    public init(convention: Convention, roster: Roster? = nil, workers: Int? = nil) {
        self.convention = convention
        self.judge = Judge(convention: convention, roster: roster)
        self.workers = workers.map { max(1, $0) }
    }

    /// The same engine with another roster (the convention's compiled plans are shared, not rebuilt).
    public func with(roster: Roster?) -> Engine {
        var copy = self
        copy.judge = judge.with(roster: roster)
        return copy
    }

    /// Evaluates records held in memory; `history` counts for escalation and dedupe but is not reported.
    public func evaluate(_ records: [IncidentRecord], history: [IncidentRecord] = []) -> [Verdict] {
        var out: [Verdict] = []
        out.reserveCapacity(records.count)
        _ = try? evaluate(source: RecordList(records), history: RecordList(history)) { out.append($0) }
        return out
    }

    /// Evaluates a source in two passes and hands each verdict to `emit`, in input order. Each
    /// batch of records is decoded and judged by `workers` threads while the previous batch's
    /// results are taken in on the caller's thread (which is also the only thread that reads the
    /// source or calls `emit`); offences are numbered between the passes, in input order, so
    /// verdicts never depend on how the work was split.
    @discardableResult
    public func evaluate(
        source: some RecordSource, history: some RecordSource, emit: (Verdict) throws -> Void
    ) throws -> EvaluationSummary {
        try evaluate(source: source, history: history, render: { _ in () }, emit: { verdict, _ in try emit(verdict) })
    }

    /// Like ``evaluate(source:history:emit:)``, and `render` — a pure function, run on the workers
    /// with the judging — turns each verdict into what `emit` writes (a line of output), so that
    /// formatting is spread over the cores too.
    @discardableResult
    public func evaluate<Rendered: Sendable>(
        source: some RecordSource, history: some RecordSource,
        render: @escaping @Sendable (Verdict) -> Rendered, emit: (Verdict, Rendered) throws -> Void
    ) throws -> EvaluationSummary {
        var summary = EvaluationSummary()
        var index = OffenceIndex()
        var position = 0
        let judge = self.judge
        let workers = self.workers
        let overlap = workers != 1
        // Pass 1: judge every record on its own; collect the violations of records with a household.
        var pendingFound: (work: Pending<[ViolationEntry]>, isHistory: Bool)?
        func takeFound() {
            guard let (work, isHistory) = pendingFound else { return }
            pendingFound = nil
            let found = work.wait()
            for entries in found {
                for var entry in entries {
                    entry.record = position
                    index.add(entry)
                }
                position += 1
            }
            if isHistory { summary.history += found.count } else { summary.records += found.count }
        }
        func collect(_ batch: RecordBatch, isHistory: Bool) {
            let work = Pending(async: overlap) {
                Parallel.map(batch.count, workers: workers) { i -> [ViolationEntry] in
                    let j = judge.judge(batch[i], violationsOnly: true)
                    guard !j.isInvalid, let incident = j.incident, let household = incident.household else { return [] }
                    return j.violated.map {
                        ViolationEntry(record: 0, household: household, occurredAt: incident.occurredAt, id: incident.id, rule: $0)
                    }
                }
            }
            takeFound()
            pendingFound = (work, isHistory)
        }
        try history.forEachBatch { collect($0, isHistory: true) }
        takeFound()
        try source.forEachBatch { collect($0, isHistory: false) }
        takeFound()
        let outcomes = index.outcomes(rules: convention.rules)
        // Pass 2: judge again (nothing per record was kept, so memory stays flat) and emit verdicts.
        position = summary.history
        var pendingVerdicts: Pending<(Verdict, Rendered)>?
        func emitPending() throws {
            guard let work = pendingVerdicts else { return }
            pendingVerdicts = nil
            for (verdict, rendered) in work.wait() {
                summary.byStatus[verdict.status, default: 0] += 1
                if verdict.status == .invalid, summary.invalidOrigins.count < 20 { summary.invalidOrigins.append(verdict.origin) }
                try emit(verdict, rendered)
            }
        }
        try source.forEachBatch { batch in
            let base = position
            position += batch.count
            let work = Pending(async: overlap) {
                Parallel.map(batch.count, workers: workers) { i -> (Verdict, Rendered) in
                    let record = batch[i]
                    let verdict = self.verdict(for: record, judgement: judge.judge(record)) { outcomes.outcome(record: base + i, rule: $0) }
                    return (verdict, render(verdict))
                }
            }
            try emitPending()
            pendingVerdicts = work
        }
        try emitPending()
        return summary
    }

    /// The verdict on a judged record; `outcome(rule)` is the history's word on each violated rule.
    func verdict(for record: IncidentRecord, judgement j: Judgement, outcome: (Int) -> RuleOutcome?) -> Verdict {
        let incident = j.incident
        var v = Verdict(
            incident: incident?.id ?? record.id ?? "\(record.origin)", status: .noViolation, category: incident?.category,
            household: incident?.household, occurredAt: incident?.occurredAt, kind: incident?.kind, grid: incident?.grid,
            building: incident?.building, unit: incident?.unit, zone: incident?.zone, reporter: incident?.reporterID,
            violations: [], duplicates: [], exemptions: j.exemptions, credits: [], complied: j.complied,
            missingEvidence: j.missingEvidence, problems: j.problems, origin: record.origin)
        if j.isInvalid {
            if incident == nil, case .success(let raw) = record.content {
                func text(_ v: Value?) -> String? { if case .string(let s)? = v { return s } else { return nil } }
                v.household = text(raw["household"])
                v.category = text(raw["category"])
                if case .map(let w)? = raw["where"] {
                    v.grid = text(w["grid"])
                    v.building = text(w["building"])
                    v.zone = text(w["zone"])
                }
                v.occurredAt = text(raw["occurred_at"]).flatMap(Timestamp.parse)
            }
            v.status = .invalid
            v.exemptions = []
            v.complied = []
            return v
        }
        guard let incident else { return v }
        if incident.kind == .deed || convention.categories[incident.category]?.kind == .deed {
            v.credits = j.credits
            v.status = j.credits.isEmpty ? .noViolation : .credited
            return v
        }
        for ruleIndex in j.violated {
            let rule = convention.rules[ruleIndex]
            let outcome = incident.household == nil
                ? RuleOutcome(offence: 1, duplicateOf: nil, earlier: [])
                : outcome(ruleIndex) ?? RuleOutcome(offence: 1, duplicateOf: nil, earlier: [])
            if let original = outcome.duplicateOf {
                v.duplicates.append(DuplicateFinding(rule: rule.id, of: original))
                continue
            }
            var finding = ViolationFinding(rule: rule.id, severity: rule.severity, group: rule.group, offence: nil, action: nil,
                                           points: rule.points ?? 0, publish: rule.publish, referTo: nil, disqualify: nil,
                                           earlier: outcome.earlier)
            if let escalation = rule.escalation {
                let step = escalation.step(forOffence: outcome.offence)
                finding.offence = outcome.offence
                finding.action = step.action
                finding.points = step.points ?? rule.points ?? 0
                finding.publish = min(step.publish ?? rule.publish ?? .named, rule.publish ?? .named)
                if step.publish == nil && rule.publish == nil { finding.publish = nil }
                finding.referTo = step.referTo
                finding.disqualify = step.disqualify
            }
            v.violations.append(finding)
        }
        if !v.violations.isEmpty {
            v.status = .violation
        } else if !v.duplicates.isEmpty {
            v.status = .duplicate
        } else if incident.kind == .inspection {
            v.status = .compliant
        } else {
            v.status = .noViolation
        }
        return v
    }
}
