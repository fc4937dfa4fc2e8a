import CovenantCEL
import CovenantEngine
import CovenantModel
import CovenantSource

/// A state violation with a cure deadline, as a grid worker follows it up.
public struct CureCase: Sendable {
    public enum Status: String, Sendable, CaseIterable {
        /// Past the deadline and not cured: escalates as of the time asked.
        case overdue
        /// The deadline is today (local date).
        case dueToday = "due_today"
        case open
        /// A `cure_check` found it put right.
        case cured
        /// A `cure_check` found it not put right (a new offence when the rule escalates).
        case notCured = "not_cured"
    }

    public var incident: String
    public var household: String?
    public var grid: String?
    public var building: String?
    public var unit: String?
    public var rule: String
    public var occurredAt: Timestamp
    public var deadline: Timestamp
    public var status: Status
    /// The offence number of this case's violation.
    public var offence: Int?
    /// For an overdue case of an escalating rule: the step the next offence takes.
    public var nextStep: Step?
}

/// Cases from the ledger's verdicts and cure checks, as of a time.
public enum CaseBook {
    public static func cases(store: LedgerStore, engine: Engine, roster: Roster?, asOf: Timestamp) throws -> [CureCase] {
        var checks: [String: (Timestamp, String)] = [:]
        try store.forEachStoredRecord { _, content, _ in
            guard case .string("cure_check")? = content["kind"], case .string(let ref)? = content["ref"],
                  case .string(let result)? = content["result"], case .string(let t)? = content["occurred_at"],
                  let time = Timestamp.parse(t), !(asOf < time) else { return }
            if let existing = checks[ref], existing.0 > time { return }
            checks[ref] = (time, result)
        }
        let rules = Dictionary(engine.convention.rules.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let zone = engine.convention.timezone
        let today = TimeZones.local(asOf, in: zone).map { ($0.year, $0.month, $0.day) }
        var out: [CureCase] = []
        try engine.evaluate(source: LedgerRecords(store, convention: engine.convention), history: RecordList([])) { v in
            // The state as of `asOf`: what happened later is not known yet.
            guard let t = v.occurredAt, !(asOf < t) else { return }
            for f in v.violations {
                guard let rule = rules[f.rule], let cure = rule.cure else { continue }
                // A deadline past the last representable instant (year 9999) is that instant: the
                // case stays open rather than vanish from the list.
                func due(from start: Timestamp) -> Timestamp {
                    Timestamp(seconds: start.seconds + cure.within.seconds, nanos: start.nanos)
                        ?? Timestamp(seconds: Timestamp.maxSeconds, nanos: 999_999_999)!
                }
                var deadline = due(from: t)
                let household = v.household.flatMap { roster?.households[$0] }
                var status: CureCase.Status
                let check = checks[v.incident]
                if let (checked, result) = check, result == "not_cured", cure.onNotCured == .repeatNotice {
                    // A renewed notice: the case is open again, with the time to cure counted from the check.
                    deadline = due(from: checked)
                }
                if let (_, result) = check, result == "cured" || cure.onNotCured == .escalate {
                    status = result == "cured" ? .cured : .notCured
                } else if asOf > deadline {
                    status = .overdue
                } else if let d = TimeZones.local(deadline, in: zone), let today, (d.year, d.month, d.day) == today {
                    status = .dueToday
                } else {
                    status = .open
                }
                var next: Step?
                if status == .overdue, cure.onNotCured == .escalate, let escalation = rule.escalation, let offence = f.offence {
                    next = escalation.step(forOffence: offence + 1)
                }
                out.append(CureCase(incident: v.incident, household: v.household, grid: v.grid ?? household?.grid,
                                    building: v.building ?? household?.building, unit: v.unit ?? household?.unit, rule: f.rule,
                                    occurredAt: t, deadline: deadline, status: status, offence: f.offence, nextStep: next))
            }
        }
        let order: [CureCase.Status: Int] = [.overdue: 0, .dueToday: 1, .open: 2, .notCured: 3, .cured: 4]
        return out.sorted { a, b in
            if order[a.status]! != order[b.status]! { return order[a.status]! < order[b.status]! }
            // A worker's round: by grid, building and unit, then the oldest deadline.
            let ka = [a.grid ?? "", a.building ?? "", a.unit ?? ""], kb = [b.grid ?? "", b.building ?? "", b.unit ?? ""]
            if ka != kb { return ka.lexicographicallyPrecedes(kb) }
            return a.deadline < b.deadline
        }
    }
}
