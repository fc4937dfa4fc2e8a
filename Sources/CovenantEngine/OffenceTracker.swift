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

    /// Drops the counted violations that can no longer count for an incident at or after `cutoff`:
    /// those more than `span` nanoseconds (the longest window or dedupe span) before it.
    mutating func forget(before cutoff: Timestamp, span: Int128) {
        for (household, counted) in byHousehold {
            let kept = counted.filter { Self.seconds(from: $0.time, to: cutoff) <= span }
            byHousehold[household] = kept.isEmpty ? nil : kept
        }
    }

    /// How many counted violations are remembered.
    var count: Int { byHousehold.values.reduce(0) { $0 + $1.count } }
}

/// Validates incidents one at a time, remembering counted violations for later ones: for services
/// that judge reports as they arrive. An actor: safe to share across tasks.
///
/// Memory grows with the violations it remembers (an incident may arrive late, so none is dropped
/// on its own): a long-running service calls ``forget(before:)`` now and then — say nightly, with
/// the earliest `occurred_at` it will still accept — to drop those that can no longer count.
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

    /// Drops the remembered violations that cannot count for any incident that occurred at or
    /// after `time` (older than the convention's longest escalation window or dedupe span before
    /// it). Verdicts on incidents from `time` on are unchanged; an incident older than `time`
    /// validated afterwards may miss earlier offences.
    public func forget(before time: Timestamp) {
        let longest = engine.convention.rules.reduce(Int64(0)) { longest, rule in
            max(longest, rule.escalation?.window.seconds ?? 0, rule.dedupe?.seconds ?? 0)
        }
        tracker.forget(before: time, span: Int128(longest) * 1_000_000_000)
    }

    /// How many counted violations it remembers (for a service that watches its memory).
    public var remembered: Int { tracker.count }

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
