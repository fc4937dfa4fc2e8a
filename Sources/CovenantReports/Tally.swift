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

    /// Adds every count of `b` to `a`, without overflow checks: counts are of records and rules, and
    /// points are at most ±1,000,000 each (``PointsPolicy/maxMagnitude``: the loader checks what a
    /// convention gives, and the engine makes a record invalid rather than charge or credit points
    /// beyond it), so no sum of a tally nears 2^63.
    static func += (a: inout TallyCounts, b: TallyCounts) {
        a.reports &+= b.reports
        a.violations &+= b.violations
        a.duplicates &+= b.duplicates
        a.invalid &+= b.invalid
        a.noViolation &+= b.noViolation
        a.inspections &+= b.inspections
        a.compliantInspections &+= b.compliantInspections
        a.applicable &+= b.applicable
        a.complied &+= b.complied
        a.referrals &+= b.referrals
        a.deducted &+= b.deducted
        a.credited &+= b.credited
        a.deeds &+= b.deeds
        a.repeatHouseholds &+= b.repeatHouseholds
    }

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
    /// `timezone` resolved once.
    let zone: TimeZones.Resolved?
    let convention: Convention
    let roster: Roster?
    let range: ClosedRange<Int64>?
    private var groups = FlatTable<GroupKey, TallyCounts>()
    /// The distinct labels-and-periods of the rule-independent keys; the one at position `b` has
    /// the block of `groupOfRule` from `b × rules` (see `groupPosition`).
    private var baseBlocks = FlatTable<GroupKey, Void>()
    private var groupOfRule: [Int32] = []
    /// The local day (days since 1970-01-01 in the tally's zone) of the last verdict counted, and
    /// its period's ordinal.
    private var lastDay = Int64.min
    private var lastOrdinal: Int64 = 0
    /// The most group positions the per-base blocks hold (the tests make it small).
    package var maxCachedGroups = 1 << 20
    /// Counted violations per household within a group (by its position in `groups`) and period
    /// (for repeat households).
    private var violationsByHousehold = PairCounts()
    /// Every label (grid, rule, household…) as a small number, so that group keys are fixed-size
    /// values that hash without touching strings.
    private var labels = LabelTable()
    /// The groups (positions in `groups`) one verdict has landed in (kept between verdicts only
    /// for its capacity).
    private var landed: [Int] = []
    /// Per rule id: the labels of its id, group and severity.
    private let ruleLabels: FlatTable<StringKey, RuleLabels>
    /// The same, by the rule's index in the convention (as digests name rules).
    private let ruleLabelsByIndex: [RuleLabels]
    /// The label of "-" (a key without a value).
    private let dash: Int32
    /// Whether a verdict splits into one row per rule involved.
    private let perRule: Bool
    /// The positions of the per-rule keys (rule, group, severity) among `keys`.
    private let perRuleKeys: [(Int, TallyKey)]

    struct GroupKey: FlatKey, Sendable {
        var values: LabelTuple
        var period: Int64

        var mix: UInt64 { FlatMix.combine(values.mix, UInt64(bitPattern: period)) }
    }

    struct RuleLabels: Sendable {
        var rule: Int32, group: Int32, severity: Int32
    }

    /// Creates an empty tally; `range` limits it to periods with ordinals in the range.
    public init(keys: [TallyKey], period: Period, convention: Convention, roster: Roster?, range: ClosedRange<Int64>? = nil) {
        self.keys = keys
        self.period = period
        self.timezone = convention.timezone
        self.zone = TimeZones.resolve(convention.timezone)
        self.convention = convention
        self.roster = roster
        self.range = range
        var labels = LabelTable()
        self.dash = labels.id("-")
        var ruleLabels = FlatTable<StringKey, RuleLabels>()
        var byIndex: [RuleLabels] = []
        for rule in convention.rules {
            let p = ruleLabels.position(of: StringKey(rule.id)) {
                RuleLabels(rule: labels.id(rule.id), group: labels.id(rule.group ?? "-"), severity: labels.id(rule.severity.rawValue))
            }
            byIndex.append(ruleLabels[position: p])
        }
        self.ruleLabels = ruleLabels
        self.ruleLabelsByIndex = byIndex
        self.labels = labels
        self.perRule = keys.contains { $0.isPerRule }
        self.perRuleKeys = keys.enumerated().filter { $0.element.isPerRule }.map { ($0.offset, $0.element) }
    }

    /// Verdicts without a valid `occurred_at` (invalid records) land in no period; they are counted here.
    public private(set) var unplaced = 0

    /// Adds one verdict.
    public mutating func add(_ v: Verdict) { count(v) }

    /// Adds one verdict's digest (counted exactly as the verdict).
    public mutating func add(_ v: VerdictDigest) { count(v) }

    private mutating func count(_ v: some Tallied) {
        guard let t = v.occurredAt, let zone else {
            unplaced += 1
            return
        }
        // The period is a function of the local day, which consecutive records mostly share: the
        // day's number costs a zone lookup, the period a calendar conversion.
        let localDay = Periods.floorDiv(t.seconds + Int64(zone.offset(atUnixSeconds: t.seconds)), 86_400)
        if localDay != lastDay {
            lastDay = localDay
            lastOrdinal = Periods.ordinal(t, period: period, zone: zone)
        }
        let periodOrdinal = lastOrdinal
        if let range, !range.contains(periodOrdinal) { return }
        var householdLooked = false
        var householdRecord: Roster.Household?
        func household() -> Roster.Household? {
            if !householdLooked {
                householdLooked = true
                householdRecord = v.household.flatMap { roster?.households[$0] }
            }
            return householdRecord
        }
        // The labels that do not depend on the rule, once per verdict.
        var base = LabelTuple(count: keys.count)
        for (i, key) in keys.enumerated() {
            let text: String?
            switch key {
            case .grid: text = v.grid ?? household()?.grid
            case .building: text = v.building ?? household()?.building
            case .unit: text = v.unit ?? household()?.unit
            case .household: text = v.household
            case .category: text = v.category
            case .reporter: text = v.reporter
            case .zone: text = v.zone
            case .rule, .group, .severity: continue
            }
            base[i] = text.map { labels.id($0) } ?? dash
        }
        // Needed only to count repeat households, i.e. with violations.
        let householdLabel = v.violationCount == 0 ? nil : v.household.map { labels.id($0) }
        // What the verdict brings to every group it lands in, computed once.
        var once = TallyCounts()
        switch v.status {
        case .invalid: once.invalid = 1
        case .noViolation: once.noViolation = 1
        default: break
        }
        if v.kind == .report { once.reports = 1 }
        if v.kind == .inspection {
            once.inspections = 1
            if v.status == .compliant { once.compliantInspections = 1 }
        }
        if v.status == .credited {
            once.deeds = 1
            once.credited = v.creditedPoints
        }
        // With per-rule keys, several rules may fall into one group; the verdict counts once per group.
        // (A verdict involves a handful of rules: a list is cheaper than a set.)
        var seen: [Int] = []
        swap(&seen, &landed)
        seen.removeAll(keepingCapacity: true)
        defer { swap(&seen, &landed) }
        var landing = Landing(base: base, period: periodOrdinal, household: householdLabel, once: once)
        if householdLabel != nil {
            landing.near = UInt32(truncatingIfNeeded: FlatMix.combine(base.mix, UInt64(bitPattern: periodOrdinal)))
        }
        if perRule {
            var any = false
            v.forEachRule { rule, kind, points, referred in
                var share = TallyCounts()
                switch kind {
                case .violated:
                    share.applicable = 1
                    share.violations = 1
                    share.deducted = points
                    share.referrals = referred ? 1 : 0
                case .duplicate:
                    share.duplicates = 1
                case .complied:
                    share.applicable = 1
                    share.complied = 1
                }
                land(&landing, rule: rule, share, violations: kind == .violated ? 1 : 0, seen: &seen)
                any = true
            }
            if !any { land(&landing, rule: nil, TallyCounts(), violations: 0, seen: &seen) }
        } else {
            var share = TallyCounts()
            if v.status == .duplicate { share.duplicates = 1 }
            if v.status == .violation { share.violations = 1 }
            v.forEachRule { _, kind, points, referred in
                switch kind {
                case .violated:
                    share.applicable += 1
                    share.deducted += points
                    if referred { share.referrals += 1 }
                case .complied:
                    share.applicable += 1
                    share.complied += 1
                case .duplicate:
                    break
                }
            }
            land(&landing, rule: nil, share, violations: v.violationCount, seen: &seen)
        }
    }

    /// What every group one verdict lands in shares.
    private struct Landing {
        /// The labels that do not depend on the rule.
        var base: LabelTuple
        var period: Int64
        /// The household's label, when the verdict has violations.
        var household: Int32?
        /// What counts once per verdict and group.
        var once: TallyCounts
        /// Where the base's block of `groupOfRule` starts (`notLookedUp` yet; `uncached`: the blocks
        /// were full).
        var block = Tally.notLookedUp

        /// Where the verdict's (group, household) pairs go in `violationsByHousehold`: its
        /// rule-independent labels and period, the same for each group it lands in (made once per
        /// verdict with violations).
        var near: UInt32 = 0
    }

    static let notLookedUp = -1
    static let uncached = -2

    /// The group of a verdict's share for `rule` (nil: a verdict that involves no rule).
    private mutating func group(_ landing: Landing, rule: TalliedRule?) -> GroupKey {
        var values = landing.base
        if perRule {
            var r: RuleLabels?
            var unknown: Int32?
            switch rule {
            case .id(let id)?:
                r = ruleLabels[StringKey(id)]
                // A rule the convention does not know (cannot happen for the engine's verdicts) is its own label.
                if r == nil { unknown = labels.id(id) }
            case .index(let i)?:
                r = ruleLabelsByIndex.indices.contains(i) ? ruleLabelsByIndex[i] : nil
            case nil:
                break
            }
            for (i, key) in perRuleKeys {
                switch key {
                case .rule: values[i] = r?.rule ?? unknown ?? dash
                case .group: values[i] = r?.group ?? dash
                default: values[i] = r?.severity ?? dash
                }
            }
        }
        return GroupKey(values: values, period: landing.period)
    }

    /// Adds a verdict's share for `rule` to its group; `seen` holds the groups the verdict has
    /// landed in already.
    private mutating func land(_ landing: inout Landing, rule: TalliedRule?, _ share: TallyCounts, violations: Int, seen: inout [Int]) {
        let group = groupPosition(&landing, rule: rule)
        let first = !seen.contains(group)
        if first { seen.append(group) }
        guard first || perRule else { return }
        var repeatHousehold = false
        if violations > 0, let h = landing.household {
            repeatHousehold = violationsByHousehold.increment(Int32(group), h, near: landing.near) == 2
        }
        Self.add(share, once: first ? landing.once : nil, repeatHousehold: repeatHousehold, into: &groups[position: group])
    }

    /// The position of the group of a verdict's share for `rule`. A rule named by its index (a
    /// digest's) is looked up once per distinct labels-and-period and rule: each such base has a
    /// block of `groupOfRule`, a group position per rule of the convention (−1 until first needed),
    /// so a verdict that involves five rules hashes its base once, not five group keys.
    ///
    /// The blocks take at most `maxCachedGroups` entries (4 MB): a tally by household and day
    /// has a base per record, and its later bases are looked up the plain way.
    private mutating func groupPosition(_ landing: inout Landing, rule: TalliedRule?) -> Int {
        let rules = ruleLabelsByIndex.count
        if perRule, case .index(let i)? = rule, i >= 0, i < rules {
            if landing.block == Self.notLookedUp { landing.block = block(of: landing, rules: rules) }
            if landing.block != Self.uncached {
                let cached = groupOfRule[landing.block + i]
                if cached >= 0 { return Int(cached) }
                let p = groups.position(of: group(landing, rule: rule)) { TallyCounts() }
                groupOfRule[landing.block + i] = Int32(p)
                return p
            }
        }
        return groups.position(of: group(landing, rule: rule)) { TallyCounts() }
    }

    /// Where the block of a verdict's base starts, made when new and there is room; else `uncached`.
    private mutating func block(of landing: Landing, rules: Int) -> Int {
        let key = GroupKey(values: landing.base, period: landing.period)
        if let b = baseBlocks.position(of: key) { return b * rules }
        guard groupOfRule.count + rules <= maxCachedGroups else { return Self.uncached }
        groupOfRule.append(contentsOf: repeatElement(-1, count: rules))
        return baseBlocks.position(of: key) { () } * rules
    }

    /// Adds a share of one verdict to a group's counts: `once` (what counts once per verdict and
    /// group) only the first time the verdict lands in the group.
    @inline(__always)
    private static func add(_ share: TallyCounts, once: TallyCounts?, repeatHousehold: Bool, into c: inout TallyCounts) {
        c += share
        if let once { c += once }
        if repeatHousehold { c.repeatHouseholds += 1 }
    }

    /// The rows, sorted by period and keys, each with the previous period's counts.
    public func rows() -> [TallyRow] {
        // Each distinct label is split for natural order once, not at every comparison.
        var sortKeys: [String: NaturalSortKey] = [:]
        let decorated = groups.keys.indices.map { p -> (Int, [NaturalSortKey]) in
            let key = groups.keys[p]
            return (p, (0..<key.values.count).map { i in
                let label = labels.name(key.values[i])
                if let k = sortKeys[label] { return k }
                let k = NaturalSortKey(label)
                sortKeys[label] = k
                return k
            })
        }
        return decorated.sorted { a, b in
            let (p, q) = (groups.keys[a.0].period, groups.keys[b.0].period)
            if p != q { return p < q }
            return a.1.lexicographicallyPrecedes(b.1)
        }.map(\.0).map { position in
            let key = groups.keys[position]
            let previous = groups[GroupKey(values: key.values, period: key.period - 1)]
            return TallyRow(keys: (0..<key.values.count).map { labels.name(key.values[$0]) }, period: Periods.key(ordinal: key.period, period: period),
                            counts: groups[position: position], previous: previous)
        }
    }
}

