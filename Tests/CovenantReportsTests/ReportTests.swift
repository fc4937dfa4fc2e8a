import CovenantCEL
import CovenantEngine
import CovenantLoader
import CovenantModel
import CovenantReports
import Testing

let reportConvention = """
    covenant: 1
    id: rep
    timezone: Asia/Shanghai
    points: { initial: 100, period: quarter }
    zones: [corridor, road]
    categories:
      ebike: { facts: { location: zone, charging: bool } }
      throw: { facts: { floor: int } }
      volunteer: { kind: deed, facts: { hours: double } }
    rules:
      - id: ebike.charging
        category: ebike
        applies: facts.location == "corridor"
        violation: facts.charging
        severity: major
        escalation:
          window: 90d
          steps:
            - { action: 劝导, points: -2 }
            - { action: 警告, points: -5, refer_to: fire, disqualify: 180d }
      - id: throw.high
        category: throw
        violation: facts.floor >= 2
        severity: critical
        points: -30
    credits:
      - id: volunteer.hours
        category: volunteer
        points: "int(facts.hours)"
        cap: { amount: 4, per: month }
    recognitions:
      - id: model-household
        title: { zh: 文明家庭, en: Model household }
        of: household
        period: quarter
        when: violations == 0 && deeds >= 1
        veto: { severities: [critical] }
        rank: [points desc, deeds desc]
        limit_per_grid: 1
      - id: best-building
        of: building
        period: quarter
        when: inspections >= 2 && compliance_rate >= 0.5
        rank: [compliance_rate desc]
        limit: 1
    """

func loadReport() -> (Convention, Engine) {
    let c = ConventionLoader.load(text: reportConvention).convention!
    return (c, Engine(convention: c))
}

func rec(_ id: String, _ time: String, _ h: String, _ category: String, _ facts: String, kind: String = "report",
         building: String = "1", grid: String = "G1") -> IncidentRecord {
    let json = #"{"id": "\#(id)", "kind": "\#(kind)", "occurred_at": "\#(time)", "household": "\#(h)", "where": {"grid": "\#(grid)", "building": "\#(building)"}, "category": "\#(category)", "facts": \#(facts)}"#
    guard case .map(let m)? = try? JSON.parse(json) else { fatalError(json) }
    return IncidentRecord(origin: RecordOrigin(file: "t", line: 1), content: .success(m))
}

let charging = #"{"location": "corridor", "charging": true}"#
let clean = #"{"location": "corridor", "charging": false}"#

