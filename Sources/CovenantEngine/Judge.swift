import CovenantCEL
import CovenantModel
import CovenantSource

/// What can be decided about one incident on its own, before its history is known.
struct Judgement: Sendable {
    var incident: Incident?
    /// Whether the incident's category is one of deeds (known to the judge; saves a lookup).
    var deedCategory = false
    /// Indices into `convention.rules` of the rules violated (exemptions already applied).
    var violated = RuleIndices()
    /// Indices into `convention.rules` of the rules that applied and were complied with.
    var complied = RuleIndices()
    var exemptions: [ExemptionFinding] = []
    var credits: [CreditFinding] = []
    var missingEvidence: [String] = []
    var problems: [RecordProblem] = []

    var isInvalid: Bool { !problems.isEmpty }

    /// Drops what only the conditions read — the incident's facts and evidence — so that it is
    /// freed on the thread that made it, and never touched by the later stages (numbering and
    /// verdicts read the envelope alone) on another core.
    mutating func forgetFacts() {
        guard incident != nil else { return }
        incident!.facts = MapValue()
        incident!.evidence = []
    }
}

/// What the judge needs of one rule, shared by reference: a `Rule` is a large value, and copying one
/// per record (a retain per field) cost more than judging it.
final class RulePlan: Sendable {
    let index: Int
    let id: String
    let effective: Effective
    let applies: Condition?
    let violation: Condition
    /// The conditions' compiled code alone (evaluated per record: one reference, not a copy of
    /// the condition with its source and checked tree).
    /// Held unretained (they live in `applies` and `violation`): see `CategoryPlan.ruleRefs`.
    let appliesCode: Unmanaged<CELEvaluator>?
    let violationCode: Unmanaged<CELEvaluator>
    let evidence: EvidenceRequirement?
    /// What a verdict reports of the rule.
    let severity: RuleSeverity
    let group: String?
    let points: Int?
    let publish: PublishLevel?
    let escalation: Escalation?

    /// What a digest takes of the step of the ladder an offence reaches (the last for offences past
    /// it): the points the violation costs — the step's, else the rule's, else none — and whether
    /// the step refers the case to an authority; read from per-step tables (taking the step itself
    /// copied it).
    func digestCharge(forOffence offence: Int) -> (points: Int, referred: Bool) {
        guard !stepCharges.isEmpty else { return (points ?? 0, false) }
        return stepCharges[min(max(offence, 1), stepCharges.count) - 1]
    }

    /// Per step of the ladder (empty without one): its points (else the rule's, else none) and
    /// whether it refers the case.
    let stepCharges: [(points: Int, referred: Bool)]
    /// Why a violation of the rule cannot be charged, when the rule or a step of its ladder gives
    /// points beyond ±``PointsPolicy/maxMagnitude``: the loader refuses such a convention (L0030),
    /// but one built through the public initializers is not loaded. Its violations are then
    /// invalid records with this reason, so that every verdict's points stay in bounds (tallies
    /// add them without overflow checks).
    let pointsProblem: RecordProblem?

    init(index: Int, rule: Rule) {
        self.index = index
        id = rule.id
        effective = rule.effective
        applies = rule.applies
        violation = rule.violation
        appliesCode = rule.applies.map { Unmanaged.passUnretained($0.program.evaluator) }
        violationCode = Unmanaged.passUnretained(rule.violation.program.evaluator)
        evidence = rule.evidence
        severity = rule.severity
        group = rule.group
        points = rule.points
        publish = rule.publish
        escalation = rule.escalation
        stepCharges = rule.escalation?.steps.map { ($0.points ?? rule.points ?? 0, $0.referTo != nil) } ?? []
        let given = [rule.points].compactMap { $0 } + (rule.escalation?.steps.compactMap(\.points) ?? [])
        pointsProblem = given.first { !PointsPolicy.allows($0) }.map { RecordProblem.pointsOutOfRange($0, of: rule.id) }
    }
}

