import CovenantCEL
import CovenantModel

/// Offence numbers and duplicates for households whose records arrive in time order (see
/// ``HouseholdOrder``), decided as the records stream by: the same outcomes as ``OffenceIndex``
/// gives for them, with only what the dedupe spans and escalation windows still need in memory —
/// per household, the last counted violation of each rule and the counted violations of each
/// repeat key inside its window.
struct OffenceStream {
    private struct Counted {
        let time: Timestamp
        let id: String
    }

    /// Counted violations of one repeat key: their times, oldest first, and the ids of the last
    /// ``RuleOutcome/earlierKept`` of them (all a verdict names). Times older than the key's longest
    /// window (those before `start`: it only moves forward, since a household's records come in
    /// time order — or, in a stream that checks the order, are no longer numbered once not) can
    /// count for no rule any more and are dropped from time to time; each rule finds its own
    /// window — rules of one group may have windows of different lengths — by looking at the first
    /// few kept times, then by binary search.
    ///
    /// A time is kept as nanoseconds after `base` (8 bytes, not a 16-byte `Timestamp`: the windows'
    /// contents are most of what a long time-ordered run holds). Windows last at most 100 years
    /// (`DSLDuration`), and an `Int64` of nanoseconds spans ±292: when a time is too far from
    /// `base`, the times still inside its window are measured from it instead.
    private struct Window {
        var offsets: [Int64] = []
        var base = Timestamp(seconds: 0)!
        var start = 0
        var recentIDs: [String] = []

        /// Nanoseconds from `base` to `t`.
        func offset(_ t: Timestamp) -> Int128 {
            (Int128(t.seconds) - Int128(base.seconds)) * 1_000_000_000 + Int128(t.nanos) - Int128(base.nanos)
        }

        /// The index of the first kept time (from `start`) in `(t − seconds, t]`, `t` at offset `at`
        /// (every kept time is at or before it: records come in time order).
        func firstWithin(_ seconds: Int64, at: Int128) -> Int {
            let earliest = at - Int128(seconds) * 1_000_000_000
            var lo = start, hi = offsets.count
            // Mostly the first kept time or one soon after it (the window moves with the records):
            // the few times from `start` are looked at in turn — one or two cache lines, where a
            // binary search over a long window touched a line per step, each a cache miss.
            let near = min(hi, lo + 8)
            while lo < near {
                if Int128(offsets[lo]) > earliest { return lo }
                lo += 1
            }
            while lo < hi {
                let mid = (lo + hi) / 2
                if Int128(offsets[mid]) > earliest { hi = mid } else { lo = mid + 1 }
            }
            return lo
        }

        /// How many counted violations lie in `(t − window, t]`.
        func count(window: Int64, at t: Timestamp) -> Int {
            offsets.count - firstWithin(window, at: offset(t))
        }

        mutating func append(_ entry: Counted, longest: Int64, keepingID: Bool) {
            if offsets.isEmpty { base = entry.time }
            let at = offset(entry.time)
            // Forget what lies outside the key's longest window before this time.
            start = firstWithin(longest, at: at)
            if Int64(exactly: at) == nil {
                // Too far from `base` to keep as an `Int64`: measure what is left from this time
                // (within the longest window, ≤ 100 years before it, so it fits).
                offsets = offsets[start...].map { Int64(Int128($0) - at) }
                start = 0
                base = entry.time
                offsets.append(0)
            } else {
                // Drop what has left every window once it is most of the list (amortised O(1)).
                if start >= 32, start * 2 >= offsets.count {
                    offsets.removeFirst(start)
                    start = 0
                }
                offsets.append(Int64(at))
            }
            guard keepingID else { return }
            if recentIDs.count == RuleOutcome.earlierKept { recentIDs.removeFirst() }
            recentIDs.append(entry.id)
        }

        /// The ids of the last `n` counted violations (n ≤ ``RuleOutcome/earlierKept``), oldest first.
        func lastIDs(_ n: Int) -> [String] { Array(recentIDs.suffix(n)) }
    }

    /// What one household's later records need. A household breaks few of the rules, so both lists
    /// are searched linearly (cheaper than hashing a rule or key per lookup).
    private struct Household {
        /// The last counted violation of each rule with a dedupe span.
        var lastByRule: [(rule: Int, counted: Counted)] = []
        /// The counted violations of each repeat key with an escalation window.
        var windows: [(key: Int, window: Window)] = []
        /// The time and id of the household's latest record so far (kept only when the stream
        /// checks the order, see ``OffenceStream/checksOrder``).
        var latest: Counted?

        /// Changes the household in place (through the dictionary's subscript, without a copy).
        mutating func update(_ change: (inout Household) -> Void) { change(&self) }

        func last(_ rule: Int) -> Counted? {
            for entry in lastByRule where entry.rule == rule { return entry.counted }
            return nil
        }

        mutating func setLast(_ rule: Int, _ counted: Counted) {
            if let i = lastByRule.firstIndex(where: { $0.rule == rule }) {
                lastByRule[i].counted = counted
            } else {
                lastByRule.append((rule, counted))
            }
        }

        /// Where the window of a repeat key is (read in place: a copy would retain its lists).
        func windowIndex(_ key: Int) -> Int? { windows.firstIndex { $0.key == key } }

