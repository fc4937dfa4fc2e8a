import CovenantCEL
import CovenantSource

/// How serious a breach is.
public enum RuleSeverity: String, Sendable, Hashable, CaseIterable, Comparable {
    case low, minor, medium, major, high, critical

    var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: RuleSeverity, b: RuleSeverity) -> Bool { a.rank < b.rank }
}

/// How much of a case may be published (the most a public output may show).
public enum PublishLevel: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Not published at all.
    case none
    /// Counted in aggregates only.
    case aggregate
    /// Published at building level, without the household.
    case building
    /// Published with the household masked (王**, 3-2-***).
    case masked
    /// Published with the name (only with consent).
    case named

    var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: PublishLevel, b: PublishLevel) -> Bool { a.rank < b.rank }
}

/// A compiled condition with the text it came from (kept for messages and explanations).
public struct Condition: Sendable {
    /// Creates a value from all its parts. The engine evaluates `program` against the variables of
    /// ``Scopes/conditionEnvironment(facts:roster:)`` for the rule's category, so compile it there
    /// (the loader does): a program compiled against other variables reads them from the wrong
    /// slots (a slot past the scope's is unbound, an evaluation error — never a trap).
    public init(text: String, source: CELSource, program: CELProgram) {
        self.text = text
        self.source = source
        self.program = program
    }

    /// The expression text.
    public var text: String
    /// Where it is in the rule file.
    public var source: CELSource
    /// The compiled program.
    public var program: CELProgram
}

/// A rule of a convention.
public struct Rule: Sendable {
    /// Creates a value from all its parts.
    public init(id: String, title: LocalizedText?, category: String, group: String?, severity: RuleSeverity, applies: Condition?, violation: Condition, points: Int?, evidence: EvidenceRequirement?, dedupe: DSLDuration?, escalation: Escalation?, effective: Effective, publish: PublishLevel?, span: SourceSpan) {
        self.id = id
        self.title = title
        self.category = category
        self.group = group
        self.severity = severity
        self.applies = applies
        self.violation = violation
        self.points = points
        self.evidence = evidence
        self.dedupe = dedupe
        self.escalation = escalation
        self.effective = effective
        self.publish = publish
        self.span = span
    }

    public var id: String
    public var title: LocalizedText?
    public var category: String
    /// Rules of one group count their repeats together.
    public var group: String?
    public var severity: RuleSeverity
    /// Optional narrowing: the rule applies only when this holds.
    public var applies: Condition?
    /// The rule is violated when this holds (it must be bool).
    public var violation: Condition
    /// Points when no escalation step gives any.
    public var points: Int?
    /// Evidence a report must carry.
    public var evidence: EvidenceRequirement?
    /// A report of the same household and rule inside this span after a counted violation is a duplicate.
    public var dedupe: DSLDuration?
    /// The ladder of repeat offences.
    public var escalation: Escalation?
    /// When the rule is in force.
    public var effective: Effective
    /// The most any output may publish about a violation of this rule.
    public var publish: PublishLevel?
    /// Where the rule is declared.
    public var span: SourceSpan
    /// For `kind: state` rules (a condition that persists: clutter, a parked bike, a cable): the cure
    /// deadline after a violation, and what happens when it is missed.
    public var cure: Cure? = nil

    /// The key repeats are counted under: the group when there is one, else the rule.
    public var repeatKey: String { group.map { "group:\($0)" } ?? "rule:\(id)" }
}

/// A state rule's cure: the time a household has to put things right, and what follows when it does not.
public struct Cure: Sendable, Hashable {
    /// The deadline, counted from the violation's `occurred_at`.
    public var within: DSLDuration
    /// What a `not_cured` check or a missed deadline does.
    public var onNotCured: NotCured

    public init(within: DSLDuration, onNotCured: NotCured) {
        self.within = within
        self.onNotCured = onNotCured
    }
}

/// What happens when a state violation is not cured in time.
public enum NotCured: String, Sendable, Hashable, CaseIterable {
    /// It counts as a new offence of the rule: the case moves up the ladder.
    case escalate
    /// A new notice with a new deadline, without a new offence.
    case repeatNotice = "repeat_notice"
}

