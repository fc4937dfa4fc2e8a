import CovenantCEL
import CovenantModel

/// A violation found in the first pass: enough to order offences and find duplicates.
struct ViolationEntry: Sendable {
    /// Position of the record across all inputs (history first).
    var record: Int
    let household: String
    let occurredAt: Timestamp
    let id: String
    let rule: Int
}

/// The outcome of one violated rule of one record, once its history is known.
struct RuleOutcome: Sendable {
    /// Offence number, 1-based (the ladder step is min(offence, steps)).
    var offence: Int
    /// The counted report this one duplicates, when it is a duplicate.
    var duplicateOf: String?
    /// Earlier counted offences inside the window (ids, oldest first; at most the last
    /// ``earlierKept``, so memory does not grow with a household's history).
    var earlier: [String]

    static let earlierKept = 10
}

/// Orders every violation per household by (`occurred_at`, `id`) and decides, for each, whether
/// it is a duplicate (inside the rule's dedupe span after a counted violation of the same rule)
/// and which offence it is (counted violations of the same rule, or group, inside the window).
/// Nothing here depends on the order the records were read in.
struct OffenceIndex {
    private var entries: [ViolationEntry] = []

    mutating func add(_ entry: ViolationEntry) { entries.append(entry) }

    var count: Int { entries.count }

    /// Computes every outcome, keyed by (record, rule).
    func outcomes(rules: [Rule]) -> [RecordRule: RuleOutcome] {
        var byHousehold: [String: [ViolationEntry]] = [:]
        for e in entries { byHousehold[e.household, default: []].append(e) }
        var result: [RecordRule: RuleOutcome] = [:]
        result.reserveCapacity(entries.count)
        for (_, list) in byHousehold {
            let sorted = list.sorted { a, b in
                if a.occurredAt != b.occurredAt { return a.occurredAt < b.occurredAt }
                let ia = Array(a.id.utf8), ib = Array(b.id.utf8)
                if ia != ib { return ia.lexicographicallyPrecedes(ib) }
                if a.record != b.record { return a.record < b.record }
                return a.rule < b.rule
            }
            // Counted violations so far: the latest per rule (for dedupe) and, per repeat key, a list in
            // time order with the start of the current window (it only moves forward).
            var lastByRule: [Int: (Timestamp, String)] = [:]
            var countedByKey: [String: (items: [(Timestamp, String)], start: Int)] = [:]
            var i = 0
            while i < sorted.count {
                // Rules violated by one record are judged together: they do not count each other.
                var j = i
                while j < sorted.count, sorted[j].record == sorted[i].record { j += 1 }
                var counted: [(String, Int, Timestamp, String)] = []
                for e in sorted[i..<j] {
                    let rule = rules[e.rule]
                    let t = e.occurredAt
                    if let dedupe = rule.dedupe, let last = lastByRule[e.rule], within(last.0, t, seconds: dedupe.seconds, inclusive: true) {
                        result[RecordRule(record: e.record, rule: e.rule)] = RuleOutcome(offence: 0, duplicateOf: last.1, earlier: [])
                        continue
                    }
                    var offence = 1
                    var earlier: [String] = []
                    if let window = rule.escalation?.window, var entry = countedByKey[rule.repeatKey] {
                        while entry.start < entry.items.count, !within(entry.items[entry.start].0, t, seconds: window.seconds, inclusive: false) {
                            entry.start += 1
                        }
                        countedByKey[rule.repeatKey] = entry
                        offence = entry.items.count - entry.start + 1
                        earlier = entry.items[max(entry.start, entry.items.count - RuleOutcome.earlierKept)...].map(\.1)
                    }
                    result[RecordRule(record: e.record, rule: e.rule)] = RuleOutcome(offence: offence, duplicateOf: nil, earlier: earlier)
                    counted.append((rule.repeatKey, e.rule, t, e.id))
                }
                for (key, rule, t, id) in counted {
                    lastByRule[rule] = (t, id)
                    countedByKey[key, default: ([], 0)].items.append((t, id))
                }
                i = j
            }
        }
        return result
    }

    /// Whether `earlier` lies in the span before `t`: `[t − s, t]` (inclusive) or `(t − s, t]`.
    private func within(_ earlier: Timestamp, _ t: Timestamp, seconds: Int64, inclusive: Bool) -> Bool {
        guard earlier <= t else { return false }
        let delta = (Int128(t.seconds) - Int128(earlier.seconds)) * 1_000_000_000 + Int128(t.nanos) - Int128(earlier.nanos)
        let span = Int128(seconds) * 1_000_000_000
        return inclusive ? delta <= span : delta < span
    }
}

/// A (record, rule) pair.
struct RecordRule: Hashable, Sendable {
    var record: Int
    let rule: Int
}
