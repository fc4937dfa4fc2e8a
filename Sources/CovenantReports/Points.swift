import CovenantCEL
import CovenantModel

/// One line of a household's points ledger.
public struct PointsLine: Sendable, Hashable {
    public enum Kind: String, Sendable { case violation, credit }
    public var kind: Kind
    public var occurredAt: Timestamp
    public var incident: String
    /// The rule or credit.
    public var source: String
    /// Points as the verdict gave them.
    public var points: Int
    /// Points that count after caps (equal to `points` unless a cap cut them).
    public var counted: Int
}

/// A household's balances for one period, kept the two ways real schemes keep them: a reputation
/// score (文明分) that starts at the convention's initial balance and that violations lower, and a
/// redeemable balance (公益积分) that only deeds raise.
public struct PointsBalance: Sendable {
    public var household: String
    public var period: PeriodKey
    public var initial: Int
    /// Sum of violation points (≤ 0 for deductions).
    public var deducted: Int
    /// Sum of credited points after caps.
    public var credited: Int
    public var violations: Int
    public var deeds: Int
    /// initial + deducted (held at `Int.min`/`Int.max` rather than overflowing, for an initial
    /// balance beyond ±``PointsPolicy/maxMagnitude`` that a convention built in code can give).
    public var reputation: Int { initial.addingSaturated(deducted) }
    /// credited.
    public var redeemable: Int { credited }
    /// The lines behind the balance, oldest first (when kept).
    public var lines: [PointsLine]
}

/// Builds points balances per household and period from verdicts, applying credit caps in
/// (`occurred_at`, `id`) order.
public struct PointsLedger: Sendable {
    let convention: Convention
    let period: Period
    let keepLines: Set<String>?
    private var entries: [String: [Int64: [PointsLine]]] = [:]
    private let credits: [String: Credit]

    /// `period` defaults to the convention's points period; lines are kept for `keepLines`
    /// households only (all when nil).
    public init(convention: Convention, period: Period? = nil, keepLines: Set<String>? = nil) {
        self.convention = convention
        self.period = period ?? convention.points?.period ?? .year
        self.keepLines = keepLines
        self.credits = Dictionary(convention.credits.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Adds one verdict.
    public mutating func add(_ v: Verdict) {
        guard let h = v.household, let t = v.occurredAt,
              let key = Periods.key(t, period: period, timezone: convention.timezone) else { return }
        var lines: [PointsLine] = []
        for f in v.violations {
            lines.append(PointsLine(kind: .violation, occurredAt: t, incident: v.incident, source: f.rule, points: f.points, counted: f.points))
        }
        for c in v.credits {
            lines.append(PointsLine(kind: .credit, occurredAt: t, incident: v.incident, source: c.credit, points: c.points, counted: c.points))
        }
        guard !lines.isEmpty else { return }
        entries[h, default: [:]][key.ordinal, default: []].append(contentsOf: lines)
    }

    /// Balances for every household that has lines, in the periods it has them; with a roster, every
    /// household in it too, in every period the input reaches.
    /// Caps are applied over all of a household's lines in time order, in each cap's own period, so a
    /// yearly cap holds across quarterly balances.
    public func balances(roster: Roster? = nil, only periodKey: PeriodKey? = nil) -> [PointsBalance] {
        var households = Set(entries.keys)
        if let roster { households.formUnion(roster.households.keys) }
        // With a roster, every household is listed for every period the input reaches (one with no
        // lines there still has its starting balance); without one, each for its own periods.
        let reached = Set(entries.values.flatMap(\.keys))
        var out: [PointsBalance] = []
        for h in households.sorted() {
            let periods = entries[h] ?? [:]
            var all = periods.flatMap { ordinal, lines in lines.map { (ordinal, $0) } }.sorted { a, b in
                a.1.occurredAt != b.1.occurredAt ? a.1.occurredAt < b.1.occurredAt
                    : Array(a.1.incident.utf8).lexicographicallyPrecedes(Array(b.1.incident.utf8))
            }
            var lines = all.map(\.1)
            applyCaps(&lines)
            for i in all.indices { all[i].1 = lines[i] }
            var ordinals = roster == nil ? Set(periods.keys) : reached
            if let periodKey { ordinals = [periodKey.ordinal] }
            for ordinal in ordinals.sorted() {
                let periodLines = all.filter { $0.0 == ordinal }.map(\.1)
                let deducted = periodLines.filter { $0.kind == .violation }.reduce(0) { $0 + $1.counted }
                let credited = periodLines.filter { $0.kind == .credit }.reduce(0) { $0 + $1.counted }
                out.append(PointsBalance(
                    household: h, period: Periods.key(ordinal: ordinal, period: period),
                    initial: convention.points?.initial ?? 0, deducted: deducted, credited: credited,
                    violations: periodLines.filter { $0.kind == .violation }.count,
                    deeds: Set(periodLines.filter { $0.kind == .credit }.map(\.incident)).count,
                    lines: keepLines == nil || keepLines!.contains(h) ? periodLines : []))
            }
        }
        return out
    }

    /// Caps: at most `amount` points per deed (no `per`), or per credit and cap period.
    func applyCaps(_ lines: inout [PointsLine]) {
        var used: [String: Int] = [:]
        for i in lines.indices where lines[i].kind == .credit {
            guard let credit = credits[lines[i].source] else { continue }
            var allowed = lines[i].points
            for (capIndex, cap) in credit.caps.enumerated() {
                if let per = cap.per {
                    guard let k = Periods.key(lines[i].occurredAt, period: per, timezone: convention.timezone) else { continue }
                    let key = "\(credit.id)#\(capIndex)#\(k.ordinal)"
                    // Saturating: a cap built in code may be as low as Int.min (the loader bounds it).
                    allowed = max(0, min(allowed, cap.amount.addingSaturated(-used[key, default: 0])))
                } else {
                    allowed = min(allowed, cap.amount)
                }
            }
            for (capIndex, cap) in credit.caps.enumerated() {
                if let per = cap.per, let k = Periods.key(lines[i].occurredAt, period: per, timezone: convention.timezone) {
                    used["\(credit.id)#\(capIndex)#\(k.ordinal)", default: 0] += allowed
                }
            }
            lines[i].counted = allowed
        }
    }
}

extension Int {
    /// `self + other`, held at `Int.min`/`Int.max` instead of overflowing.
    func addingSaturated(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other < 0 ? .min : .max) : sum
    }
}
