import CovenantCEL
import CovenantSource

/// The judgement of one incident.
public enum VerdictStatus: String, Sendable, Hashable, CaseIterable {
    /// Malformed, unknown category, facts of the wrong type, missing evidence, times out of order,
    /// or a condition that failed to evaluate.
    case invalid
    /// Every rule it violates was already reported for the household inside the rule's dedupe span.
    case duplicate
    /// At least one counted violation.
    case violation
    /// An inspection whose applicable rules were all complied with.
    case compliant
    /// A report that breaches no rule in force.
    case noViolation = "no_violation"
    /// A deed that earned points.
    case credited
}

/// One violated rule in a verdict.
public struct ViolationFinding: Sendable, Hashable {
    /// Creates a value from all its parts.
    @inlinable
    public init(rule: String, severity: RuleSeverity, group: String?, offence: Int?, action: LocalizedText?, points: Int, publish: PublishLevel?, referTo: String?, disqualify: DSLDuration?, earlier: [String]) {
        self.rule = rule
        self.severity = severity
        self.group = group
        self.offence = offence
        self.action = action
        self.points = points
        self.publish = publish
        self.referTo = referTo
        self.disqualify = disqualify
        self.earlier = earlier
    }

    public let rule: String
    public let severity: RuleSeverity
    public let group: String?
    /// Offence number within the escalation window; nil for a rule without escalation.
    public let offence: Int?
    /// The step's action; nil for a rule without escalation.
    public let action: LocalizedText?
    /// Points: the step's, else the rule's, else 0.
    public let points: Int
    public let publish: PublishLevel?
    public let referTo: String?
    public var disqualify: DSLDuration?
    /// The earlier offences that set the offence number (ids, oldest first).
    public let earlier: [String]
}

/// A rule that was violated again inside its dedupe span.
public struct DuplicateFinding: Sendable, Hashable {
    /// Creates a value from all its parts.
    @inlinable
    public init(rule: String, of: String) {
        self.rule = rule
        self.of = of
    }

    public var rule: String
    /// The counted report this one duplicates.
    public var of: String
}

/// An exemption that applied.
public struct ExemptionFinding: Sendable, Hashable {
    /// Creates a value from all its parts.
    public init(rule: String, exemption: String, reason: LocalizedText) {
        self.rule = rule
        self.exemption = exemption
        self.reason = reason
    }

    public var rule: String
    public var exemption: String
    public var reason: LocalizedText
}

/// Points a deed earned from one credit.
public struct CreditFinding: Sendable, Hashable {
    /// Creates a value from all its parts.
    public init(credit: String, points: Int) {
        self.credit = credit
        self.points = points
    }

    public var credit: String
    public var points: Int
}

/// The verdict on one incident.
public struct Verdict: Sendable {
    /// Creates a value from all its parts.
    @inlinable
    public init(incident: String, status: VerdictStatus, category: String?, household: String?, occurredAt: Timestamp?, kind: IncidentKind?, grid: String?, building: String?, unit: String?, zone: String?, reporter: String?, violations: [ViolationFinding], duplicates: [DuplicateFinding], exemptions: [ExemptionFinding], credits: [CreditFinding], complied: [String], missingEvidence: [String], problems: [RecordProblem], origin: RecordOrigin) {
        self.incident = incident
        self.status = status
        self.category = category
        self.household = household
        self.occurredAt = occurredAt
        self.kind = kind
        self.grid = grid
        self.building = building
        self.unit = unit
        self.zone = zone
        self.reporter = reporter
        self.violations = violations
        self.duplicates = duplicates
        self.exemptions = exemptions
        self.credits = credits
        self.complied = complied
        self.missingEvidence = missingEvidence
        self.problems = problems
        self.origin = origin
    }

    /// The incident id (or a placeholder naming the line for a record without one).
    public let incident: String
    public let status: VerdictStatus
    public let category: String?
    public let household: String?
    public let occurredAt: Timestamp?
    public let kind: IncidentKind?
    public let grid: String?
    public let building: String?
    public let unit: String?
    public let zone: String?
    public let reporter: String?
    public var violations: [ViolationFinding]
    public let duplicates: [DuplicateFinding]
    public let exemptions: [ExemptionFinding]
    public let credits: [CreditFinding]
    /// Rules that applied and were complied with.
    public let complied: [String]
    /// Missing evidence (for violations whose evidence requirement is not met).
    public let missingEvidence: [String]
    public let problems: [RecordProblem]
    public let origin: RecordOrigin

    /// Total points of the verdict (violations and credits).
    public var points: Int { violations.reduce(0) { $0 + $1.points } + credits.reduce(0) { $0 + $1.points } }
}