extension RecordProblem {
    /// Points `owner` gives or computes beyond ±``PointsPolicy/maxMagnitude``.
    static func pointsOutOfRange(_ points: Int, of owner: String) -> RecordProblem {
        let bound = PointsPolicy.maxMagnitudeText
        return RecordProblem(.init(
            en: "`points` of `\(owner)` is \(points), out of range: points lie between −\(bound) and \(bound)",
            zh: "`\(owner)` 的 `points` 为 \(points)，超出范围：积分须在 −\(bound) 到 \(bound) 之间"))
    }
}

/// What the judge needs for one category, resolved once: its rules and credits, the environment
/// its conditions were checked in, and which of the condition variables they read at all. Shared
/// by reference (looked up per record).
final class CategoryPlan: Sendable {
    let category: Category
    let environment: CELEnvironment
    let rulePlans: [RulePlan]
    /// `rulePlans` for the per-record loop, which reads them without retaining them: every worker
    /// thread retaining the same plans made the cores contend for their reference counts. They
    /// live as long as this plan, which holds them in `rulePlans`.
    let ruleRefs: [Unmanaged<RulePlan>]
    let credits: [Int]
    let readsIncident: Bool
    let readsLocal: Bool
    /// The fields of `local` its conditions read, in the map's order (nil: all of them).
    let localFields: [LocalField]?
    let readsRoster: Bool
    /// The rules' conditions compiled against the facts' slots, when every one of them compiles.
    let typed: TypedRules?

    init(category: Category, environment: CELEnvironment, rulePlans: [RulePlan], credits: [Int],
         readsIncident: Bool, readsLocal: Bool, localFields: [LocalField]?, readsRoster: Bool) {
        self.category = category
        self.environment = environment
        self.rulePlans = rulePlans
        self.ruleRefs = rulePlans.map { Unmanaged.passUnretained($0) }
        self.credits = credits
        self.readsIncident = readsIncident
        self.readsLocal = readsLocal
        self.localFields = localFields
        self.readsRoster = readsRoster
        self.typed = category.kind == .deed ? nil : TypedRules(category: category, rules: rulePlans)
    }
}

/// A category's rule conditions as typed code (see ``TypedCompiler``), in the order of its plans.
struct TypedRules: Sendable {
    let applies: [TypedBool?]
    let violation: [TypedBool]
    /// The facts (by declaration index) the code reads.
    let slotsRead: Set<Int>

    /// Nil when a condition does not compile to typed code.
    init?(category: Category, rules: [RulePlan]) {
        var facts: [String: (slot: Int, type: FactType)] = [:]
        for (i, f) in category.facts.enumerated() { facts[f.name] = (i, f.type) }
        var applies: [TypedBool?] = []
        var violation: [TypedBool] = []
        var read: Set<Int> = []
        func compile(_ condition: Condition) -> TypedBool? {
            var compiler = TypedCompiler(checked: condition.program.checked, facts: facts)
            guard let code = compiler.bool(condition.program.checked.root) else { return nil }
            read.formUnion(compiler.slotsRead)
            return code
        }
        for rule in rules {
            if let a = rule.applies {
                guard let code = compile(a) else { return nil }
                applies.append(code)
            } else {
                applies.append(nil)
            }
            guard let code = compile(rule.violation) else { return nil }
            violation.append(code)
        }
        self.applies = applies
        self.violation = violation
        slotsRead = read
    }
}

/// The fields of the `local` condition variable, in the order its map holds them.
enum LocalField: String, CaseIterable, Sendable {
    case year, month, day, hour, minute, second, weekday, date, time
}

/// Judges incidents one at a time: validity, rules in force, applies/violation, exemptions,
/// evidence and credits. Stateless and `Sendable`: many tasks may share one judge.
struct Judge: Sendable {
    let convention: Convention
    let parser: IncidentParser
    /// Records kept as JSON text are decoded straight from their bytes when they are well formed.
    let fastPath: IncidentFastPath
    private(set) var roster: Roster?
    /// Per category, built once.
    let plans: [String: CategoryPlan]
    /// `plans` for the per-record lookup, without reference counting (they live as long as `plans`).
    let planRefs: [String: Unmanaged<CategoryPlan>]
    /// Every rule's plan, by its index in the convention.
    let rulePlans: [RulePlan]
    /// `rulePlans` read without reference counting (see `CategoryPlan.ruleRefs`).
    let ruleRefs: [Unmanaged<RulePlan>]
    /// Whether records of categories with typed conditions are judged by them when their facts
    /// are not needed afterwards (verdicts never depend on it; the tests compare both ways).
    var typedConditions = true

