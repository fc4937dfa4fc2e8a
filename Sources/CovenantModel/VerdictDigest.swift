import CovenantCEL

/// A verdict reduced to what counting it needs: its status, where and when, and each rule it
/// involves by index — no findings, actions or texts. The engine makes these instead of verdicts
/// for a tally of a large input (building and dropping a full ``Verdict`` per incident cost more
/// than counting it); they count exactly as the verdicts would.
public struct VerdictDigest: Sendable {
    public let status: VerdictStatus
    public let kind: IncidentKind?
    public let occurredAt: Timestamp?
    public let category: String?
    public let household: String?
    public let grid: String?
    public let building: String?
    public let unit: String?
    public let zone: String?
    public let reporter: String?
    /// The points of a deed's credits.
    public let credited: Int
    /// The rules involved, in the order of a verdict's lists: violations, then duplicates, then
    /// the rules complied with.
    public let rules: [RuleShare]
    /// Where the record came from.
    public let origin: RecordOrigin

    /// Creates a value from all its parts.
    @inlinable
    public init(status: VerdictStatus, kind: IncidentKind?, occurredAt: Timestamp?, category: String?, household: String?,
                grid: String?, building: String?, unit: String?, zone: String?, reporter: String?, credited: Int,
                rules: [RuleShare], origin: RecordOrigin) {
        self.status = status
        self.kind = kind
        self.occurredAt = occurredAt
        self.category = category
        self.household = household
        self.grid = grid
        self.building = building
        self.unit = unit
        self.zone = zone
        self.reporter = reporter
        self.credited = credited
        self.rules = rules
        self.origin = origin
    }
}

/// One rule a verdict involves, as a digest holds it.
public struct RuleShare: Sendable, Hashable {
    /// How the verdict involves the rule.
    public enum Kind: UInt8, Sendable, Hashable {
        /// A counted violation.
        case violated
        /// A repeat report of a violation counted already.
        case duplicate
        /// The rule applied and was complied with.
        case complied
    }

    /// The rule's index in the convention's `rules`.
    public var rule: Int
    public var kind: Kind
    /// A violation's points (≤ 0), 0 otherwise.
    public var points: Int
    /// Whether a violation is referred to an authority.
    public var referred: Bool

    /// Creates a value from all its parts.
    @inlinable
    public init(rule: Int, kind: Kind, points: Int = 0, referred: Bool = false) {
        self.rule = rule
        self.kind = kind
        self.points = points
        self.referred = referred
    }
}
