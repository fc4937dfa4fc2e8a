import CovenantCEL
import CovenantSource

/// Points a deed earns.
public enum CreditPoints: Sendable {
    case fixed(Int)
    /// An int expression over the deed's facts.
    case expression(Condition)
}

/// A cap on credited points.
public struct CreditCap: Sendable, Hashable {
    /// Creates a value from all its parts.
    public init(amount: Int, per: Period?) {
        self.amount = amount
        self.per = per
    }

    /// At most this many points…
    public var amount: Int
    /// …per this period, per household (nil: per deed).
    public var per: Period?
}

/// A credit: deeds of a category earn points.
public struct Credit: Sendable {
    /// Creates a value from all its parts.
    public init(id: String, title: LocalizedText?, category: String, when: Condition?, points: CreditPoints, caps: [CreditCap], effective: Effective, span: SourceSpan) {
        self.id = id
        self.title = title
        self.category = category
        self.when = when
        self.points = points
        self.caps = caps
        self.effective = effective
        self.span = span
    }

    public var id: String
    public var title: LocalizedText?
    public var category: String
    /// Optional condition for the credit to apply.
    public var when: Condition?
    public var points: CreditPoints
    public var caps: [CreditCap]
    public var effective: Effective
    public var span: SourceSpan
}

/// Who a recognition is for.
public enum RecognitionSubject: String, Sendable, Hashable, CaseIterable {
    case household, building, grid
}

/// One key of a recognition's ranking.
public struct RankKey: Sendable, Hashable {
    /// Creates a value from all its parts.
    public init(field: String, descending: Bool) {
        self.field = field
        self.descending = descending
    }

    public var field: String
    public var descending: Bool
}

/// A recognition (文明家庭, 最美楼栋, …) computed per period by the tallies.
public struct Recognition: Sendable {
    /// Creates a value from all its parts.
    public init(id: String, title: LocalizedText?, of: RecognitionSubject, period: Period, when: Condition?, vetoRules: [String], vetoSeverities: [RuleSeverity], rank: [RankKey], limit: Int?, limitPerGrid: Int?, span: SourceSpan) {
        self.id = id
        self.title = title
        self.of = of
        self.period = period
        self.when = when
        self.vetoRules = vetoRules
        self.vetoSeverities = vetoSeverities
        self.rank = rank
        self.limit = limit
        self.limitPerGrid = limitPerGrid
        self.span = span
    }

    public var id: String
    public var title: LocalizedText?
    public var of: RecognitionSubject
    public var period: Period
    /// Condition over the period's aggregates.
    public var when: Condition?
    /// Any violation of these rules vetoes (一票否决).
    public var vetoRules: [String]
    /// Any violation of these severities vetoes.
    public var vetoSeverities: [RuleSeverity]
    public var rank: [RankKey]
    public var limit: Int?
    public var limitPerGrid: Int?
    public var span: SourceSpan
}

/// An exemption from rules: for a household, or whenever a condition holds, until an expiry.
public struct Exemption: Sendable {
    /// Creates a value from all its parts.
    public init(id: String, rules: [String], household: String?, when: Condition?, reason: LocalizedText, until: LocalDate?, from: LocalDate?, span: SourceSpan) {
        self.id = id
        self.rules = rules
        self.household = household
        self.when = when
        self.reason = reason
        self.until = until
        self.from = from
        self.span = span
    }

    public var id: String
    /// Rules it covers (empty: every rule).
    public var rules: [String]
    /// The household exempted, when it is by household.
    public var household: String?
    /// The condition, when it is by condition.
    public var when: Condition?
    public var reason: LocalizedText
    /// Exempt until this local date (exclusive); nil for no expiry.
    public var until: LocalDate?
    public var from: LocalDate?
    public var span: SourceSpan
}

/// Roster attributes the convention's conditions may read.
public struct RosterSchema: Sendable, Hashable {
    /// `household.*` attributes beyond id, grid, building, unit.
    public var household: [FactDeclaration]
    /// `building.*` attributes beyond id and grid.
    public var building: [FactDeclaration]

    public init(household: [FactDeclaration] = [], building: [FactDeclaration] = []) {
        self.household = household
        self.building = building
    }
}