    /// The same judge reading another roster.
    func with(roster: Roster?) -> Judge {
        var copy = self
        copy.roster = roster
        return copy
    }

    init(convention: Convention, roster: Roster?) {
        self.convention = convention
        self.parser = IncidentParser(convention: convention)
        self.roster = roster
        let rulesByCategory = convention.rulesByCategory
        var credits: [String: [Int]] = [:]
        for (i, c) in convention.credits.enumerated() { credits[c.category, default: []].append(i) }
        // Exemptions may name any rule: their conditions count for every category.
        let exemptionConditions = convention.exemptions.compactMap(\.when)
        let rulePlans = convention.rules.enumerated().map { RulePlan(index: $0.offset, rule: $0.element) }
        self.rulePlans = rulePlans
        self.ruleRefs = rulePlans.map { Unmanaged.passUnretained($0) }
        var plans: [String: CategoryPlan] = [:]
        for (id, category) in convention.categories {
            // Every condition judging this category: what they read decides what is built per record.
            var conditions = exemptionConditions
            for i in rulesByCategory[id] ?? [] {
                conditions.append(convention.rules[i].violation)
                if let a = convention.rules[i].applies { conditions.append(a) }
            }
            for i in credits[id] ?? [] {
                let credit = convention.credits[i]
                if let w = credit.when { conditions.append(w) }
                if case .expression(let c) = credit.points { conditions.append(c) }
            }
            let slots = conditions.reduce(into: Set<Int>()) { $0.formUnion($1.program.checked.variableSlots) }
            // The fields of `local` the conditions read (nil: `local` is used whole).
            var localFields: Set<String>? = []
            for c in conditions {
                guard let read = c.program.checked.fieldsRead(ofVariable: Scopes.Slot.local.rawValue) else {
                    localFields = nil
                    break
                }
                localFields?.formUnion(read)
            }
            plans[id] = CategoryPlan(
                category: category,
                environment: Scopes.conditionEnvironment(facts: category.factsType, roster: convention.roster),
                rulePlans: (rulesByCategory[id] ?? []).map { rulePlans[$0] },
                credits: credits[id] ?? [],
                readsIncident: slots.contains(Scopes.Slot.incident.rawValue),
                readsLocal: slots.contains(Scopes.Slot.local.rawValue),
                localFields: localFields.map { names in LocalField.allCases.filter { names.contains($0.rawValue) } },
                readsRoster: slots.contains(Scopes.Slot.household.rawValue) || slots.contains(Scopes.Slot.building.rawValue))
        }
        self.plans = plans
        self.planRefs = plans.mapValues { Unmanaged.passUnretained($0) }
        self.fastPath = IncidentFastPath(parser: parser, plans: plans)
    }

    /// Judges one record. `violationsOnly` (the engine's passes that only collect violations)
    /// skips what cannot change them: a deed's credits and the list of rules complied with; and an
    /// incident that `include` turns down is decoded but not judged (no violations).
    ///
    /// `factsNeeded` false (the engine's passes, which forget the facts once judged) lets a record
    /// of a category with typed conditions be judged by them, straight from its bytes: its
    /// judgement's incident then has no facts.
    func judge(_ record: IncidentRecord, violationsOnly: Bool = false, include: ((Incident) -> Bool)? = nil,
               factsNeeded: Bool = true) -> Judgement {
        var j = Judgement()
        judge(record, violationsOnly: violationsOnly, include: include, factsNeeded: factsNeeded, into: &j)
        return j
    }

    /// The same, written into `j` (an empty judgement): the typed path fills it in place, where a
    /// judgement returned through the closures that read the record's bytes was copied at each level.
    func judge(_ record: IncidentRecord, violationsOnly: Bool = false, include: ((Incident) -> Bool)? = nil,
               factsNeeded: Bool = true, into j: inout Judgement) {
        if !factsNeeded, typedConditions, let json = record.json,
           judgeTyped(json, record: record, violationsOnly: violationsOnly, include: include, into: &j) {
            return
        }
        j = judgeGenerally(record, violationsOnly: violationsOnly, include: include)
    }