/// Orders labels the way people read them: "2" before "10", "G2" before "G10", then by text.
public func naturalLess(_ a: String, _ b: String) -> Bool {
    NaturalSortKey(a) < NaturalSortKey(b)
}

/// A label split into runs of ASCII digits and other text, made once and compared many times
/// (sorting n labels compares O(n log n) times).
struct NaturalSortKey: Comparable {
    let chunks: [(text: [UInt8], number: Int?)]
    let bytes: [UInt8]

    init(_ s: String) {
        bytes = Array(s.utf8)
        var out: [(text: [UInt8], number: Int?)] = []
        var current: [UInt8] = []
        var digits = false
        for b in bytes {
            let isDigit = b >= 0x30 && b <= 0x39
            if !current.isEmpty && isDigit != digits {
                out.append((current, digits ? Self.number(current) : nil))
                current = []
            }
            digits = isDigit
            current.append(b)
        }
        if !current.isEmpty { out.append((current, digits ? Self.number(current) : nil)) }
        chunks = out
    }

    /// The value of a run of digits, or nil when it does not fit an Int (it then sorts as text).
    static func number(_ digits: [UInt8]) -> Int? {
        var n = 0
        for d in digits {
            let (m, o1) = n.multipliedReportingOverflow(by: 10)
            let (r, o2) = m.addingReportingOverflow(Int(d - 0x30))
            if o1 || o2 { return nil }
            n = r
        }
        return n
    }