@Suite struct TallyTests {
    @Test func countsPerGridAndPeriodWithChange() {
        let (c, engine) = loadReport()
        let verdicts = engine.evaluate([
            rec("A", "2026-06-10T10:00:00+08:00", "H1", "ebike", charging),
            rec("B", "2026-07-10T10:00:00+08:00", "H1", "ebike", charging),
            rec("C", "2026-07-11T10:00:00+08:00", "H1", "ebike", charging),
            rec("D", "2026-07-12T10:00:00+08:00", "H2", "ebike", clean, kind: "inspection"),
            rec("E", "2026-07-13T10:00:00+08:00", "H2", "ebike", charging, kind: "inspection"),
            rec("F", "2026-08-01T10:00:00+08:00", "H3", "volunteer", #"{"hours": 3.0}"#, kind: "deed"),
            rec("G", "2026-08-02T10:00:00+08:00", "H3", "ebike", #"{"location": "nowhere", "charging": true}"#),
        ])
        var tally = Tally(keys: [.grid], period: .quarter, convention: c, roster: nil)
        for v in verdicts { tally.add(v) }
        let rows = tally.rows()
        #expect(rows.map(\.period.label) == ["2026-Q2", "2026-Q3"])
        let q3 = rows[1].counts
        #expect(q3.reports == 2)          // B, C (G is invalid and has no kind once rejected)
        #expect(q3.violations == 3)       // B, C, E
        #expect(q3.inspections == 2)
        #expect(q3.compliantInspections == 1)
        #expect(q3.complianceRate == 0.5)
        #expect(q3.repeatHouseholds == 1) // H1
        #expect(q3.referrals == 2)        // B and C reach step 2 (A in Q2 counts in the window)
        #expect(q3.deducted == -12)       // -5, -5, -2
        #expect(q3.credited == 3)
        #expect(q3.invalid == 1)          // G: invalid zone, but its time places it in Q3
        #expect(tally.unplaced == 0)
        #expect(rows[1].previous?.violations == 1)
    }

    @Test func perRuleRowsCountApplicationsAndCompliance() {
        let (c, engine) = loadReport()
        let verdicts = engine.evaluate([
            rec("A", "2026-07-10T10:00:00+08:00", "H1", "ebike", charging),
            rec("B", "2026-07-12T10:00:00+08:00", "H2", "ebike", clean, kind: "inspection"),
            rec("C", "2026-07-13T10:00:00+08:00", "H2", "throw", #"{"floor": 5}"#),
        ])
        var tally = Tally(keys: [.rule], period: .month, convention: c, roster: nil)
        for v in verdicts { tally.add(v) }
        let byRule = Dictionary(uniqueKeysWithValues: tally.rows().map { ($0.keys[0], $0.counts) })
        #expect(byRule["ebike.charging"]?.applicable == 2)
        #expect(byRule["ebike.charging"]?.complied == 1)
        #expect(byRule["ebike.charging"]?.ruleComplianceRate == 0.5)
        #expect(byRule["throw.high"]?.violations == 1)
        #expect(byRule["throw.high"]?.deducted == -30)
    }

    /// Any number of keys (four are held inline, more in an array), in the order asked, sorted naturally.
    @Test func manyKeysInTheOrderAsked() {
        let (c, engine) = loadReport()
        let verdicts = engine.evaluate([
            rec("A", "2026-07-10T10:00:00+08:00", "H1", "ebike", charging, building: "10", grid: "G2"),
            rec("B", "2026-07-11T10:00:00+08:00", "H2", "ebike", charging, building: "2", grid: "G10"),
            rec("C", "2026-07-12T10:00:00+08:00", "H1", "ebike", charging, building: "10", grid: "G2"),
        ])
        let keys: [TallyKey] = [.grid, .building, .household, .category, .rule, .severity, .zone]
        var tally = Tally(keys: keys, period: .month, convention: c, roster: nil)
        for v in verdicts { tally.add(v) }
        let rows = tally.rows()
        #expect(rows.map(\.keys) == [
            ["G2", "10", "H1", "ebike", "ebike.charging", "major", "-"],
            ["G10", "2", "H2", "ebike", "ebike.charging", "major", "-"],
        ])
        #expect(rows.map(\.counts.violations) == [2, 1])
        #expect(rows.map(\.counts.repeatHouseholds) == [1, 0])
    }

    @Test func emptyInputGivesNoRows() {
        let (c, _) = loadReport()
        #expect(Tally(keys: [.grid], period: .month, convention: c, roster: nil).rows().isEmpty)
    }
}

@Suite struct PointsTests {
    /// A cap built in code at Int.min (the loader bounds caps) credits nothing, without overflow.
    @Test func aCapAtIntMinCreditsNothing() throws {
        let (loaded, engine) = loadReport()
        var c = loaded
        let index = try #require(c.credits.firstIndex { $0.category == "volunteer" })
        c.credits[index].caps = [CreditCap(amount: .min, per: .month)]
        let verdicts = engine.evaluate([
            rec("V1", "2026-07-10T10:00:00+08:00", "H1", "volunteer", #"{"hours": 3.0}"#, kind: "deed"),
            rec("V2", "2026-07-20T10:00:00+08:00", "H1", "volunteer", #"{"hours": 3.0}"#, kind: "deed"),
        ])
        var ledger = PointsLedger(convention: c)
        for v in verdicts { ledger.add(v) }
        #expect(ledger.balances().map(\.credited) == [0])
    }

    @Test func capsApplyInTimeOrderPerMonth() {
        let (c, engine) = loadReport()
        let verdicts = engine.evaluate([
            rec("V2", "2026-07-20T10:00:00+08:00", "H1", "volunteer", #"{"hours": 3.0}"#, kind: "deed"),
            rec("V1", "2026-07-10T10:00:00+08:00", "H1", "volunteer", #"{"hours": 3.0}"#, kind: "deed"),
            rec("V3", "2026-08-01T10:00:00+08:00", "H1", "volunteer", #"{"hours": 3.0}"#, kind: "deed"),
            rec("X", "2026-07-11T10:00:00+08:00", "H1", "ebike", charging),
        ])
        var ledger = PointsLedger(convention: c)
        for v in verdicts { ledger.add(v) }
        let b = ledger.balances()
        #expect(b.count == 1)
        #expect(b[0].period.label == "2026-Q3")
        #expect(b[0].lines.map(\.incident) == ["V1", "X", "V2", "V3"])
        #expect(b[0].lines.map(\.counted) == [3, -2, 1, 3])   // July cap 4: V1 3, V2 only 1; August starts again
        #expect(b[0].credited == 7)
        #expect(b[0].reputation == 98)
        #expect(b[0].redeemable == 7)
    }

    @Test func rosterHouseholdsWithoutIncidentsGetTheInitialBalance() {
        let (c, _) = loadReport()
        let roster = Roster(households: ["H9": .init(id: "H9", grid: "G1", building: "1")])
        let b = PointsLedger(convention: c).balances(roster: roster, only: Periods.parse("2026-Q3"))
        #expect(b.count == 1)
        #expect(b[0].reputation == 100)
    }

    /// An initial balance beyond ±1,000,000 (a convention built in code; the loader refuses it)
    /// gives a balance held at the end of `Int`'s range instead of an overflow.
    @Test(arguments: [(Int.max, Int.max - 2), (Int.min + 1, Int.min), (Int.min, Int.min), (-5, -7)])
    func reputationSaturates(_ c: (initial: Int, reputation: Int)) throws {
        var (convention, _) = loadReport()
        let policy = try #require(convention.points)
        convention.points = PointsPolicy(initial: c.initial, period: policy.period)
        let verdicts = Engine(convention: convention).evaluate([
            rec("X", "2026-07-11T10:00:00+08:00", "H1", "ebike", charging),
        ])
        #expect(verdicts.map(\.status) == [.violation])
        var ledger = PointsLedger(convention: convention)
        for v in verdicts { ledger.add(v) }
        let b = ledger.balances()
        #expect(b.map(\.reputation) == [c.reputation])
    }
}

@Suite struct RecognitionTests {
    let roster = Roster(households: [
        "H1": .init(id: "H1", grid: "G1", building: "1"), "H2": .init(id: "H2", grid: "G1", building: "1"),
        "H3": .init(id: "H3", grid: "G2", building: "2"), "H4": .init(id: "H4", grid: "G2", building: "2"),
        "H5": .init(id: "H5", grid: "G2", building: "2"),
    ])

    func results(_ records: [IncidentRecord], history: [IncidentRecord] = []) -> [RecognitionResult] {
        let (c, engine) = loadReport()
        var r = Recognizer(convention: c, roster: roster, period: Periods.parse("2026-Q3")!)
        for v in engine.evaluate(records, history: history) { r.add(v) }
        for v in engine.evaluate(history) { r.add(v, history: true) }
        return r.results()
    }

    func deed(_ id: String, _ h: String, _ date: String, hours: String = "1.0", grid: String = "G1", building: String = "1") -> IncidentRecord {
        rec(id, "2026-\(date)T10:00:00+08:00", h, "volunteer", #"{"hours": \#(hours)}"#, kind: "deed", building: building, grid: grid)
    }

    @Test func quotaPerGridAndTieBreakByID() {
        let out = results([
            deed("D1", "H1", "07-01"), deed("D2", "H2", "07-02"),                       // G1: H1 and H2 tie
            deed("D3", "H3", "07-03", grid: "G2", building: "2"), deed("D4", "H4", "07-04", hours: "2.0", grid: "G2", building: "2"),
        ]).filter { $0.recognition == "model-household" }
        // One per grid: G1 → H1 (tie on points and deeds, id ascending), G2 → H3 or H4 by points (equal: 100), deeds equal → H3.
        #expect(out.map(\.id) == ["H1", "H3"])
        #expect(out.map(\.rank) == [1, 2])
        #expect(out[0].reason.en == "0 violations, 1 deed, 100 points")
    }

    @Test func vetoAndViolationsExclude() {
        let out = results([
            deed("D1", "H1", "07-01"), rec("T", "2026-07-05T10:00:00+08:00", "H1", "throw", #"{"floor": 3}"#),
            deed("D3", "H3", "07-03", grid: "G2", building: "2"),
        ]).filter { $0.recognition == "model-household" }
        #expect(out.map(\.id) == ["H3"])
    }

    @Test func disqualificationFromAnEarlierPeriodReachesIn() {
        // H3 reached step 2 (disqualify 180d) in June: no honours in Q3 even though Q3 itself is clean.
        let history = [
            rec("A", "2026-06-01T10:00:00+08:00", "H3", "ebike", charging, building: "2", grid: "G2"),
            rec("B", "2026-06-02T10:00:00+08:00", "H3", "ebike", charging, building: "2", grid: "G2"),
        ]
        let out = results([deed("D3", "H3", "07-03", grid: "G2", building: "2"), deed("D4", "H4", "07-04", grid: "G2", building: "2")],
                          history: history).filter { $0.recognition == "model-household" }
        #expect(out.map(\.id) == ["H4"])
    }

    @Test func buildingsRankByComplianceWithLimit() {
        let out = results([
            rec("I1", "2026-07-01T10:00:00+08:00", "H1", "ebike", clean, kind: "inspection"),
            rec("I2", "2026-07-02T10:00:00+08:00", "H2", "ebike", clean, kind: "inspection"),
            rec("I3", "2026-07-01T10:00:00+08:00", "H3", "ebike", clean, kind: "inspection", building: "2", grid: "G2"),
            rec("I4", "2026-07-02T10:00:00+08:00", "H4", "ebike", charging, kind: "inspection", building: "2", grid: "G2"),
        ]).filter { $0.recognition == "best-building" }
        #expect(out.map(\.id) == ["1"])
        #expect(out[0].reason.en == "0 violations, 2 inspections (100.0% compliant), 0 deeds")
    }

    @Test func rosterSubjectsWithoutIncidentsAreCandidatesButMustMeetWhen() {
        // No deeds at all: nobody meets `deeds >= 1`.
        #expect(results([]).filter { $0.recognition == "model-household" }.isEmpty)
    }
}

@Suite struct CapAcrossPeriodsTests {
    static let yaml = """
        covenant: 1
        id: caps
        timezone: Asia/Shanghai
        points: { initial: 100, period: quarter }
        categories:
          wish: { kind: deed, facts: { tier: int } }
        credits:
          - { id: wish, category: wish, points: "facts.tier", caps: [ { amount: 60, per: year }, { amount: 15 } ] }
        """

    @Test func yearlyCapHoldsAcrossQuarterlyBalancesAndPerDeedCapsShowInVerdicts() {
        let c = ConventionLoader.load(text: Self.yaml).convention!
        let engine = Engine(convention: c)
        let verdicts = engine.evaluate(["01-10", "02-10", "04-10", "05-10", "06-10"].enumerated().map { i, d in
            rec("W\(i)", "2026-\(d)T10:00:00+08:00", "H1", "wish", #"{"tier": 20}"#, kind: "deed")
        })
        // The per-deed cap (15) is applied in the verdict itself.
        #expect(verdicts.map { $0.credits.first?.points } == [15, 15, 15, 15, 15])
        var ledger = PointsLedger(convention: c)
        for v in verdicts { ledger.add(v) }
        let b = ledger.balances()
        #expect(b.map(\.period.label) == ["2026-Q1", "2026-Q2"])
        #expect(b.map(\.credited) == [30, 30])   // 15 + 15, then 15 + 15 + 0 (the year's 60 reached)
        #expect(b[1].lines.map(\.counted) == [15, 15, 0])
    }
}

/// Period keys a host builds from any ordinal — past every timestamp, at Int64's ends — give
/// labels, neighbours and recognition bounds without a trap.
@Suite struct ExtremePeriodKeyTests {
    @Test(arguments: [Int64.min, -1, 0, 1, Int64.max])
    func keysAtAnyOrdinal(_ ordinal: Int64) {
        let (c, _) = loadReport()
        for period in Period.allCases {
            let key = Periods.key(ordinal: ordinal, period: period)
            #expect(key.ordinal == ordinal)
            #expect(!key.label.isEmpty)
            _ = key.previous
            let recognizer = Recognizer(convention: c, roster: Roster(), period: key)
            #expect(recognizer.results().isEmpty)
        }
    }
}