    /// Judges one record the general way: its facts decoded into the map, conditions evaluated by
    /// the CEL evaluator.
    private func judgeGenerally(_ record: IncidentRecord, violationsOnly: Bool, include: ((Incident) -> Bool)?) -> Judgement {
        func judge(_ incident: Incident, violationsOnly: Bool) -> Judgement {
            if let include, !include(incident) { return Judgement(incident: incident) }
            return self.judge(incident, violationsOnly: violationsOnly)
        }
        if let json = record.json, let incident = fastPath.decode(json, origin: record.origin) {
            return judge(incident, violationsOnly: violationsOnly)
        }
        let map: MapValue
        switch record.content {
        case .failure(let problem): return Judgement(problems: [problem])
        case .success(let m): map = m
        }
        switch parser.parse(map, origin: record.origin) {
        case .invalid(let problems): return Judgement(problems: problems)
        case .valid(let incident): return judge(incident, violationsOnly: violationsOnly)
        }
    }

    func localDate(_ incident: Incident) -> LocalDate {
        LocalDate(year: incident.local.year, month: incident.local.month, day: incident.local.day)
    }

    /// The values of the condition variables — only those the category's conditions read, and of
    /// `local` only the fields they read unless `complete` (explanations show whole values).
    func activation(for incident: Incident, plan: CategoryPlan, complete: Bool = false) -> Activation {
        var a = plan.environment.activation([:])
        a[Scopes.Slot.facts.rawValue] = .map(incident.facts)
        if plan.readsIncident { a[Scopes.Slot.incident.rawValue] = .map(incident.value) }
        if plan.readsLocal { a[Scopes.Slot.local.rawValue] = .map(Self.localValue(incident.local, only: complete ? nil : plan.localFields)) }
        if plan.readsRoster, let roster {
            if let h = incident.household, let v = roster.householdValue(h) { a[Scopes.Slot.household.rawValue] = v }
            let buildingID = incident.building ?? incident.household.flatMap { roster.households[$0]?.building }
            if let b = buildingID, let v = roster.buildingValue(b) { a[Scopes.Slot.building.rawValue] = v }
        }
        return a
    }

    /// `local` as a map: every field, or those in `only` (in ``LocalField``'s order).
    static func localValue(_ l: LocalDateTime, only: [LocalField]? = nil) -> MapValue {
        let fields = only ?? LocalField.allCases
        var m = MapValue(minimumCapacity: fields.count)
        for field in fields {
            let value: Value
            switch field {
            case .year: value = .int(Int64(l.year))
            case .month: value = .int(Int64(l.month))
            case .day: value = .int(Int64(l.day))
            case .hour: value = .int(Int64(l.hour))
            case .minute: value = .int(Int64(l.minute))
            case .second: value = .int(Int64(l.second))
            case .weekday: value = .int(Int64(l.isoWeekday))
            case .date: value = .string(localDateText(l))
            case .time: value = .string(localTimeText(l))
            }
            m.appendNew(field.rawValue, value)
        }
        return m
    }

    /// `date` and `time` are written byte by byte into small strings (no allocation).
    private static func localDateText(_ l: LocalDateTime) -> String {
        (0...9999).contains(l.year)
            ? String(unsafeUninitializedCapacity: 10) { b in
                ZeroPadded.write(l.year, width: 4, into: b, at: 0); b[4] = 0x2D
                ZeroPadded.write(l.month, width: 2, into: b, at: 5); b[7] = 0x2D
                ZeroPadded.write(l.day, width: 2, into: b, at: 8)
                return 10
            }
            : "\(l.year)-\(l.month < 10 ? "0" : "")\(l.month)-\(l.day < 10 ? "0" : "")\(l.day)"
    }

    private static func localTimeText(_ l: LocalDateTime) -> String {
        String(unsafeUninitializedCapacity: 5) { b in
            ZeroPadded.write(l.hour, width: 2, into: b, at: 0); b[2] = 0x3A
            ZeroPadded.write(l.minute, width: 2, into: b, at: 3)
            return 5
        }
    }