/// A ladder: offence n within the rolling window takes step n; the last step repeats.
public struct Escalation: Sendable {
    /// Creates a value from all its parts.
    public init(window: DSLDuration, steps: [Step]) {
        self.window = window
        self.steps = steps
    }

    public var window: DSLDuration
    public var steps: [Step]

    /// The step for offence `n` (1-based; offences past the last step take the last); nil for a
    /// ladder without steps (the loader refuses one, L0011; a convention built in code may not).
    public func step(forOffence n: Int) -> Step? {
        steps.isEmpty ? nil : steps[min(max(n, 1), steps.count) - 1]
    }
}

/// One step of a ladder.
public struct Step: Sendable, Hashable {
    /// Creates a value from all its parts.
    public init(action: LocalizedText, points: Int?, publish: PublishLevel?, referTo: String?, disqualify: DSLDuration?) {
        self.action = action
        self.points = points
        self.publish = publish
        self.referTo = referTo
        self.disqualify = disqualify
    }

    /// What is done (劝导, 书面警告, …).
    public var action: LocalizedText
    /// Points for this step (negative deducts).
    public var points: Int?
    /// The most that may be published about it.
    public var publish: PublishLevel?
    /// The authority the case is referred to.
    public var referTo: String?
    /// Honours withheld for this long.
    public var disqualify: DSLDuration?
}

/// Evidence a report must carry: every requirement of one alternative.
public struct EvidenceRequirement: Sendable, Hashable {
    /// Creates a value from all its parts.
    public init(alternatives: [[EvidenceNeed]]) {
        self.alternatives = alternatives
    }

    /// Alternatives; each maps an evidence type to the number of items needed.
    public var alternatives: [[EvidenceNeed]]

    /// Whether the given evidence types satisfy one alternative.
    public func isSatisfied(by types: [String]) -> Bool {
        alternatives.contains { alternative in
            alternative.allSatisfy { need in types.filter { $0 == need.type }.count >= need.count }
        }
    }
}

/// So many items of one evidence type.
public struct EvidenceNeed: Sendable, Hashable {
    /// Creates a value from all its parts.
    public init(type: String, count: Int) {
        self.type = type
        self.count = count
    }

    public var type: String
    public var count: Int
}

/// A duration in the rule DSL: `w`, `d`, `h`, `m`, `s`, compoundable (`1h30m`); a day is 24 h.
public struct DSLDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Whole seconds.
    public var seconds: Int64
    /// The text as written.
    public var text: String

    public static func < (a: DSLDuration, b: DSLDuration) -> Bool { a.seconds < b.seconds }
    public var description: String { text }

    /// Parses `90d`, `2h`, `1h30m`, `2w`, `45s`; nil for anything else (no sign, no fractions, not zero).
    /// The longest duration a convention may give: a hundred years (windows, spans and cure
    /// times are measured in a record's lifetime; offsets past it would not fit the engine's).
    public static let maxSeconds: Int64 = 100 * 366 * 86_400

    public static func parse(_ text: String) -> DSLDuration? {
        var total: Int64 = 0
        var number: Int64 = 0
        var sawDigit = false
        var sawUnit = false
        var lastRank = Int.max
        for scalar in text.unicodeScalars {
            if let d = Int64(String(scalar)), scalar.isASCII {
                let (m, o1) = number.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(d)
                if o1 || o2 { return nil }
                number = a
                sawDigit = true
                continue
            }
            guard sawDigit else { return nil }
            let (unit, rank): (Int64, Int)
            switch scalar {
            case "w": (unit, rank) = (604_800, 5)
            case "d": (unit, rank) = (86_400, 4)
            case "h": (unit, rank) = (3_600, 3)
            case "m": (unit, rank) = (60, 2)
            case "s": (unit, rank) = (1, 1)
            default: return nil
            }
            guard rank < lastRank else { return nil }
            lastRank = rank
            let (p, o1) = number.multipliedReportingOverflow(by: unit)
            let (t, o2) = total.addingReportingOverflow(p)
            if o1 || o2 { return nil }
            total = t
            number = 0
            sawDigit = false
            sawUnit = true
        }
        guard sawUnit, !sawDigit, total > 0, total <= maxSeconds else { return nil }
        return DSLDuration(seconds: total, text: text)
    }
}
