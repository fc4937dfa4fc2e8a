import CovenantCEL
import CovenantEngine
import CovenantModel
import Foundation
import Testing

@Suite struct EscalationTests {
    let engine = Engine(convention: convention(baseConvention))

    @Test func offencesTakeStepsAndTheLastRepeats() {
        let verdicts = engine.evaluate([
            report("A", "2026-05-01T10:00:00+08:00"),
            report("B", "2026-05-02T10:00:00+08:00"),
            report("C", "2026-05-03T10:00:00+08:00"),
            report("D", "2026-05-04T10:00:00+08:00"),
        ])
        #expect(verdicts.map(\.status) == [.violation, .violation, .violation, .violation])
        #expect(verdicts.map { $0.violations.first?.offence } == [1, 2, 3, 4])
        #expect(verdicts.map { $0.violations.first?.points } == [-2, -5, -10, -10])
        #expect(verdicts[2].violations.first?.referTo == "fire_brigade")
        #expect(verdicts[2].violations.first?.action?.zh == "移交")
        #expect(verdicts[3].violations.first?.earlier == ["A", "B", "C"])
    }

    @Test func windowIsOpenAtItsStart() {
        // Window 90d = (t − 90d, t]: an offence exactly 90 days earlier no longer counts; 1 s less does.
        let verdicts = engine.evaluate([
            report("A1", "2026-05-01T10:00:00+08:00", household: "H-1"),
            report("B1", "2026-07-30T10:00:00+08:00", household: "H-1"),  // exactly 90 days later: A1 is outside
            report("A2", "2026-05-01T10:00:00+08:00", household: "H-2"),
            report("B2", "2026-07-30T09:59:59+08:00", household: "H-2"),  // 1 s less than 90 days: A2 is inside
        ])
        #expect(verdicts.map { $0.violations.first?.offence } == [1, 1, 1, 2])
        #expect(verdicts[3].violations.first?.earlier == ["A2"])
    }

    @Test func domainExampleDay1Day80Day100() {
        // domain.md §4.4: day 1, day 80, day 100 → steps 1, 2, 2 (day 1 leaves the 90-day window on day 100).
        let verdicts = engine.evaluate([
            report("D1", "2026-01-01T09:00:00+08:00"),
            report("D80", "2026-03-21T09:00:00+08:00"),
            report("D100", "2026-04-10T09:00:00+08:00"),
        ])
        #expect(verdicts.map { $0.violations.first?.offence } == [1, 2, 2])
    }

    @Test func groupsCountTogether() {
        let verdicts = engine.evaluate([
            report("A", "2026-05-01T10:00:00+08:00"),
            report("B", "2026-05-05T10:00:00+08:00",
                   facts: #"{"location": "road", "charging": false, "blocking_exit": true}"#),
        ])
        #expect(verdicts[1].violations.map(\.rule) == ["ebike.exit"])
        #expect(verdicts[1].violations.first?.offence == 2)
        #expect(verdicts[1].violations.first?.points == -10)
    }

    /// The verdicts on `records`, in their order, every way the engine can number offences: streamed
    /// (records in time order), through the index (given reversed, and in order), and one at a time
    /// by the live validator.
    func everyWay(_ engine: Engine, _ records: [IncidentRecord]) async -> [(way: String, verdicts: [Verdict])] {
        var indexOnly = engine
        indexOnly.streamsOrderedHouseholds = false
        let live = LiveValidator(engine: engine)
        var liveVerdicts: [Verdict] = []
        for r in records { liveVerdicts.append(await live.validate(r)) }
        var spilling = indexOnly
        spilling.scratch = MemoryScratchSpace()
        spilling.spillThreshold = 1
        // Through a source: the in-memory `evaluate(_:)` never spills.
        func spilled(_ records: [IncidentRecord]) -> [Verdict] {
            var out: [Verdict] = []
            do {
                try spilling.evaluate(source: RecordList(records), history: RecordList([])) { out.append($0) }
            } catch {
                Issue.record("spilling failed: \(error)")
            }
            return out
        }
        return [("streamed", engine.evaluate(records)), ("index, reversed input", engine.evaluate(records.reversed()).reversed()),
                ("index", indexOnly.evaluate(records)), ("spilled runs", spilled(records)),
                ("spilled runs, reversed input", spilled(records.reversed()).reversed()), ("live validator", liveVerdicts)]
    }

    /// Rules of one group may have windows of different lengths: each counts the group's offences
    /// inside its own window. (A shared window start let a short-window rule push a long-window
    /// rule's earlier offences out.) The batch engine — streaming or through the index — and the
    /// live validator agree.
    @Test func groupRulesKeepTheirOwnWindows() async throws {
        // ebike.charging's window (the first in the text) becomes a day; ebike.exit's stays 90 days.
        var text = baseConvention
        let first = try #require(text.range(of: "window: 90d"))
        text.replaceSubrange(first, with: "window: 1d")
        let engine = Engine(convention: convention(text))
        let exit = #"{"location": "road", "charging": false, "blocking_exit": true}"#
        let records = [
            report("R1", "2026-05-01T10:00:00+08:00", facts: exit),   // ebike.exit (90 d): offence 1
            report("R2", "2026-05-05T10:00:00+08:00"),                // ebike.charging (1 d): R1 is 4 days back → 1
            report("R3", "2026-05-06T10:00:00+08:00", facts: exit),   // ebike.exit (90 d): R1 and R2 count → 3
        ]
        let expected = ["ebike.exit:1:[]", "ebike.charging:1:[]", "ebike.exit:3:[\"R1\", \"R2\"]"]
        for (way, verdicts) in await everyWay(engine, records) {
            #expect(verdicts.map { v in v.violations.map { "\($0.rule):\($0.offence ?? 0):\($0.earlier)" }.joined() } == expected, "\(way)")
        }
    }

    /// One incident that breaks two rules of a group is one occurrence of the group (domain notes
    /// §4.1: the ladder counts confirmed occurrences of the same group): a later breach of the
    /// group is its second offence, and names the incident once.
    @Test func anIncidentIsOneOccurrenceOfItsGroup() async {
        let both = #"{"location": "corridor", "charging": true, "blocking_exit": true}"#
        let records = [
            report("B1", "2026-05-01T10:00:00+08:00", facts: both),   // ebike.charging and ebike.exit
            report("B2", "2026-05-03T10:00:00+08:00"),                // ebike.charging again
        ]
        let expected = ["ebike.charging:1:[] ebike.exit:1:[]", "ebike.charging:2:[\"B1\"]"]
        for (way, verdicts) in await everyWay(engine, records) {
            #expect(verdicts.map { v in v.violations.map { "\($0.rule):\($0.offence ?? 0):\($0.earlier)" }.joined(separator: " ") } == expected,
                    "\(way)")
        }
    }