    func evaluate(_ condition: Condition, _ activation: Activation, what: String, owner: String,
                  incident: @autoclosure () -> Incident? = nil) -> Result<Bool, RecordProblem> {
        evaluate(Unmanaged.passUnretained(condition.program.evaluator), condition, activation, what: what, owner: owner, incident: incident())
    }

    /// `code` is `condition`'s compiled code; the condition itself is read only for an error.
    func evaluate(_ code: Unmanaged<CELEvaluator>, _ condition: @autoclosure () -> Condition, _ activation: Activation,
                  what: String, owner: String, incident: @autoclosure () -> Incident? = nil) -> Result<Bool, RecordProblem> {
        // `incident` is read only to word a roster problem: an autoclosure, since making an
        // optional of it per evaluation copied the whole incident (a retain per field).
        do throws(EvalError) {
            let v = try code._withUnsafeGuaranteedRef { evaluator in
                Result { () throws(EvalError) in try evaluator.evaluate(activation) }
            }.get()
            if case .bool(let b) = v { return .success(b) }
            return .failure(RecordProblem(.init(en: "`\(what)` of `\(owner)` gave \(v.typeName), not a bool",
                                                zh: "`\(owner)` 的 `\(what)` 结果为 \(v.typeName)，不是布尔值"), field: nil))
        } catch {
            if error.kind == .unboundVariable, let problem = rosterProblem(error, incident()) { return .failure(problem) }
            return .failure(RecordProblem(.init(en: "cannot evaluate `\(what)` of `\(owner)`: \(error.message.en)",
                                                zh: "无法求值 `\(owner)` 的 `\(what)`：\(error.message.zh)"),
                                          field: Self.field(of: error, in: condition())))
        }
    }

    /// A condition read `household.*` or `building.*` that has no value: say which record is missing.
    func rosterProblem(_ error: EvalError, _ incident: Incident?) -> RecordProblem? {
        let readsHousehold = error.message.en.contains("`household`")
        let readsBuilding = error.message.en.contains("`building`")
        guard readsHousehold || readsBuilding else { return nil }
        guard roster != nil else {
            return RecordProblem(.init(en: "the rules read the roster (`\(readsHousehold ? "household" : "building")`), and none was given",
                                       zh: "规则需要名册（`\(readsHousehold ? "household" : "building")`），但没有提供名册"),
                                 field: readsHousehold ? "household" : "where.building")
        }
        if readsHousehold {
            guard let h = incident?.household else {
                return RecordProblem(.init(en: "the rules read `household.*` but the record names no household",
                                           zh: "规则需要 `household.*`，但记录没有住户"), field: "household")
            }
            return RecordProblem(.init(en: "household `\(h)` is not on the roster", zh: "住户 `\(h)` 不在名册中"), field: "household")
        }
        let b = incident?.building ?? incident?.household.flatMap { roster?.households[$0]?.building }
        guard let b else {
            return RecordProblem(.init(en: "the rules read `building.*` but the record names no building (and its household is not on the roster)",
                                       zh: "规则需要 `building.*`，但记录没有楼栋（其住户也不在名册中）"), field: "where.building")
        }
        return RecordProblem(.init(en: "building `\(b)` is not on the roster", zh: "楼栋 `\(b)` 不在名册中"), field: "where.building")
    }

    /// The field an evaluation error concerns, e.g. `facts.blocking_exit` for a missing optional fact.
    static func field(of error: EvalError, in condition: Condition) -> String? {
        guard error.kind == .noSuchKey else { return nil }
        let bytes = Array(condition.text.utf8)
        guard error.start >= 0, error.end <= bytes.count, error.start < error.end else { return nil }
        return String(decoding: bytes[error.start..<error.end], as: UTF8.self)
    }

    func judge(_ incident: Incident, violationsOnly: Bool = false) -> Judgement {
        // Read without retaining it (see `CategoryPlan.ruleRefs`).
        guard let ref = planRefs[incident.category] else { return Judgement(incident: incident) }
        return ref._withUnsafeGuaranteedRef { judge(incident, plan: $0, violationsOnly: violationsOnly) }
    }

