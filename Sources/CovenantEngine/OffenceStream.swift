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
    /// window (those before `start`: it only moves forward, since records come in time order) can
    /// count for no rule any more and are dropped from time to time; each rule finds its own
    /// window — rules of one group may have windows of different lengths — by binary search.
    private struct Window {
        var times: [Timestamp] = []
        var start = 0
        var recentIDs: [String] = []

        /// Moves `start` past the times outside the key's longest window before `t`.
        mutating func forget(before t: Timestamp, longest: Int64) {
            while start < times.count, !OffenceIndex.within(times[start], t, seconds: longest, inclusive: false) { start += 1 }
        }

        /// How many counted violations lie in `(t − window, t]`.
        func count(window: Int64, at t: Timestamp) -> Int {
            let inside = OffenceIndex.firstWithin(times.count - start, window: window, at: t) { times[start + $0] }
            return times.count - start - inside
        }

        mutating func append(_ entry: Counted, longest: Int64) {
            forget(before: entry.time, longest: longest)
            // Drop what has left every window once it is most of the list (amortised O(1)).
            if start >= 32, start * 2 >= times.count {
                times.removeFirst(start)
                start = 0
            }
            times.append(entry.time)
            if recentIDs.count == RuleOutcome.earlierKept { recentIDs.removeFirst() }
            recentIDs.append(entry.id)
        }

        /// The ids of the last `n` counted violations (n ≤ ``RuleOutcome/earlierKept``), oldest first.
        func lastIDs(_ n: Int) -> [String] { Array(recentIDs.suffix(n)) }
    }

    private struct Household {
        var lastByRule: [Int: Counted] = [:]
        var windows: [Int: Window] = [:]

        /// Changes the household in place (through the dictionary's subscript, without a copy).
        mutating func update(_ change: (inout Household) -> Void) { change(&self) }
    }

    private let offenceRules: OffenceRules
    private var households: [String: Household] = [:]
    /// The rules one record counts (kept between records only for its capacity).
    private var scratch: [(rule: Int, key: Int)] = []

    init(rules: [Rule]) {
        offenceRules = OffenceRules(rules)
    }

    /// The outcomes of the rules one record violated (`violated` in the judge's order), given that
    /// every earlier record of the household came before it. Rules violated by one record are
    /// judged together: they do not count each other.
    mutating func record(household: String, time: Timestamp, id: String, violated: [Int]) -> [(rule: Int, outcome: RuleOutcome)] {
        var outcomes: [(rule: Int, outcome: RuleOutcome)] = []
        outcomes.reserveCapacity(violated.count)
        var counted: [(rule: Int, key: Int)] = []
        swap(&counted, &scratch)
        counted.removeAll(keepingCapacity: true)
        defer { swap(&counted, &scratch) }
        households[household, default: Household()].update { h in
            for ruleIndex in violated {
                if let dedupe = offenceRules.dedupe[ruleIndex], let last = h.lastByRule[ruleIndex],
                   OffenceIndex.within(last.time, time, seconds: dedupe, inclusive: true) {
                    outcomes.append((ruleIndex, RuleOutcome(offence: 0, duplicateOf: last.id, earlier: [])))
                    continue
                }
                let key = offenceRules.keyOfRule[ruleIndex]
                var offence = 1
                var earlier: [String] = []
                if let window = offenceRules.window[ruleIndex], let w = h.windows[key] {
                    let inWindow = w.count(window: window, at: time)
                    offence = inWindow + 1
                    earlier = w.lastIDs(min(inWindow, RuleOutcome.earlierKept))
                }
                outcomes.append((ruleIndex, RuleOutcome(offence: offence, duplicateOf: nil, earlier: earlier)))
                counted.append((ruleIndex, key))
            }
            for (k, c) in counted.enumerated() {
                let entry = Counted(time: time, id: id)
                if offenceRules.dedupe[c.rule] != nil { h.lastByRule[c.rule] = entry }
                // One incident is one occurrence of its group, however many of the group's rules it breaks.
                guard !counted[..<k].contains(where: { $0.key == c.key }) else { continue }
                if let longest = offenceRules.longestWindow[c.key] { h.windows[c.key, default: Window()].append(entry, longest: longest) }
            }
        }
        return outcomes
    }
}
