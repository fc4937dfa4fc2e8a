import CovenantCEL
import CovenantModel
import CovenantSource

/// Something that can yield incident records, possibly more than once (the engine reads its input
/// twice: once to order offences, once to emit verdicts, so memory does not grow with the input).
public protocol RecordSource {
    /// Calls `body` with every record, in order.
    func forEachRecord(_ body: (IncidentRecord) throws -> Void) throws
}

/// Records held in memory.
public struct RecordList: RecordSource, Sendable {
    public var records: [IncidentRecord]

    public init(_ records: [IncidentRecord]) { self.records = records }

    public func forEachRecord(_ body: (IncidentRecord) throws -> Void) throws {
        for r in records { try body(r) }
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
    let judge: Judge

    /// Creates an engine for a convention and, when conditions read `household.*`/`building.*`, a roster.
    public init(convention: Convention, roster: Roster? = nil) {
        self.convention = convention
        self.judge = Judge(convention: convention, roster: roster)
    }

    /// Evaluates records held in memory; `history` counts for escalation and dedupe but is not reported.
    public func evaluate(_ records: [IncidentRecord], history: [IncidentRecord] = []) -> [Verdict] {
        var out: [Verdict] = []
        out.reserveCapacity(records.count)
        _ = try? evaluate(source: RecordList(records), history: RecordList(history)) { out.append($0) }
        return out
    }

    /// Evaluates a source in two passes and hands each verdict to `emit`, in input order.
    @discardableResult
    public func evaluate(
        source: some RecordSource, history: some RecordSource, emit: (Verdict) throws -> Void
    ) throws -> EvaluationSummary {
        var summary = EvaluationSummary()
        var index = OffenceIndex()
        var position = 0
        let collect: (IncidentRecord, Bool) -> Void = { record, isHistory in
            defer { position += 1 }
            if isHistory { summary.history += 1 } else { summary.records += 1 }
            let j = judge.judge(record)
            guard !j.isInvalid, let incident = j.incident, let household = incident.household else { return }
            for rule in j.violated {
                index.add(ViolationEntry(record: position, household: household, occurredAt: incident.occurredAt,
                                         id: incident.id, rule: rule))
            }
        }
        try history.forEachRecord { collect($0, true) }
        try source.forEachRecord { collect($0, false) }
        let outcomes = index.outcomes(rules: convention.rules)
        position = summary.history
        try source.forEachRecord { record in
            defer { position += 1 }
            let verdict = self.verdict(for: record, judgement: judge.judge(record), position: position, outcomes: outcomes)
            summary.byStatus[verdict.status, default: 0] += 1
            if verdict.status == .invalid, summary.invalidOrigins.count < 20 { summary.invalidOrigins.append(record.origin) }
            try emit(verdict)
        }
        return summary
    }

    func verdict(for record: IncidentRecord, judgement j: Judgement, position: Int, outcomes: [RecordRule: RuleOutcome]) -> Verdict {
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
                : outcomes[RecordRule(record: position, rule: ruleIndex)] ?? RuleOutcome(offence: 1, duplicateOf: nil, earlier: [])
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