        mutating func append(_ counted: Counted, toWindowOf key: Int, longest: Int64, keepingID: Bool) {
            if let i = windowIndex(key) {
                windows[i].window.append(counted, longest: longest, keepingID: keepingID)
            } else {
                var w = Window()
                w.append(counted, longest: longest, keepingID: keepingID)
                windows.append((key, w))
            }
        }
    }

    private let offenceRules: OffenceRules
    /// Whether the stream checks that each household's records do come in time order, instead of
    /// being told (by ``HouseholdOrder``): when the engine guesses that every household's are.
    let checksOrder: Bool
    /// Whether a record came before one of its household's records taken earlier (by `occurred_at`,
    /// then id by its UTF-8 bytes, as ``OffenceIndex`` orders them) — then the outcomes since are
    /// not to be trusted. Only set when ``checksOrder``.
    private(set) var sawUnordered = false
    /// Whether outcomes name the earlier violations in the window (verdicts do; digests do not,
    /// and then no ids are kept for them).
    private let namesEarlier: Bool
    private var households: [String: Household] = [:]
    /// The rules one record counts (kept between records only for its capacity).
    private var scratch: [(rule: Int, key: Int)] = []

    init(rules: [Rule], namesEarlier: Bool = true, checksOrder: Bool = false) {
        offenceRules = OffenceRules(rules)
        self.namesEarlier = namesEarlier
        self.checksOrder = checksOrder
    }

    /// Whether a record at `time` with `id` comes before `latest` in a household's order.
    private static func precedes(_ time: Timestamp, _ id: String, _ latest: Counted) -> Bool {
        if time != latest.time { return time < latest.time }
        return id.utf8.lexicographicallyPrecedes(latest.id.utf8)
    }

    /// Forgets every household (the numbering of spilled runs, which come household by household).
    mutating func forgetHouseholds() { households.removeAll(keepingCapacity: true) }

    /// The outcomes of the rules one record violated (`violated` in the judge's order), given that
    /// every earlier record of the household came before it. Rules violated by one record are
    /// judged together: they do not count each other.
    mutating func record(household: String, time: Timestamp, id: String, violated: some Collection<Int>) -> [(rule: Int, outcome: RuleOutcome)] {
        var outcomes: [(rule: Int, outcome: RuleOutcome)] = []
        outcomes.reserveCapacity(violated.count)
        record(household: household, time: time, id: id, violated: violated, into: &outcomes)
        return outcomes
    }

    /// The same, appended to `outcomes` (a list kept across records: no list made per record).
    mutating func record(household: String, time: Timestamp, id: String, violated: some Collection<Int>,
                         into outcomes: inout [(rule: Int, outcome: RuleOutcome)]) {
        // Once the order is found wrong the outcomes are thrown away: a placeholder per rule, and
        // nothing kept — a window's times must only move forward (one far in the past would not
        // even fit its offsets).
        func placeholders() {
            for ruleIndex in violated { outcomes.append((ruleIndex, RuleOutcome(offence: 1, duplicateOf: nil, earlier: []))) }
        }
        if sawUnordered {
            placeholders()
            return
        }
        var counted: [(rule: Int, key: Int)] = []
        swap(&counted, &scratch)
        counted.removeAll(keepingCapacity: true)
        defer { swap(&counted, &scratch) }
        var unordered = false
        let checksOrder = self.checksOrder
        households[household, default: Household()].update { h in
            if checksOrder {
                if let latest = h.latest, Self.precedes(time, id, latest) {
                    unordered = true
                    return
                }
                h.latest = Counted(time: time, id: id)
            }
            for ruleIndex in violated {
                if let dedupe = offenceRules.dedupe[ruleIndex], let last = h.last(ruleIndex),
                   OffenceIndex.within(last.time, time, seconds: dedupe, inclusive: true) {
                    outcomes.append((ruleIndex, RuleOutcome(offence: 0, duplicateOf: last.id, earlier: [])))
                    continue
                }
                let key = offenceRules.keyOfRule[ruleIndex]
                var offence = 1
                var earlier: [String] = []
                if let window = offenceRules.window[ruleIndex], let w = h.windowIndex(key) {
                    let inWindow = h.windows[w].window.count(window: window, at: time)
                    offence = inWindow + 1
                    if namesEarlier { earlier = h.windows[w].window.lastIDs(min(inWindow, RuleOutcome.earlierKept)) }
                }
                outcomes.append((ruleIndex, RuleOutcome(offence: offence, duplicateOf: nil, earlier: earlier)))
                counted.append((ruleIndex, key))
            }
            for (k, c) in counted.enumerated() {
                let entry = Counted(time: time, id: id)
                if offenceRules.dedupe[c.rule] != nil { h.setLast(c.rule, entry) }
                // One incident is one occurrence of its group, however many of the group's rules it breaks.
                guard !counted[..<k].contains(where: { $0.key == c.key }) else { continue }
                if let longest = offenceRules.longestWindow[c.key] {
                    h.append(entry, toWindowOf: c.key, longest: longest, keepingID: namesEarlier)
                }
            }
        }
        if unordered {
            sawUnordered = true
            placeholders()
        }
    }
}