    /// A streamed window keeps its times as 64-bit nanoseconds from its first one (±292 years); a
    /// time beyond that is measured afresh, and what is still inside its window must survive the
    /// move. (1700-01-01T02:00Z plus 2^63 ns is 1992-04-11.)
    @Test func windowsAcrossCenturies() async {
        let engine = Engine(convention: convention(baseConvention.replacingOccurrences(of: "effective: 2026-01-01",
                                                                                        with: "effective: 1600-01-01")))
        let records = [
            report("C1", "1700-01-01T10:00:00+08:00"),
            report("C2", "1992-04-01T10:00:00+08:00"),   // still within 2^63 ns of C1; C1 is long out of the window
            report("C3", "1992-04-20T10:00:00+08:00"),   // beyond it: measured afresh, and C2 (19 days back) counts
            report("C4", "1992-04-21T10:00:00+08:00"),
        ]
        let expected = ["ebike.charging:1:[]", "ebike.charging:1:[]", "ebike.charging:2:[\"C2\"]", "ebike.charging:3:[\"C2\", \"C3\"]"]
        for (way, verdicts) in await everyWay(engine, records) {
            #expect(verdicts.map { v in v.violations.map { "\($0.rule):\($0.offence ?? 0):\($0.earlier)" }.joined() } == expected, "\(way)")
        }
    }

    @Test func householdsAreCountedSeparately() {
        let verdicts = engine.evaluate([
            report("A", "2026-05-01T10:00:00+08:00", household: "H-1"),
            report("B", "2026-05-02T10:00:00+08:00", household: "H-2"),
        ])
        #expect(verdicts.map { $0.violations.first?.offence } == [1, 1])
    }

    @Test func tiesAreBrokenByID() {
        let verdicts = engine.evaluate([
            report("B", "2026-05-01T10:00:00+08:00"),
            report("A", "2026-05-01T02:00:00Z"),  // the same instant written in UTC
        ])
        #expect(verdicts[0].status == .duplicate)
        #expect(verdicts[0].duplicates.first?.of == "A")
        #expect(verdicts[1].violations.first?.offence == 1)
    }

    @Test func ruleWithoutEscalationHasNullOffenceAndRulePoints() {
        let v = engine.evaluate([report("N", "2026-05-01T23:30:00+08:00", category: "noise", facts: #"{"source": "music"}"#)])[0]
        #expect(v.status == .violation)
        #expect(v.violations.first?.offence == nil)
        #expect(v.violations.first?.action == nil)
        #expect(v.violations.first?.points == -2)
    }

    @Test func historyCountsButIsNotReported() {
        let verdicts = engine.evaluate([report("C", "2026-05-03T10:00:00+08:00")],
                                       history: [report("A", "2026-05-01T10:00:00+08:00"), report("B", "2026-05-02T10:00:00+08:00")])
        #expect(verdicts.count == 1)
        #expect(verdicts[0].violations.first?.offence == 3)
    }

    @Test func unknownHouseholdIsAlwaysAFirstOffence() {
        let verdicts = engine.evaluate([
            report("A", "2026-05-01T10:00:00+08:00", household: nil),
            report("B", "2026-05-02T10:00:00+08:00", household: nil),
        ])
        #expect(verdicts.map { $0.violations.first?.offence } == [1, 1])
    }
}
