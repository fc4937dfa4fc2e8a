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

/// What numbering offences needs of the rules, by rule index (read per violation: a `Rule` is too
/// large a value to copy that often): dedupe spans and escalation windows in seconds, and each
/// rule's repeat key as a number, with the longest window among each key's rules.
struct OffenceRules: Sendable {
    let dedupe: [Int64?]
    let window: [Int64?]
    let keyOfRule: [Int]
    /// Per repeat key: the longest escalation window of its rules (nil when none escalates).
    let longestWindow: [Int64?]

    init(_ rules: [Rule]) {
        dedupe = rules.map { $0.dedupe?.seconds }
        window = rules.map { $0.escalation?.window.seconds }
        var keys: [String: Int] = [:]
        keyOfRule = rules.map { rule in
            if let k = keys[rule.repeatKey] { return k }
            keys[rule.repeatKey] = keys.count
            return keys.count - 1
        }
        var longest = [Int64?](repeating: nil, count: keys.count)
        for (i, w) in window.enumerated() {
            if let w { longest[keyOfRule[i]] = max(longest[keyOfRule[i]] ?? w, w) }
        }
        longestWindow = longest
    }
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
///
/// Kept compact, since it holds one entry per violation of the households whose records are out
/// of time order: households are numbers, a record's id is stored once (in one byte arena, shared
/// by the entries of the record), 40 bytes per entry in all.
struct OffenceIndex {
    /// In the order added, which is the order of record positions.
    private var entries: [Entry] = []
    private var households: [String: UInt32] = [:]
    private var ids: [UInt8] = []

    struct Entry {
        let time: Timestamp
        let household: UInt32
        /// The record's id: `ids[idStart ..< idStart + idLength]`.
        let idStart: Int
        let record: UInt32
        let idLength: UInt32
        let rule: UInt32
    }

    /// Adds a violation; entries come in non-decreasing record position.
    mutating func add(_ entry: ViolationEntry) {
        precondition(entries.last.map { Int($0.record) <= entry.record } ?? true, "violations must be added in record order")
        precondition(entry.record <= Int(UInt32.max) && entry.rule <= Int(UInt32.max), "more records or rules than the index holds")
        let household: UInt32
        if let k = households[entry.household] {
            household = k
        } else {
            household = UInt32(households.count)
            households[entry.household] = household
        }
        var idStart = ids.count
        var idLength = UInt32(entry.id.utf8.count)
        if let last = entries.last, Int(last.record) == entry.record {
            idStart = last.idStart
            idLength = last.idLength
        } else {
            ids.append(contentsOf: entry.id.utf8)
        }
        entries.append(Entry(time: entry.occurredAt, household: household, idStart: idStart, record: UInt32(entry.record),
                             idLength: idLength, rule: UInt32(entry.rule)))
    }

    var count: Int { entries.count }

    /// Whether the index holds no entry.
    var isEmpty: Bool { entries.isEmpty }

    /// Writes every entry to `file`, in a household's offence order — household, then
    /// (`occurred_at`, id, record, rule) — and empties the index (households keep their numbers).
    /// Each entry: household, seconds, nanoseconds, record, rule (fixed width), then the id.
    mutating func writeRun(to file: any ScratchFile) throws {
        var order = Array(0..<Int32(entries.count))
        ids.withUnsafeBufferPointer { ids in
            order.sort { x, y in
                let a = entries[Int(x)], b = entries[Int(y)]
                if a.household != b.household { return a.household < b.household }
                return Self.precedes(a, b, ids: ids)
            }
        }
        var out = ScratchWriter(file)
        for x in order {
            let e = entries[Int(x)]
            SpilledViolation.encode(household: e.household, time: e.time, record: e.record, rule: e.rule,
                                    id: ids[e.idStart..<e.idStart + Int(e.idLength)], into: &out.buffer)
            try out.flushIfFull()
        }
        _ = try out.finish()
        entries.removeAll(keepingCapacity: true)
        ids.removeAll(keepingCapacity: true)
    }

