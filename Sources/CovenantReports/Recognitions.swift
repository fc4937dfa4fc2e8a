import CovenantCEL
import CovenantModel
import CovenantSource

/// The aggregates of one subject (household, building or grid) in one period.
public struct SubjectAggregates: Sendable {
    public var id: String
    public var grid: String?
    public var reports = 0
    public var violations = 0
    public var deeds = 0
    public var deducted = 0
    public var credited = 0
    public var inspections = 0
    public var compliantInspections = 0
    public var referrals = 0
    public var households = 0
    public var counts: [String: Int] = [:]
    /// Rules and severities violated (for vetoes).
    public var violatedRules: Set<String> = []
    public var violatedSeverities: Set<RuleSeverity> = []
    /// Disqualified from honours during the period by a ladder step (with the incident that did it).
    public var disqualifiedBy: String?
    public var initial = 0

    /// initial + deducted (saturated, as ``PointsBalance/reputation``).
    public var points: Int { initial.addingSaturated(deducted) }
    public var complianceRate: Double { inspections == 0 ? 0 : Double(compliantInspections) / Double(inspections) }

    init(id: String, grid: String?, initial: Int) {
        self.id = id
        self.grid = grid
        self.initial = initial
    }
}

/// One recognized subject with its rank and reason.
public struct RecognitionResult: Sendable {
    public var recognition: String
    public var title: LocalizedText?
    public var subject: RecognitionSubject
    public var id: String
    public var grid: String?
    public var rank: Int
    /// The reason in words and numbers, e.g. "0 violations, 3 deeds, 106 points".
    public var reason: LocalizedText
    public var aggregates: SubjectAggregates
}

/// Computes a convention's recognitions for one period from its verdicts: `when` over the period's
/// aggregates, vetoes (一票否决), disqualification by ladder steps, deterministic ranks, limits
/// overall and per grid. Subjects in the roster with no incidents are candidates too.
public struct Recognizer: Sendable {
    let convention: Convention
    let roster: Roster
    public let period: PeriodKey
    private var households: [String: SubjectAggregates] = [:]
    private var buildings: [String: SubjectAggregates] = [:]
    private var grids: [String: SubjectAggregates] = [:]
    /// The period's first second and the first second after it (Unix seconds: a period's bounds
    /// are local midnights, whole seconds, and may lie outside the timestamps' range — the start
    /// of year 10000 ends 9999).
    let periodStart: Int64
    let periodEnd: Int64

    public init(convention: Convention, roster: Roster, period: PeriodKey) {
        self.convention = convention
        self.roster = roster
        self.period = period
        let (start, end) = Recognizer.bounds(period, timezone: convention.timezone)
        self.periodStart = start
        self.periodEnd = end
        let initial = convention.points?.initial ?? 0
        for h in roster.households.values {
            households[h.id] = SubjectAggregates(id: h.id, grid: h.grid, initial: initial)
            if let b = h.building {
                if buildings[b] == nil { buildings[b] = SubjectAggregates(id: b, grid: h.grid ?? roster.buildings[b]?.grid, initial: 0) }
                buildings[b]!.households += 1
            }
            if let g = h.grid {
                if grids[g] == nil { grids[g] = SubjectAggregates(id: g, grid: g, initial: 0) }
                grids[g]!.households += 1
            }
        }
        for (id, b) in roster.buildings where buildings[id] == nil {
            buildings[id] = SubjectAggregates(id: id, grid: b.grid, initial: 0)
        }
    }

    /// The instants a period starts and ends (local midnights in the convention's zone), in Unix
    /// seconds.
    static func bounds(_ p: PeriodKey, timezone: String) -> (start: Int64, end: Int64) {
        // The first days from the ordinals (the label is for people; a host may build a key whose
        // label does not parse).
        func startDate(_ k: PeriodKey) -> (Int, Int, Int) { Periods.firstDay(ordinal: k.ordinal, period: k.period) }
        func instant(_ date: (Int, Int, Int)) -> Int64 {
            // Years far past any timestamp (a key a host built from an extreme ordinal) are held
            // where day counts cannot overflow; no incident falls in such a period anyway.
            let days = TimeZones.days(year: min(max(date.0, -1_000_000), 1_000_000), month: date.1, day: date.2)
            // The zone's offset that day (beyond the timestamps' range, at its nearest end).
            let noon = min(max(days * 86_400 + 43_200, Timestamp.minSeconds), Timestamp.maxSeconds)
            let offset = TimeZones.offset(timezone, atUnixSeconds: noon) ?? 0
            return days * 86_400 - Int64(offset)
        }
        guard p.ordinal < .max else { return (instant(startDate(p)), .max) }
        let next = Periods.key(ordinal: p.ordinal + 1, period: p.period)
        return (instant(startDate(p)), instant(startDate(next)))
    }

