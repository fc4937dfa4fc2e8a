import CovenantCEL
import CovenantModel
import CovenantSource

/// Why a verdict is what it is, rule by rule: for residents' appeals (申辩) and puzzled workers.
public struct IncidentExplanation: Sendable {
    /// How one rule of the incident's category was judged.
    public struct RuleExplanation: Sendable {
        public var rule: String
        public var title: LocalizedText?
        /// Whether the rule was in force on the incident's local date, and the dates that decided it.
        public var inForce: Bool
        public var effective: Effective
        public var conventionEffective: Effective
        public var localDate: LocalDate
        /// The `applies` condition (nil when the rule has none) with every sub-expression's value.
        public var applies: Explanation?
        public var appliesText: String?
        /// The `violation` condition, when it was evaluated.
        public var violation: Explanation?
        public var violationText: String
        /// The exemption that applied, if any.
        public var exemption: ExemptionFinding?
        /// Evidence required (alternatives) and given.
        public var evidenceRequired: EvidenceRequirement?
        public var evidenceGiven: [String]
        public var evidenceSatisfied: Bool
        /// The outcome in the verdict: violated (with offence), duplicate, complied, not applicable.
        public var outcome: Outcome
    }

    public enum Outcome: Sendable, Hashable {
        case notInForce
        case notApplicable
        case complied
        case exempt
        case missingEvidence
        case violated(offence: Int?, earlier: [String], step: Step?)
        case duplicate(of: String)
        case error(LocalizedText)
    }

    public var verdict: Verdict
    public var rules: [RuleExplanation]
}

extension Engine {
    /// Explains the verdict on one incident (with earlier incidents as history), rule by rule;
    /// `rule` limits the explanation to one rule.
    public func explain(_ record: IncidentRecord, history: [IncidentRecord] = [], rule only: String? = nil) -> IncidentExplanation {
        let verdict = evaluate([record], history: history)[0]
        var out = IncidentExplanation(verdict: verdict, rules: [])
        let j = judge.judge(record)
        guard let incident = j.incident, let plan = judge.plans[incident.category] else { return out }
        let activation = judge.activation(for: incident, plan: plan, complete: true)
        let date = judge.localDate(incident)
        for index in plan.rulePlans.map(\.index) {
            let rule = convention.rules[index]
            if let only, rule.id != only { continue }
            let inForce = convention.effective.contains(date) && rule.effective.contains(date)
            var e = IncidentExplanation.RuleExplanation(
                rule: rule.id, title: rule.title, inForce: inForce, effective: rule.effective,
                conventionEffective: convention.effective, localDate: date, applies: nil, appliesText: rule.applies?.text,
                violation: nil, violationText: rule.violation.text, exemption: nil, evidenceRequired: rule.evidence,
                evidenceGiven: incident.evidenceTypes, evidenceSatisfied: rule.evidence?.isSatisfied(by: incident.evidenceTypes) ?? true,
                outcome: .notInForce)
            defer { out.rules.append(e) }
            guard inForce else { continue }
            if let applies = rule.applies {
                let x = applies.program.explain(activation, text: applies.text)
                e.applies = x
                switch x.result {
                case .failure(let err): e.outcome = .error(err.message); continue
                case .success(.bool(false)): e.outcome = .notApplicable; continue
                default: break
                }
            }
            let x = rule.violation.program.explain(activation, text: rule.violation.text)
            e.violation = x
            switch x.result {
            case .failure(let err): e.outcome = .error(err.message); continue
            case .success(.bool(false)): e.outcome = .complied; continue
            default: break
            }
            if let ex = verdict.exemptions.first(where: { $0.rule == rule.id }) {
                e.exemption = ex
                e.outcome = .exempt
                continue
            }
            if !e.evidenceSatisfied {
                e.outcome = .missingEvidence
                continue
            }
            if let d = verdict.duplicates.first(where: { $0.rule == rule.id }) {
                e.outcome = .duplicate(of: d.of)
            } else if let f = verdict.violations.first(where: { $0.rule == rule.id }) {
                e.outcome = .violated(offence: f.offence, earlier: f.earlier,
                                      step: f.offence.flatMap { rule.escalation?.step(forOffence: $0) })
            } else {
                e.outcome = .error(verdict.problems.first?.message ?? LocalizedText(en: "", zh: ""))
            }
        }
        return out
    }
}
