import CovenantCEL
import CovenantModel

/// What a tally can group by.
public enum TallyKey: String, Sendable, Hashable, CaseIterable {
    case grid, building, unit, household, rule, group, category, severity, reporter, zone

    /// Keys that split one verdict into several rows (one per rule involved).
    var isPerRule: Bool { self == .rule || self == .group || self == .severity }
}

/// The counts of one group in one period.
public struct TallyCounts: Sendable, Hashable {
    /// Verdicts of `report` incidents.
    public var reports = 0
    /// Verdicts with at least one counted violation (per rule: counted violations of the rule).
    public var violations = 0
    public var duplicates = 0
    public var invalid = 0
    public var noViolation = 0
    /// Verdicts of inspections, and those found compliant.
    public var inspections = 0
    public var compliantInspections = 0
    /// Rule applications and compliances (for complied ÷ applicable).
    public var applicable = 0
    public var complied = 0
    /// Violations referred to an authority.
    public var referrals = 0
    /// Points of violations (≤ 0 for deductions) and of deeds.
    public var deducted = 0
    public var credited = 0
    public var deeds = 0
    /// Households with two or more counted violations in the group and period.
    public var repeatHouseholds = 0

    public init() {}

    /// Compliant inspections ÷ inspections (nil without inspections).
    public var complianceRate: Double? { inspections == 0 ? nil : Double(compliantInspections) / Double(inspections) }
    /// Complied ÷ applicable rule applications (nil when no rule applied).
    public var ruleComplianceRate: Double? { applicable == 0 ? nil : Double(complied) / Double(applicable) }
}

/// One row of a tally.
public struct TallyRow: Sendable {
    /// The values of the grouping keys, in the order requested (`-` when unknown).
    public var keys: [String]
    public var period: PeriodKey
    public var counts: TallyCounts
    /// The same group's counts in the previous period, when it had any.
    public var previous: TallyCounts?
}

/// Streams verdicts into counts per group and period: memory grows with the number of groups, not
/// with the number of verdicts.
public struct Tally: Sendable {
    public let keys: [TallyKey]
    public let period: Period
    let timezone: String
    let convention: Convention
    let roster: Roster?
    let range: ClosedRange<Int64>?
    private var groups: [GroupKey: TallyCounts] = [:]
    private var violationsByHousehold: [GroupKey: [String: Int]] = [:]
    private let ruleIndex: [String: Rule]

    struct GroupKey: Hashable, Sendable {
        var values: [String]
        var period: Int64
    }