    static func < (x: NaturalSortKey, y: NaturalSortKey) -> Bool {
        for (p, q) in zip(x.chunks, y.chunks) {
            if let m = p.number, let n = q.number {
                if m != n { return m < n }
            } else if p.text != q.text {
                return p.text.lexicographicallyPrecedes(q.text)
            }
        }
        if x.chunks.count != y.chunks.count { return x.chunks.count < y.chunks.count }
        return x.bytes.lexicographicallyPrecedes(y.bytes)
    }

    static func == (x: NaturalSortKey, y: NaturalSortKey) -> Bool { x.bytes == y.bytes }
}

/// Labels as small numbers: each distinct string is numbered the first time it is seen.
struct LabelTable: Sendable {
    private var ids = FlatTable<StringKey, Void>()

    /// The label's number (its position in the table).
    mutating func id(_ name: String) -> Int32 {
        Int32(ids.position(of: StringKey(name)) { () })
    }

    /// The text of a label.
    func name(_ id: Int32) -> String { ids.keys[Int(id)].text }
}

/// The label numbers of a group's keys: up to four inline (no allocation), more in an array.
struct LabelTuple: Equatable, Sendable {
    let count: Int
    private var a: Int32 = -1, b: Int32 = -1, c: Int32 = -1, d: Int32 = -1
    private var more: [Int32]?