    /// Adds one verdict (verdicts outside the period, and history, only matter for disqualifications
    /// that reach into it).
    public mutating func add(_ v: Verdict, history: Bool = false) {
        guard let t = v.occurredAt else { return }
        let inPeriod = !history && t.seconds >= periodStart && t.seconds < periodEnd
        let household = v.household.flatMap { roster.households[$0] }
        let buildingID = v.building ?? household?.building
        let gridID = v.grid ?? household?.grid ?? buildingID.flatMap { roster.buildings[$0]?.grid }
        func update(_ a: inout SubjectAggregates) {
            for f in v.violations {
                if let d = f.disqualify, a.disqualifiedBy == nil {
                    let until = Int128(t.seconds) + Int128(d.seconds)
                    if t.seconds < periodEnd && until > Int128(periodStart) { a.disqualifiedBy = v.incident }
                }
            }
            guard inPeriod else { return }
            if v.kind == .report { a.reports += 1 }
            if v.kind == .inspection {
                a.inspections += 1
                if v.status == .compliant { a.compliantInspections += 1 }
            }
            if v.status == .violation { a.violations += 1 }
            if v.status == .credited { a.deeds += 1 }
            if let c = v.category, v.status != .invalid { a.counts[c, default: 0] += 1 }
            for f in v.violations {
                a.deducted += f.points
                if f.referTo != nil { a.referrals += 1 }
                a.violatedRules.insert(f.rule)
                a.violatedSeverities.insert(f.severity)
            }
            a.credited += v.credits.reduce(0) { $0 + $1.points }
        }
        let initial = convention.points?.initial ?? 0
        if let h = v.household {
            if households[h] == nil { households[h] = SubjectAggregates(id: h, grid: gridID, initial: initial) }
            update(&households[h]!)
        }
        if let b = buildingID {
            if buildings[b] == nil { buildings[b] = SubjectAggregates(id: b, grid: gridID, initial: 0) }
            update(&buildings[b]!)
        }
        if let g = gridID {
            if grids[g] == nil { grids[g] = SubjectAggregates(id: g, grid: g, initial: 0) }
            update(&grids[g]!)
        }
    }

    /// Recognitions whose period kind matches the requested period.
    public func results() -> [RecognitionResult] {
        var out: [RecognitionResult] = []
        for recognition in convention.recognitions where recognition.period == period.period {
            let pool: [SubjectAggregates]
            switch recognition.of {
            case .household: pool = Array(households.values)
            case .building: pool = Array(buildings.values)
            case .grid: pool = Array(grids.values)
            }
            let environment = Scopes.recognitionEnvironment(categories: Array(convention.categories.keys), roster: convention.roster,
                                                            subject: recognition.of)
            var eligible = pool.filter { a in
                if a.disqualifiedBy != nil && recognition.of == .household { return false }
                if !a.violatedRules.isDisjoint(with: recognition.vetoRules) { return false }
                if !a.violatedSeverities.isDisjoint(with: recognition.vetoSeverities) { return false }
                guard let when = recognition.when else { return true }
                let activation = environment.activation(values(a, subject: recognition.of))
                if case .bool(true)? = try? when.program.evaluate(activation) { return true }
                return false
            }
            eligible.sort { x, y in compare(x, y, recognition.rank) }
            var perGrid: [String: Int] = [:]
            var rank = 0
            for a in eligible {
                if let limit = recognition.limit, rank >= limit { break }
                if let perGridLimit = recognition.limitPerGrid {
                    let g = a.grid ?? "-"
                    if perGrid[g, default: 0] >= perGridLimit { continue }
                    perGrid[g, default: 0] += 1
                }
                rank += 1
                out.append(RecognitionResult(recognition: recognition.id, title: recognition.title, subject: recognition.of,
                                             id: a.id, grid: a.grid, rank: rank, reason: reason(a, recognition.of), aggregates: a))
            }
        }
        return out
    }