    private func judge(_ incident: Incident, plan: CategoryPlan, violationsOnly: Bool) -> Judgement {
        var j = Judgement(incident: incident)
        let date = localDate(incident)
        j.deedCategory = plan.category.kind == .deed
        // The convention's own effective dates are a floor (and ceiling) for every rule and credit.
        guard convention.effective.contains(date) else { return j }
        // A deed breaks no rule: the first pass has nothing to learn from it.
        if violationsOnly, plan.category.kind == .deed { return j }
        let activation = activation(for: incident, plan: plan)
        if plan.category.kind == .deed {
            for index in plan.credits {
                let credit = convention.credits[index]
                guard credit.effective.contains(date) else { continue }
                if let when = credit.when {
                    switch evaluate(when, activation, what: "when", owner: credit.id, incident: incident) {
                    case .failure(let p): j.problems.append(p); continue
                    case .success(false): continue
                    case .success(true): break
                    }
                }
                // A cap without a period limits each deed; caps per period are the ledger's (they need history).
                let perDeed = credit.caps.filter { $0.per == nil }.map(\.amount).min()
                func capped(_ n: Int) -> Int { perDeed.map { min(n, $0) } ?? n }
                switch credit.points {
                case .fixed(let n):
                    // The loader bounds fixed points (L0030); a convention built in code is not loaded.
                    let points = capped(n)
                    guard PointsPolicy.allows(points) else {
                        j.problems.append(.pointsOutOfRange(points, of: credit.id))
                        continue
                    }
                    j.credits.append(CreditFinding(credit: credit.id, points: points))
                case .expression(let c):
                    do {
                        let v = try c.program.evaluate(activation)
                        guard case .int(let n) = v, let points = Int(exactly: n) else {
                            j.problems.append(RecordProblem(.init(en: "`points` of `\(credit.id)` is not an int",
                                                                  zh: "`\(credit.id)` 的 `points` 不是整数")))
                            continue
                        }
                        guard PointsPolicy.allows(points), PointsPolicy.allows(capped(points)) else {
                            j.problems.append(.pointsOutOfRange(PointsPolicy.allows(points) ? capped(points) : points, of: credit.id))
                            continue
                        }
                        j.credits.append(CreditFinding(credit: credit.id, points: capped(points)))
                    } catch {
                        j.problems.append(RecordProblem(.init(en: "cannot evaluate `points` of `\(credit.id)`: \(error.message.en)",
                                                              zh: "无法求值 `\(credit.id)` 的 `points`：\(error.message.zh)")))
                    }
                }
            }
            return j
        }
        // The plans are read without counting references to them (see `CategoryPlan.ruleRefs`).
        for ref in plan.ruleRefs {
            ref._withUnsafeGuaranteedRef { rule in
                judge(rule, incident, date: date, activation: activation, violationsOnly: violationsOnly, into: &j)
            }
        }
        return j
    }

    /// Judges one rule of the incident's category, adding what it finds to `j`.
    private func judge(_ rule: RulePlan, _ incident: Incident, date: LocalDate, activation: Activation,
                       violationsOnly: Bool, into j: inout Judgement) {
        guard rule.effective.contains(date) else { return }
        if let applies = rule.appliesCode {
            switch evaluate(applies, rule.applies!, activation, what: "applies", owner: rule.id, incident: incident) {
            case .failure(let p): j.problems.append(p); return
            case .success(false): return
            case .success(true): break
            }
        }
        switch evaluate(rule.violationCode, rule.violation, activation, what: "violation", owner: rule.id, incident: incident) {
        case .failure(let p):
            j.problems.append(p)
        case .success(false):
            if !violationsOnly { j.complied.append(rule.index) }
        case .success(true):
            if !convention.exemptions.isEmpty,
               let exemption = exemption(forRule: rule.id, incident: incident, date: date, activation: activation) {
                j.exemptions.append(ExemptionFinding(rule: rule.id, exemption: exemption.id, reason: exemption.reason))
                return
            }
            addViolation(of: rule, evidence: incident.evidence, to: &j)
        }
    }

