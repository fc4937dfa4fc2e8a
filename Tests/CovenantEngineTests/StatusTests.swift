import CovenantCEL
import CovenantEngine
import CovenantIO
import CovenantModel
import Testing

@Suite struct StatusTests {
    let engine = Engine(convention: convention(baseConvention))

    struct InvalidCase: Sendable, CustomTestStringConvertible {
        let name: String
        let json: String
        let field: String?
        var testDescription: String { name }
    }

    static let invalidCases: [InvalidCase] = [
        .init(name: "missing id", json: #"{"occurred_at": "2026-05-01T10:00:00+08:00", "category": "noise", "facts": {"source": "x"}}"#, field: "id"),
        .init(name: "unknown category", json: #"{"id": "X", "occurred_at": "2026-05-01T10:00:00+08:00", "category": "ebkie", "facts": {}}"#, field: "category"),
        .init(name: "time without offset", json: #"{"id": "X", "occurred_at": "2026-05-01T10:00:00", "category": "noise", "facts": {"source": "x"}}"#, field: "occurred_at"),
        .init(name: "time without seconds", json: #"{"id": "X", "occurred_at": "2026-05-01T10:00+08:00", "category": "noise", "facts": {"source": "x"}}"#, field: "occurred_at"),
        .init(name: "occurred after reported", json: #"{"id": "X", "occurred_at": "2026-05-01T10:00:00+08:00", "reported_at": "2026-05-01T09:00:00+08:00", "category": "noise", "facts": {"source": "x"}}"#, field: "occurred_at"),
        .init(name: "missing required fact", json: #"{"id": "X", "occurred_at": "2026-05-01T10:00:00+08:00", "category": "ebike", "facts": {"location": "corridor"}}"#, field: "facts.charging"),
        .init(name: "null required fact", json: #"{"id": "X", "occurred_at": "2026-05-01T10:00:00+08:00", "category": "ebike", "facts": {"location": "corridor", "charging": null}}"#, field: "facts.charging"),
        .init(name: "bool given as string", json: #"{"id": "X", "occurred_at": "2026-05-01T10:00:00+08:00", "category": "ebike", "facts": {"location": "corridor", "charging": "yes"}}"#, field: "facts.charging"),
        .init(name: "zone not declared", json: #"{"id": "X", "occurred_at": "2026-05-01T10:00:00+08:00", "category": "ebike", "facts": {"location": "Corridor", "charging": true}}"#, field: "facts.location"),
        .init(name: "undeclared fact", json: #"{"id": "X", "occurred_at": "2026-05-01T10:00:00+08:00", "category": "noise", "facts": {"source": "x", "volume": 3}}"#, field: "facts.volume"),
        .init(name: "where zone not declared", json: #"{"id": "X", "occurred_at": "2026-05-01T10:00:00+08:00", "where": {"zone": "moon"}, "category": "noise", "facts": {"source": "x"}}"#, field: "where.zone"),
        .init(name: "unknown field", json: #"{"id": "X", "occurred_at": "2026-05-01T10:00:00+08:00", "categroy": "noise", "category": "noise", "facts": {"source": "x"}}"#, field: "categroy"),
        .init(name: "missing evidence", json: #"{"id": "X", "occurred_at": "2026-05-01T10:00:00+08:00", "household": "H-1", "category": "ebike", "facts": {"location": "corridor", "charging": true}}"#, field: "evidence"),
        .init(name: "kind unknown", json: #"{"id": "X", "kind": "complaint", "occurred_at": "2026-05-01T10:00:00+08:00", "category": "noise", "facts": {"source": "x"}}"#, field: "kind"),
    ]

    @Test(arguments: invalidCases)
    func invalidRecords(_ c: InvalidCase) {
        let v = engine.evaluate([record(c.json, line: 7)])[0]
        #expect(v.status == .invalid)
        #expect(v.problems.contains { $0.field == c.field }, "problems: \(v.problems.map { "\($0.field ?? "-"): \($0.message.en)" })")
        #expect(v.origin.line == 7)
    }

    @Test func unreadableRecordIsInvalidWithItsLine() {
        let bad = IncidentRecord(origin: RecordOrigin(file: "x.ndjson", line: 3),
                                 content: .failure(RecordProblem(.init(en: "invalid JSON", zh: "JSON 无效"))))
        let v = engine.evaluate([bad])[0]
        #expect(v.status == .invalid)
        #expect(v.incident == "x.ndjson:3")
    }

    @Test func inspectionWithNothingViolatedIsCompliant() {
        let v = engine.evaluate([report("I", "2026-05-01T10:00:00+08:00", facts: #"{"location": "corridor", "charging": false}"#,
                                        kind: "inspection")])[0]
        #expect(v.status == .compliant)
        #expect(v.complied == ["ebike.charging", "ebike.exit"])
    }

    @Test func inspectionWithNoApplicableRuleIsCompliant() {
        let v = engine.evaluate([report("I", "2026-05-01T10:00:00+08:00", facts: #"{"location": "road", "charging": true}"#,
                                        kind: "inspection")])[0]
        #expect(v.status == .compliant)
    }

    @Test func reportWithNothingViolatedIsNoViolation() {
        let v = engine.evaluate([report("R", "2026-05-01T10:00:00+08:00", facts: #"{"location": "road", "charging": true}"#)])[0]
        #expect(v.status == .noViolation)
    }

    @Test func violationFoundByInspectionCounts() {
        let verdicts = engine.evaluate([
            report("I", "2026-05-01T10:00:00+08:00", kind: "inspection"),
            report("R", "2026-05-02T10:00:00+08:00"),
        ])
        #expect(verdicts[0].status == .violation)
        #expect(verdicts[1].violations.first?.offence == 2)
    }

    @Test func deedsAreCredited() {
        let v = engine.evaluate([record(#"{"id": "V", "occurred_at": "2026-05-01T10:00:00+08:00", "household": "H-1", "category": "volunteer", "facts": {"hours": 2.5}}"#)])[0]
        #expect(v.status == .credited)
        #expect(v.kind == .deed)
        #expect(v.credits == [CreditFinding(credit: "volunteer.hours", points: 5)])
    }

    /// A credit's computed points lie within ±1,000,000 (as every number of points a convention
    /// gives): one past the bound makes the record invalid, with the reason, instead of a sum that
    /// could overflow later in a balance or a tally.
    @Test(arguments: [(500_000.0, 1_000_000, true), (500_000.5, 1_000_001, false), (-500_000.5, -1_000_001, false)])
    func creditPointsOutOfRangeAreAProblem(_ c: (Double, Int, Bool)) {
        let v = engine.evaluate([record(#"{"id": "V", "occurred_at": "2026-05-01T10:00:00+08:00", "household": "H-1", "category": "volunteer", "facts": {"hours": \#(c.0)}}"#)])[0]
        if c.2 {
            #expect(v.status == .credited)
            #expect(v.credits == [CreditFinding(credit: "volunteer.hours", points: c.1)])
        } else {
            #expect(v.status == .invalid)
            #expect(v.credits.isEmpty)
            #expect(v.problems.map(\.message.en) == ["`points` of `volunteer.hours` is \(c.1), out of range: points lie between −1,000,000 and 1,000,000"])
        }
    }

    /// The loader refuses points beyond ±1,000,000 (L0030), but a convention built in code is not
    /// loaded: the engine then makes each record that would be charged or credited such points
    /// invalid, with the reason — on the verdicts' path and the digests' (tallies) alike — so that
    /// no sum of points can overflow.
    @Test func pointsOutOfRangeInAConventionBuiltInCode() throws {
        var c = convention(baseConvention)
        let noise = try #require(c.rules.firstIndex { $0.id == "noise.night" })
        c.rules[noise].points = -2_000_000
        let leash = try #require(c.rules.firstIndex { $0.id == "pet.leash" })
        c.rules[leash].escalation!.steps[1].points = -1_000_001
        let volunteer = try #require(c.credits.firstIndex { $0.id == "volunteer.hours" })
        c.credits[volunteer].points = .fixed(Int.max)
        let engine = Engine(convention: c)
        let records = [
            report("N", "2026-05-01T23:00:00+08:00", category: "noise", facts: #"{"source": "music"}"#),
            report("P", "2026-05-01T10:00:00+08:00", category: "pet", facts: #"{"species": "dog", "leashed": false}"#, zone: "road"),
            record(#"{"id": "V", "occurred_at": "2026-05-01T10:00:00+08:00", "household": "H-1", "category": "volunteer", "facts": {"hours": 2}}"#),
            report("E", "2026-05-01T10:00:00+08:00"),
        ]
        let verdicts = engine.evaluate(records)
        #expect(verdicts.map(\.status) == [.invalid, .invalid, .invalid, .violation])
        #expect(verdicts.map { $0.problems.map(\.message.en) } == [
            ["`points` of `noise.night` is -2000000, out of range: points lie between −1,000,000 and 1,000,000"],
            ["`points` of `pet.leash` is -1000001, out of range: points lie between −1,000,000 and 1,000,000"],
            ["`points` of `volunteer.hours` is \(Int.max), out of range: points lie between −1,000,000 and 1,000,000"],
            [],
        ])
        #expect(verdicts[2].problems.first?.message.zh.contains("超出范围") == true)
        let (digests, _) = try engine.reduceDigests(source: RecordList(records), history: RecordList([]), into: [VerdictStatus]()) {
            $0.append($1.status)
        }
        #expect(digests == [.invalid, .invalid, .invalid, .violation])
    }

    /// A convention built in code is not loaded, so nothing refused its unknown time zone
    /// (L0020): every record is invalid with the reason, never judged as if nothing were broken.
    @Test(arguments: [false, true])
    func unknownTimeZoneInAConventionBuiltInCode(_ asJSONText: Bool) {
        var c = convention(baseConvention)
        c.timezone = "Asia/Shangai"
        let line = #"{"id": "A", "occurred_at": "2026-05-01T10:00:00+08:00", "household": "H-1", "category": "noise", "facts": {"source": "music"}}"#
        let record = asJSONText ? IncidentRecord(origin: RecordOrigin(file: "t", line: 1), validUTF8JSON: Array(line.utf8))
                                : StatusTests.parsed(line)
        let v = Engine(convention: c).evaluate([record])[0]
        #expect(v.status == .invalid)
        #expect(v.problems.map(\.message.en) == ["the convention's time zone `Asia/Shangai` is unknown, so no local time can be found"])
    }

    /// A category filed under one key with another `id` (a convention built in code) is judged
    /// under its key, from JSON text (the fast path) as from a parsed record.
    @Test(arguments: [false, true])
    func categoryFiledUnderAnotherKey(_ asJSONText: Bool) {
        var c = convention(baseConvention)
        c.categories["noise"]!.id = "noise-v2"
        let line = #"{"id": "N", "occurred_at": "2026-05-01T23:00:00+08:00", "household": "H-1", "category": "noise", "facts": {"source": "music"}}"#
        let record = asJSONText ? IncidentRecord(origin: RecordOrigin(file: "t", line: 1), validUTF8JSON: Array(line.utf8))
                                : StatusTests.parsed(line)
        let v = Engine(convention: c).evaluate([record])[0]
        #expect(v.status == .violation)
        #expect(v.category == "noise")
        #expect(v.violations.map(\.rule) == ["noise.night"])
    }

    static func parsed(_ json: String) -> IncidentRecord { record(json) }

    /// Hand-built conventions the loader would refuse do not trap the engine: a ladder without
    /// steps, and a condition compiled against other variables than the rule's scope.
    @Test func handBuiltConventionsDoNotTrap() throws {
        var c = convention(baseConvention)
        let leash = try #require(c.rules.firstIndex { $0.id == "pet.leash" })
        c.rules[leash].escalation!.steps = []
        let noise = try #require(c.rules.firstIndex { $0.id == "noise.night" })
        let wide = CELEnvironment(variables: (0..<10).map { ("v\($0)", CELType.int) })
        let program = try wide.compile("v9 > 0", expecting: .bool)
        c.rules[noise].violation = Condition(text: "v9 > 0", source: CELSource(text: "v9 > 0"), program: program)
        let engine = Engine(convention: c)
        let dog = report("P", "2026-05-01T10:00:00+08:00", category: "pet", facts: #"{"species": "dog", "leashed": false}"#, zone: "road")
        let night = report("N", "2026-05-01T23:00:00+08:00", category: "noise", facts: #"{"source": "music"}"#)
        let verdicts = engine.evaluate([dog, night])
        #expect(verdicts.map(\.status) == [.violation, .invalid])
        #expect(verdicts[1].problems.first?.message.en.contains("no value for `v9`") == true, "\(verdicts[1].problems)")
        let explained = engine.explain(dog)
        #expect(explained.verdict.status == .violation)
    }

    @Test func effectiveDatesAreLocalDates() {
        // pet.leash is in force from 2026-03-01 (inclusive) until 2026-12-01 (exclusive), in Asia/Shanghai.
        func dog(_ id: String, _ t: String) -> IncidentRecord {
            report(id, t, household: "H-\(id)", category: "pet", facts: #"{"species": "dog", "leashed": false}"#, zone: "road")
        }
        let verdicts = engine.evaluate([
            dog("A", "2026-02-28T15:59:59Z"),  // 23:59:59 on Feb 28 local: not yet
            dog("B", "2026-02-28T16:00:00Z"),  // 00:00 on Mar 1 local: in force
            dog("C", "2026-11-30T15:59:59Z"),  // last second of Nov 30 local: in force
            dog("D", "2026-11-30T16:00:00Z"),  // Dec 1 local: no longer
        ])
        #expect(verdicts.map(\.status) == [.noViolation, .violation, .violation, .noViolation])
    }

    @Test func conventionEffectiveDateIsAFloor() {
        let v = engine.evaluate([report("A", "2025-12-31T10:00:00+08:00")])[0]
        #expect(v.status == .noViolation)
    }

    @Test func quietHoursCrossMidnightInLocalTime() {
        func noise(_ id: String, _ t: String) -> IncidentRecord {
            report(id, t, category: "noise", facts: #"{"source": "music"}"#)
        }
        let verdicts = engine.evaluate([
            noise("A", "2026-05-01T21:59:00+08:00"),
            noise("B", "2026-05-01T22:00:00+08:00"),
            noise("C", "2026-05-01T17:30:00Z"),        // 01:30 local
            noise("D", "2026-05-01T06:00:00+08:00"),
        ])
        #expect(verdicts.map(\.status) == [.noViolation, .violation, .violation, .noViolation])
    }

    @Test func evidenceAlternatives() {
        func dog(_ id: String, _ evidence: String) -> IncidentRecord {
            report(id, "2026-05-0\(id.count)T10:00:00+08:00", household: "H-\(id)", category: "pet",
                   facts: #"{"species": "dog", "leashed": false}"#, evidence: evidence, zone: "road")
        }
        let verdicts = engine.evaluate([
            dog("A", #"[{"type": "photo"}]"#),
            dog("B", #"[{"type": "witness_statement"}, {"type": "witness_statement"}]"#),
            dog("C", #"[{"type": "witness_statement"}]"#),
            dog("D", #"["photo"]"#),
        ])
        #expect(verdicts.map(\.status) == [.violation, .violation, .invalid, .violation])
        #expect(verdicts[2].problems.first?.field == "evidence")
    }

    @Test func exemptionsApplyUntilTheyExpire() {
        func dog(_ id: String, _ t: String) -> IncidentRecord {
            report(id, t, household: "H-GUIDE", category: "pet", facts: #"{"species": "dog", "leashed": false}"#, zone: "road")
        }
        let verdicts = engine.evaluate([dog("A", "2026-05-01T10:00:00+08:00")])
        #expect(verdicts[0].status == .noViolation)
        #expect(verdicts[0].exemptions.first?.exemption == "guide-dog")
    }

    @Test func aFailingConditionMakesTheRecordInvalid() {
        // `incident.where.zone` is absent: `pet.leash`'s `applies` cannot be evaluated.
        let v = engine.evaluate([record(#"{"id": "X", "occurred_at": "2026-05-01T10:00:00+08:00", "household": "H-1", "category": "pet", "facts": {"species": "dog", "leashed": false}, "evidence": ["photo"]}"#)])[0]
        #expect(v.status == .invalid)
        #expect(v.problems.first?.message.en.contains("applies") == true)
    }
}

@Suite struct NDJSONStreamingTests {
    @Test func chunksSplitAnywhereGiveTheSameRecords() {
        let text = """
            {"id": "A", "n": 1}
            not json
            {"id": "公约", "n": 2}\r

            {"id": "C"}
            """
        let bytes = Array(text.utf8)
        var whole: [String] = []
        IncidentReader.forEach(bytes, file: "f", format: .ndjson, convention: nil) { whole.append("\($0.origin.line):\($0.id ?? "-")") }
        for size in [1, 2, 3, 7, 64] {
            var offset = 0
            var streamed: [String] = []
            IncidentReader.forEachNDJSON(file: "f", nextChunk: {
                guard offset < bytes.count else { return nil }
                defer { offset += size }
                return Array(bytes[offset..<min(offset + size, bytes.count)])
            }) { streamed.append("\($0.origin.line):\($0.id ?? "-")") }
            #expect(streamed == whole, "chunk size \(size)")
        }
        #expect(whole == ["1:A", "2:-", "3:公约", "5:C"])
    }
}

@Suite struct RosterProblemTests {
    static let yaml = """
        covenant: 1
        id: roster
        timezone: Asia/Shanghai
        roster: { building: { high_rise: bool } }
        zones: [lobby]
        categories:
          ebike: { facts: { location: zone } }
        rules:
          - { id: lobby, category: ebike, applies: building.high_rise, violation: 'facts.location == "lobby"' }
        """

    func verdict(roster: Roster?, building: String) -> Verdict {
        let engine = Engine(convention: convention(Self.yaml), roster: roster)
        return engine.evaluate([record(#"{"id": "X", "occurred_at": "2026-05-01T10:00:00+08:00", "household": "H-9", "where": {"building": "\#(building)"}, "category": "ebike", "facts": {"location": "lobby"}}"#)])[0]
    }

    @Test func missingRosterAndMissingBuildingAreNamed() {
        let none = verdict(roster: nil, building: "29")
        #expect(none.status == .invalid)
        #expect(none.problems.first?.message.en.contains("none was given") == true)
        let roster = Roster(buildings: ["1": .init(id: "1", attributes: MapValue([("high_rise", .bool(true))]))])
        let missing = verdict(roster: roster, building: "29")
        #expect(missing.problems.first?.message.en == "building `29` is not on the roster")
        #expect(missing.problems.first?.field == "where.building")
        #expect(verdict(roster: roster, building: "1").status == .violation)
    }

    @Test func invalidVerdictsKeepWhatTheRecordSays() {
        let engine = Engine(convention: convention(baseConvention))
        let v = engine.evaluate([record(#"{"id": "X", "occurred_at": "2026-05-01T10:00:00+08:00", "household": "H-7", "where": {"building": "5"}, "category": "ebike", "facts": {"location": "corridor", "charging": "yes"}}"#)])[0]
        #expect(v.status == .invalid)
        #expect(v.household == "H-7")
        #expect(v.category == "ebike")
        #expect(v.building == "5")
    }
}