    func field(_ a: SubjectAggregates, _ name: String) -> Value {
        switch name {
        case "points": return .int(Int64(a.points))
        case "deeds": return .int(Int64(a.deeds))
        case "violations": return .int(Int64(a.violations))
        case "reports": return .int(Int64(a.reports))
        case "inspections": return .int(Int64(a.inspections))
        case "compliance_rate": return .double(a.complianceRate)
        case "credited", "redeemable": return .int(Int64(a.credited))
        case "deducted": return .int(Int64(a.deducted))
        case "households": return .int(Int64(a.households))
        default: return .string(a.id)
        }
    }

    /// Ranks by the recognition's keys, then by id (ascending) so ties are always broken the same way.
    func compare(_ x: SubjectAggregates, _ y: SubjectAggregates, _ keys: [RankKey]) -> Bool {
        for key in keys + [RankKey(field: "id", descending: false)] {
            let a = field(x, key.field)
            let b = field(y, key.field)
            if a == b { continue }
            let less: Bool
            switch (a, b) {
            case (.int(let p), .int(let q)): less = p < q
            case (.double(let p), .double(let q)): less = p < q
            case (.string(let p), .string(let q)): less = Array(p.utf8).lexicographicallyPrecedes(Array(q.utf8))
            default: less = false
            }
            return key.descending ? !less : less
        }
        return false
    }

    func values(_ a: SubjectAggregates, subject: RecognitionSubject) -> [String: Value] {
        var counts = MapValue()
        for c in convention.categories.keys { counts.set(c, .int(Int64(a.counts[c] ?? 0))) }
        var v: [String: Value] = [
            "reports": .int(Int64(a.reports)), "violations": .int(Int64(a.violations)), "deeds": .int(Int64(a.deeds)),
            "points": .int(Int64(a.points)), "redeemable": .int(Int64(a.credited)), "deducted": .int(Int64(a.deducted)),
            "credited": .int(Int64(a.credited)), "inspections": .int(Int64(a.inspections)),
            "compliant_inspections": .int(Int64(a.compliantInspections)), "compliance_rate": .double(a.complianceRate),
            "households": .int(Int64(a.households)), "referrals": .int(Int64(a.referrals)), "counts": .map(counts),
            "id": .string(a.id),
        ]
        switch subject {
        case .household:
            if let h = roster.householdValue(a.id) { v["household"] = h }
            if let b = roster.households[a.id]?.building, let bv = roster.buildingValue(b) { v["building"] = bv }
        case .building:
            if let bv = roster.buildingValue(a.id) { v["building"] = bv }
        case .grid: break
        }
        return v
    }

    func reason(_ a: SubjectAggregates, _ subject: RecognitionSubject) -> LocalizedText {
        switch subject {
        case .household:
            return LocalizedText(en: "\(a.violations) violation\(a.violations == 1 ? "" : "s"), \(a.deeds) deed\(a.deeds == 1 ? "" : "s"), \(a.points) points",
                                 zh: "违约 \(a.violations) 次，善行 \(a.deeds) 次，文明分 \(a.points)")
        case .building, .grid:
            let tenths = Int((a.complianceRate * 1000).rounded())
            let rate = a.inspections == 0 ? "—" : "\(tenths / 10).\(tenths % 10)%"
            return LocalizedText(
                en: "\(a.violations) violation\(a.violations == 1 ? "" : "s"), \(a.inspections) inspection\(a.inspections == 1 ? "" : "s") (\(rate) compliant), \(a.deeds) deed\(a.deeds == 1 ? "" : "s")",
                zh: "违约 \(a.violations) 次，巡查 \(a.inspections) 次（合规 \(rate)），善行 \(a.deeds) 次")
        }
    }
}