    /// Creates an empty tally; `range` limits it to periods with ordinals in the range.
    public init(keys: [TallyKey], period: Period, convention: Convention, roster: Roster?, range: ClosedRange<Int64>? = nil) {
        self.keys = keys
        self.period = period
        self.timezone = convention.timezone
        self.convention = convention
        self.roster = roster
        self.range = range
        self.ruleIndex = Dictionary(convention.rules.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Verdicts without a valid `occurred_at` (invalid records) land in no period; they are counted here.
    public private(set) var unplaced = 0

    /// Adds one verdict.
    public mutating func add(_ v: Verdict) {
        guard let t = v.occurredAt, let periodKey = Periods.key(t, period: period, timezone: timezone) else {
            unplaced += 1
            return
        }
        if let range, !range.contains(periodKey.ordinal) { return }
        let household = v.household.flatMap { roster?.households[$0] }
        func value(_ key: TallyKey, rule: String?) -> String {
            switch key {
            case .grid: return v.grid ?? household?.grid ?? "-"
            case .building: return v.building ?? household?.building ?? "-"
            case .unit: return v.unit ?? household?.unit ?? "-"
            case .household: return v.household ?? "-"
            case .category: return v.category ?? "-"
            case .reporter: return v.reporter ?? "-"
            case .zone: return v.zone ?? "-"
            case .rule: return rule ?? "-"
            case .group: return rule.flatMap { ruleIndex[$0]?.group } ?? "-"
            case .severity: return rule.flatMap { ruleIndex[$0]?.severity.rawValue } ?? "-"
            }
        }
        let perRule = keys.contains { $0.isPerRule }
        // Which rules this verdict involves, and how.
        var involvements: [(rule: String?, violation: ViolationFinding?, duplicate: Bool, complied: Bool)] = []
        if perRule {
            for f in v.violations { involvements.append((f.rule, f, false, false)) }
            for d in v.duplicates { involvements.append((d.rule, nil, true, false)) }
            for r in v.complied { involvements.append((r, nil, false, true)) }
            if involvements.isEmpty { involvements.append((nil, nil, false, false)) }
        } else {
            involvements.append((nil, nil, false, false))
        }
        // With per-rule keys, several involvements may fall into one group; count the verdict once per group.
        var seen: Set<GroupKey> = []
        for inv in involvements {
            let group = GroupKey(values: keys.map { value($0, rule: inv.rule) }, period: periodKey.ordinal)
            var c = groups[group] ?? TallyCounts()
            let first = seen.insert(group).inserted
            let findings: [ViolationFinding] = perRule ? (inv.violation.map { [$0] } ?? []) : v.violations
            if first || perRule {
                if first {
                    switch v.status {
                    case .invalid: c.invalid += 1
                    case .noViolation: c.noViolation += 1
                    default: break
                    }
                    if v.kind == .report { c.reports += 1 }
                    if v.kind == .inspection {
                        c.inspections += 1
                        if v.status == .compliant { c.compliantInspections += 1 }
                    }
                    if v.status == .credited {
                        c.deeds += 1
                        c.credited += v.credits.reduce(0) { $0 + $1.points }
                    }
                }
                if perRule {
                    if inv.duplicate { c.duplicates += 1 }
                    if inv.complied { c.applicable += 1; c.complied += 1 }
                    if !findings.isEmpty { c.applicable += findings.count; c.violations += findings.count }
                } else {
                    if v.status == .duplicate { c.duplicates += 1 }
                    if v.status == .violation { c.violations += 1 }
                    c.applicable += v.violations.count + v.complied.count
                    c.complied += v.complied.count
                }
                for f in findings {
                    c.deducted += f.points
                    if f.referTo != nil { c.referrals += 1 }
                }
                if !findings.isEmpty, let h = v.household {
                    var perHousehold = violationsByHousehold[group] ?? [:]
                    let before = perHousehold[h, default: 0]
                    perHousehold[h] = before + 1
                    if before == 1 { c.repeatHouseholds += 1 }
                    violationsByHousehold[group] = perHousehold
                }
            }
            groups[group] = c
        }
    }

    /// The rows, sorted by period and keys, each with the previous period's counts.
    public func rows() -> [TallyRow] {
        groups.keys.sorted { a, b in
            if a.period != b.period { return a.period < b.period }
            return a.values.lexicographicallyPrecedes(b.values, by: naturalLess)
        }.map { key in
            let previous = groups[GroupKey(values: key.values, period: key.period - 1)]
            return TallyRow(keys: key.values, period: Periods.key(ordinal: key.period, period: period),
                            counts: groups[key]!, previous: previous)
        }
    }
}

/// Orders labels the way people read them: "2" before "10", "G2" before "G10", then by text.
public func naturalLess(_ a: String, _ b: String) -> Bool {
    func chunks(_ s: String) -> [(String, Int?)] {
        var out: [(String, Int?)] = []
        var current = ""
        var digits = false
        for ch in s {
            let isDigit = ch.isASCII && ch.isNumber
            if !current.isEmpty && isDigit != digits {
                out.append((current, digits ? Int(current) : nil))
                current = ""
            }
            digits = isDigit
            current.append(ch)
        }
        if !current.isEmpty { out.append((current, digits ? Int(current) : nil)) }
        return out
    }
    let x = chunks(a), y = chunks(b)
    for (p, q) in zip(x, y) {
        if let m = p.1, let n = q.1 {
            if m != n { return m < n }
        } else if p.0 != q.0 {
            return Array(p.0.utf8).lexicographicallyPrecedes(Array(q.0.utf8))
        }
    }
    if x.count != y.count { return x.count < y.count }
    return Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8))
}