    init(count: Int) {
        self.count = count
        if count > 4 { more = [Int32](repeating: -1, count: count - 4) }
    }

    /// The labels' bits mixed (see ``FlatMix``).
    var mix: UInt64 {
        let low = UInt64(UInt32(bitPattern: a)) | UInt64(UInt32(bitPattern: b)) << 32
        let high = UInt64(UInt32(bitPattern: c)) | UInt64(UInt32(bitPattern: d)) << 32
        var h = FlatMix.combine(FlatMix.mix(low), high)
        if let more { for x in more { h = FlatMix.combine(h, UInt64(UInt32(bitPattern: x))) } }
        return h
    }

    subscript(i: Int) -> Int32 {
        get {
            switch i {
            case 0: return a
            case 1: return b
            case 2: return c
            case 3: return d
            default: return more![i - 4]
            }
        }
        set {
            switch i {
            case 0: a = newValue
            case 1: b = newValue
            case 2: c = newValue
            case 3: d = newValue
            default: more![i - 4] = newValue
            }
        }
    }
}

/// A rule as a verdict names it (by id) or a digest (by index in the convention).
enum TalliedRule {
    case id(String)
    case index(Int)
}

/// What a tally reads of a verdict or of its digest.
protocol Tallied {
    var occurredAt: Timestamp? { get }
    var status: VerdictStatus { get }
    var kind: IncidentKind? { get }
    var household: String? { get }
    var grid: String? { get }
    var building: String? { get }
    var unit: String? { get }
    var zone: String? { get }
    var category: String? { get }
    var reporter: String? { get }
    /// The points of a deed's credits.
    var creditedPoints: Int { get }
    var violationCount: Int { get }
    /// Calls `body` with each rule involved — violations, then duplicates, then compliances — with
    /// a violation's points and whether it is referred.
    func forEachRule(_ body: (TalliedRule, RuleShare.Kind, Int, Bool) -> Void)
}

extension Verdict: Tallied {
    var creditedPoints: Int { credits.reduce(0) { $0 + $1.points } }
    var violationCount: Int { violations.count }

    func forEachRule(_ body: (TalliedRule, RuleShare.Kind, Int, Bool) -> Void) {
        // Fields read in place: a copy of each finding would retain all it holds.
        for i in violations.indices { body(.id(violations[i].rule), .violated, violations[i].points, violations[i].referTo != nil) }
        for i in duplicates.indices { body(.id(duplicates[i].rule), .duplicate, 0, false) }
        for r in complied { body(.id(r), .complied, 0, false) }
    }
}

extension VerdictDigest: Tallied {
    var creditedPoints: Int { credited }
    var violationCount: Int { rules.reduce(0) { $0 + ($1.kind == .violated ? 1 : 0) } }

    func forEachRule(_ body: (TalliedRule, RuleShare.Kind, Int, Bool) -> Void) {
        for r in rules { body(.index(r.rule), r.kind, r.points, r.referred) }
    }
}
