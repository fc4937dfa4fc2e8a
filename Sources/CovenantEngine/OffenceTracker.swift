import CovenantCEL
import CovenantModel

/// Offence numbers and duplicates for incidents that arrive one at a time (a service validating
/// reports as they come in). Each incident is judged against the counted violations seen so far
/// that are earlier in (`occurred_at`, `id`) order, exactly as ``OffenceIndex`` does for a batch;
/// for input in time order the two agree.
struct OffenceTracker: Sendable {
    struct Counted: Sendable {
        let rule: Int
        let key: String
        let time: Timestamp
        let id: String
        /// Whether it counts as an occurrence of its repeat key (once per incident and key).
        let occurrence: Bool
    }

    private var byHousehold: [String: [Counted]] = [:]

    static func earlier(_ a: Timestamp, _ aID: String, than b: Timestamp, _ bID: String) -> Bool {
        if a != b { return a < b }
        return Array(aID.utf8).lexicographicallyPrecedes(Array(bID.utf8))
    }

    static func seconds(from a: Timestamp, to b: Timestamp) -> Int128 {
        (Int128(b.seconds) - Int128(a.seconds)) * 1_000_000_000 + Int128(b.nanos) - Int128(a.nanos)
    }

    /// Decides the outcome of each violated rule and records the counted ones.
    mutating func record(household: String, time: Timestamp, id: String, violated: some Collection<Int>, rules: [Rule]) -> [Int: RuleOutcome] {
        let history = byHousehold[household] ?? []
        var outcomes: [Int: RuleOutcome] = [:]
        var newlyCounted: [Counted] = []
        for ruleIndex in violated {
            let rule = rules[ruleIndex]
            let before = history.filter { Self.earlier($0.time, $0.id, than: time, id) }
            if let dedupe = rule.dedupe {
                let span = Int128(dedupe.seconds) * 1_000_000_000
                let candidates = before.filter { $0.rule == ruleIndex && Self.seconds(from: $0.time, to: time) <= span }
                if let last = candidates.max(by: { Self.earlier($0.time, $0.id, than: $1.time, $1.id) }) {
                    outcomes[ruleIndex] = RuleOutcome(offence: 0, duplicateOf: last.id, earlier: [])
                    continue
                }
            }
            var earlier: [String] = []
            if let window = rule.escalation?.window {
                let span = Int128(window.seconds) * 1_000_000_000
                earlier = before.filter { $0.occurrence && $0.key == rule.repeatKey && Self.seconds(from: $0.time, to: time) < span }
                    .sorted { Self.earlier($0.time, $0.id, than: $1.time, $1.id) }.map(\.id)
            }
            outcomes[ruleIndex] = RuleOutcome(offence: earlier.count + 1, duplicateOf: nil,
                                              earlier: Array(earlier.suffix(RuleOutcome.earlierKept)))
            // One incident is one occurrence of its group, however many of the group's rules it breaks.
            let first = !newlyCounted.contains { $0.key == rule.repeatKey }
            newlyCounted.append(Counted(rule: ruleIndex, key: rule.repeatKey, time: time, id: id, occurrence: first))
        }
        byHousehold[household, default: []].append(contentsOf: newlyCounted)
        return outcomes
    }
}

/// Validates incidents one at a time, remembering counted violations for later ones: for services
/// that judge reports as they arrive. An actor: safe to share across tasks.
public actor LiveValidator {
    private let engine: Engine
    private var tracker = OffenceTracker()

    /// Creates a validator; `history` seeds the offences (earlier incidents, not reported).
    public init(engine: Engine, history: [IncidentRecord] = []) {
        self.engine = engine
        var tracker = OffenceTracker()
        for record in history {
            let j = engine.judge.judge(record)
            if !j.isInvalid, let incident = j.incident, let household = incident.household {
                _ = tracker.record(household: household, time: incident.occurredAt, id: incident.id, violated: j.violated,
                                   rules: engine.convention.rules)
            }
        }
        self.tracker = tracker
    }

    /// The verdict on one more incident.
    public func validate(_ record: IncidentRecord) -> Verdict {
        let j = engine.judge.judge(record)
        var byRule: [Int: RuleOutcome] = [:]
        if !j.isInvalid, let incident = j.incident, let household = incident.household {
            byRule = tracker.record(household: household, time: incident.occurredAt, id: incident.id, violated: j.violated,
                                    rules: engine.convention.rules)
        }
        return engine.verdict(for: record, judgement: j) { byRule[$0] }
    }
}