    /// A violation of `rule` found (and not exempted): counted, or — when the rule needs evidence
    /// the record lacks — a problem.
    private func addViolation(of rule: RulePlan, evidence: [MapValue], to j: inout Judgement) {
        if let requirement = rule.evidence, !requirement.isSatisfied(by: Incident.evidenceTypes(evidence)) {
            let needed = requirement.alternatives.map { alt in
                alt.map { $0.count > 1 ? "\($0.count)×\($0.type)" : $0.type }.joined(separator: " + ")
            }.joined(separator: " | ")
            j.missingEvidence.append(needed)
            j.problems.append(RecordProblem(.init(
                en: "`\(rule.id)` needs evidence: \(needed)", zh: "`\(rule.id)` 需要证据：\(needed)"), field: "evidence"))
            return
        }
        if let problem = rule.pointsProblem {
            j.problems.append(problem)
            return
        }
        j.violated.append(rule.index)
    }

    /// Judges a JSON record by its category's typed conditions, its facts read into slots in place
    /// (no map, no values), into `j`; false when the record must take the general path: it does not
    /// decode this way, or a condition has no plain answer for it (an error to word, or one `&&`/`||`
    /// might absorb), or a violation might be exempted. A record of a category without typed
    /// conditions is judged here the usual way (its facts were decoded into the map).
    private func judgeTyped(_ json: ArraySlice<UInt8>, record: IncidentRecord, violationsOnly: Bool,
                            include: ((Incident) -> Bool)?, into j: inout Judgement) -> Bool {
        json.withUnsafeBufferPointer { buffer in
            withUnsafeTemporaryAllocation(of: FactSlot.self, capacity: max(1, fastPath.maxFacts)) { slots -> Bool in
                var s = JSONScanner(bytes: buffer)
                var plan: CategoryPlan?
                guard let incident = fastPath.decode(&s, origin: record.origin, slots: slots, slotted: &plan) else { return false }
                if let include, !include(incident) {
                    j.incident = consume incident
                    return true
                }
                guard let plan else {
                    j = judge(incident, violationsOnly: violationsOnly)
                    return true
                }
                let input = TypedInput(slots: UnsafeBufferPointer(slots), bytes: buffer, local: incident.local)
                return judgeTyped(incident, plan: plan, input: input, violationsOnly: violationsOnly, into: &j)
            }
        }
    }

    /// Fills `j` (an empty judgement) by the typed conditions; false when they cannot give one.
    private func judgeTyped(_ incident: consuming Incident, plan: CategoryPlan, input: TypedInput, violationsOnly: Bool,
                            into j: inout Judgement) -> Bool {
        guard let typed = plan.typed else { return false }
        let date = localDate(incident)
        let evidence = incident.evidence
        // The incident moves into the judgement (a copy would retain each of its strings).
        j.incident = consume incident
        guard convention.effective.contains(date) else { return true }
        for (k, ref) in plan.ruleRefs.enumerated() {
            let answer = ref._withUnsafeGuaranteedRef { rule -> Bool in
                guard rule.effective.contains(date) else { return true }
                if let applies = typed.applies[k] {
                    guard let a = applies(input) else { return false }
                    if !a { return true }
                }
                guard let broken = typed.violation[k](input) else { return false }
                if !broken {
                    if !violationsOnly { j.complied.append(rule.index) }
                    return true
                }
                // Exemptions have conditions of their own: the general path weighs them.
                guard convention.exemptions.isEmpty else { return false }
                addViolation(of: rule, evidence: evidence, to: &j)
                return true
            }
            guard answer else { return false }
        }
        return true
    }

    func exemption(forRule ruleID: String, incident: Incident, date: LocalDate, activation: Activation) -> Exemption? {
        for exemption in convention.exemptions where exemption.rules.isEmpty || exemption.rules.contains(ruleID) {
            if let from = exemption.from, date < from { continue }
            if let until = exemption.until, date >= until { continue }
            if let h = exemption.household, h != incident.household { continue }
            if let when = exemption.when {
                guard case .success(true) = evaluate(when, activation, what: "when", owner: exemption.id, incident: incident) else { continue }
            }
            return exemption
        }
        return nil
    }
}