    /// The order of two entries of one household: `occurred_at`, then id by its UTF-8 bytes, then
    /// record position, then rule.
    private static func precedes(_ a: Entry, _ b: Entry, ids: UnsafeBufferPointer<UInt8>) -> Bool {
        if a.time != b.time { return a.time < b.time }
        if a.idStart != b.idStart {
            let x = UnsafeBufferPointer(rebasing: ids[a.idStart..<a.idStart + Int(a.idLength)])
            let y = UnsafeBufferPointer(rebasing: ids[b.idStart..<b.idStart + Int(b.idLength)])
            for k in 0..<min(x.count, y.count) where x[k] != y[k] { return x[k] < y[k] }
            if x.count != y.count { return x.count < y.count }
        }
        if a.record != b.record { return a.record < b.record }
        return a.rule < b.rule
    }

    /// Computes every outcome. Memory: per violation, one packed outcome (16 bytes) and, per counted
    /// violation, one index in a shared pool that the outcomes' earlier offences are ranges of —
    /// ids are resolved only when a verdict asks.
    func outcomes(rules: [Rule]) -> OffenceOutcomes {
        let n = entries.count
        let householdCount = households.count
        // Group by household without copying entries: a sorted list of indices.
        var starts = [Int](repeating: 0, count: householdCount + 1)
        for e in entries { starts[Int(e.household) + 1] += 1 }
        for k in 0..<householdCount { starts[k + 1] += starts[k] }
        var order = [Int32](repeating: 0, count: n)
        var fill = starts
        for i in 0..<n {
            let k = Int(entries[i].household)
            order[fill[k]] = Int32(i)
            fill[k] += 1
        }
        fill = []
        let offenceRules = OffenceRules(rules)

        var packed = [PackedOutcome](repeating: PackedOutcome(), count: n)
        var pool: [Int32] = []
        ids.withUnsafeBufferPointer { ids in
            for k in 0..<householdCount {
                order[starts[k]..<starts[k + 1]].sort { x, y in Self.precedes(entries[Int(x)], entries[Int(y)], ids: ids) }
                let sorted = order[starts[k]..<starts[k + 1]]
                // Counted violations so far: the latest per rule (for dedupe) and, per repeat key, a list in
                // time order (each rule finds its own window in it by binary search). An outcome's
                // earlier offences are a range of its key's list; the lists are appended to `pool` once
                // the household is done, so each counted violation is stored once, however many later
                // outcomes name it.
                var lastByRule: [Int: Int32] = [:]
                var listOfKey: [Int: Int] = [:]
                var lists: [[Int32]] = []
                var ranges: [(entry: Int32, list: Int, lower: Int, upper: Int)] = []
                var i = sorted.startIndex
                while i < sorted.endIndex {
                    // Rules violated by one record are judged together: they do not count each other.
                    var j = i
                    let record = entries[Int(sorted[i])].record
                    while j < sorted.endIndex, entries[Int(sorted[j])].record == record { j += 1 }
                    var counted: [(list: Int, rule: Int, entry: Int32)] = []
                    for x in sorted[i..<j] {
                        let e = entries[Int(x)]
                        let rule = Int(e.rule)
                        let t = e.time
                        if let dedupe = offenceRules.dedupe[rule], let last = lastByRule[rule],
                           Self.within(entries[Int(last)].time, t, seconds: dedupe, inclusive: true) {
                            packed[Int(x)] = PackedOutcome(offence: 0, duplicateOf: last, earlierStart: 0, earlierCount: 0)
                            continue
                        }
                        let list: Int
                        if let id = listOfKey[offenceRules.keyOfRule[rule]] {
                            list = id
                        } else {
                            list = lists.count
                            listOfKey[offenceRules.keyOfRule[rule]] = list
                            lists.append([])
                        }
                        var offence: Int32 = 1
                        if let window = offenceRules.window[rule] {
                            // The key's counted violations inside this rule's own window (rules of one
                            // group may have windows of different lengths): the list is in time order,
                            // so they are a suffix of it.
                            let items = lists[list]
                            let first = Self.firstWithin(items.count, window: window, at: t) { entries[Int(items[$0])].time }
                            offence = Int32(items.count - first + 1)
                            let lower = max(first, items.count - RuleOutcome.earlierKept)
                            if lower < items.count { ranges.append((x, list, lower, items.count)) }
                        }
                        packed[Int(x)] = PackedOutcome(offence: offence, duplicateOf: -1, earlierStart: 0, earlierCount: 0)
                        counted.append((list, rule, x))
                    }
                    // One incident is one occurrence of its group, however many of the group's rules it
                    // breaks: its repeat key's list takes it once.
                    for (k, c) in counted.enumerated() {
                        lastByRule[c.rule] = c.entry
                        if !counted[..<k].contains(where: { $0.list == c.list }) { lists[c.list].append(c.entry) }
                    }
                    i = j
                }
                var bases: [Int] = []
                for list in lists {
                    bases.append(pool.count)
                    pool.append(contentsOf: list)
                }
                for r in ranges {
                    packed[Int(r.entry)].earlierStart = Int32(bases[r.list] + r.lower)
                    packed[Int(r.entry)].earlierCount = Int32(r.upper - r.lower)
                }
            }
        }
        return OffenceOutcomes(entries: entries, ids: ids, packed: packed, pool: pool)
    }

    /// The first of `count` times in non-decreasing order (`time(i)`) that lies in the window
    /// `(t − window, t]` (binary search; `count` when none does).
    static func firstWithin(_ count: Int, window: Int64, at t: Timestamp, time: (Int) -> Timestamp) -> Int {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if within(time(mid), t, seconds: window, inclusive: false) { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// Whether `earlier` lies in the span before `t`: `[t − s, t]` (inclusive) or `(t − s, t]`.
    static func within(_ earlier: Timestamp, _ t: Timestamp, seconds: Int64, inclusive: Bool) -> Bool {
        guard earlier <= t else { return false }
        let delta = (Int128(t.seconds) - Int128(earlier.seconds)) * 1_000_000_000 + Int128(t.nanos) - Int128(earlier.nanos)
        let span = Int128(seconds) * 1_000_000_000
        return inclusive ? delta <= span : delta < span
    }
}

/// One violation's outcome, packed: entry indices instead of ids.
struct PackedOutcome: Sendable {
    var offence: Int32 = 1
    /// Index of the entry this one duplicates, or -1.
    var duplicateOf: Int32 = -1
    /// The earlier offences: `pool[earlierStart ..< earlierStart + earlierCount]` (entry indices).
    var earlierStart: Int32 = 0
    var earlierCount: Int32 = 0
}

/// Every violation's outcome, looked up by (record position, rule).
struct OffenceOutcomes: Sendable {
    let entries: [OffenceIndex.Entry]
    let ids: [UInt8]
    let packed: [PackedOutcome]
    let pool: [Int32]

    static let none = OffenceOutcomes(entries: [], ids: [], packed: [], pool: [])

    private func id(_ e: OffenceIndex.Entry) -> String {
        String(decoding: ids[e.idStart..<e.idStart + Int(e.idLength)], as: UTF8.self)
    }

    /// The outcome of `rule` violated by the record at `record`, when the index holds it.
    func outcome(record: Int, rule: Int) -> RuleOutcome? {
        guard let i = Self.position(ofRecord: record, rule: rule, count: entries.count,
                                    record: { Int(entries[$0].record) }, rule: { Int(entries[$0].rule) }) else { return nil }
        let p = packed[i]
        let earlier = pool[Int(p.earlierStart)..<Int(p.earlierStart + p.earlierCount)].map { id(entries[Int($0)]) }
        return RuleOutcome(offence: Int(p.offence), duplicateOf: p.duplicateOf >= 0 ? id(entries[Int(p.duplicateOf)]) : nil,
                           earlier: earlier)
    }

    /// Where (`record`, `rule`) sits among `count` items in record order (`record(i)`, `rule(i)`):
    /// a binary search for the record's first item, then a look along its few rules.
    static func position(ofRecord wanted: Int, rule wantedRule: Int, count: Int,
                         record: (Int) -> Int, rule: (Int) -> Int) -> Int? {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if record(mid) < wanted { lo = mid + 1 } else { hi = mid }
        }
        var i = lo
        while i < count, record(i) == wanted {
            if rule(i) == wantedRule { return i }
            i += 1
        }
        return nil
    }
}
