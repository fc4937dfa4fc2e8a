import CovenantCEL
import CovenantModel
import CovenantSource
import CovenantYAML

/// Phase 2: rules, with every reference resolved and every condition compiled against the
/// category's facts.
extension ConventionLoader {
    static func readRules(_ file: LoadedFile, into draft: inout Draft, _ d: inout Diagnostics) {
        guard let node = file.root["rules"], !node.isNull, let items = NodeReader.list(node, &d) else { return }
        for item in items {
            if let rule = readRule(item, file: file, draft: &draft, &d) { draft.rules.append(rule) }
        }
    }

    static func environment(forCategory id: String, _ draft: Draft) -> CELEnvironment? {
        guard let category = draft.categories[id] else { return nil }
        return Scopes.conditionEnvironment(facts: category.factsType, roster: draft.roster)
    }

    /// Resolves a category reference, reporting an unknown one with a did-you-mean.
    static func category(_ node: YAMLNode, _ draft: Draft, _ d: inout Diagnostics) -> String? {
        guard let id = NodeReader.string(node, &d) else { return nil }
        if draft.categories[id] != nil { return id }
        reportUnknown("category", id, among: Array(draft.categories.keys), at: node.span, &d)
        return nil
    }

    static func reportUnknown(_ kind: String, _ name: String, among: [String], at span: SourceSpan, _ d: inout Diagnostics) {
        let help = Suggestion.closest(to: name, among: among).map {
            LocalizedText(en: "did you mean `\($0)`?", zh: "是不是 `\($0)`？")
        } ?? (among.isEmpty
            ? LocalizedText(en: "declare it first", zh: "请先声明")
            : LocalizedText(en: "declared: " + among.sorted().map { "`\($0)`" }.joined(separator: ", "),
                            zh: "已声明：" + among.sorted().map { "`\($0)`" }.joined(separator: "、")))
        d.error(LoaderMessage.unknownReference(kind, name), at: span, help: help)
    }

    static func readRule(_ node: YAMLNode, file: LoadedFile, draft: inout Draft, _ d: inout Diagnostics) -> Rule? {
        let m = MappingReader(node, context: "a rule", allowed: Keys.rule, diagnostics: &d)
        guard m.isMapping else { return nil }
        let idNode = m.required("id", &d)
        let id = idNode.flatMap { NodeReader.identifier($0, &d) }
        var duplicate = false
        if let id, let idNode, !draft.claim(id, kind: "rule", span: idNode.span, &d) { duplicate = true }
        let title = m.optional("title").flatMap { NodeReader.localized($0, &d, context: "title") }
        let categoryID = m.required("category", &d).flatMap { category($0, draft, &d) }
        if let categoryID { draft.namedCategories.insert(categoryID) }
        var group: String?
        if let g = m.optional("group"), let name = NodeReader.string(g, &d) {
            if draft.groups[name] != nil {
                group = name
            } else {
                reportUnknown("group", name, among: Array(draft.groups.keys), at: g.span, &d)
            }
        }
        let severity = m.optional("severity").flatMap { NodeReader.enumValue($0, RuleSeverity.self, what: "severity", &d) } ?? .minor
        var ruleKind = "event"
        if let k = m.optional("kind"), let kind = NodeReader.string(k, &d) {
            if ["event", "state"].contains(kind) {
                ruleKind = kind
            } else {
                d.error(LoaderMessage.badEnum(kind, "kind"), at: k.span,
                        help: .init(en: "one of `event`, `state`", zh: "可选值：`event`、`state`"))
            }
        }
        var cure: Cure?
        if let c = m.optional("cure"), let within = readDuration(c, &d) {
            let onNotCured = m.optional("on_not_cured").flatMap { NodeReader.enumValue($0, NotCured.self, what: "on_not_cured", &d) } ?? .escalate
            cure = Cure(within: within, onNotCured: onNotCured)
            if ruleKind != "state", let span = m.keySpan("cure") {
                d.error(("L0029", .init(en: "`cure` needs `kind: state` (a condition that persists until it is put right)",
                                        zh: "`cure` 需要 `kind: state`（持续存在、需要整改的状况）")), at: span)
            }
        } else if let span = m.keySpan("on_not_cured"), m.optional("cure") == nil {
            d.error(LoaderMessage.missingKey("cure", in: "a rule"), at: span,
                    help: .init(en: "`on_not_cured` goes with a `cure` deadline, e.g. `cure: 3d`", zh: "`on_not_cured` 需要配合整改期限，如 `cure: 3d`"))
        }
        let points = m.optional("points").flatMap { NodeReader.points($0, &d) }
        let evidence = m.optional("evidence").flatMap { readEvidence($0, &d) }
        let dedupe = m.optional("dedupe").flatMap { readDuration($0, &d) }
        let escalation = m.optional("escalation").flatMap { readEscalation($0, draft: draft, &d) }
        let effective = m.optional("effective").map { readEffective($0, &d) } ?? Effective()
        let publish = m.optional("publish").flatMap { NodeReader.enumValue($0, PublishLevel.self, what: "publish level", &d) }
        var applies: Condition?
        var violation: Condition?
        if let categoryID, let env = environment(forCategory: categoryID, draft) {
            if draft.categories[categoryID]?.kind == .deed, let span = m.keySpan("category") {
                d.error(("L0026", .init(en: "rules judge event categories; `\(categoryID)` is a deed category (use a credit)",
                                        zh: "规则只用于事件类别；`\(categoryID)` 是善行类别（请用积分项 credits）")), at: span)
            }
            applies = m.optional("applies").flatMap {
                ConditionCompiler.compile($0, environment: env, expecting: .bool, file: file.source,
                                          what: .init(en: "`applies`", zh: "`applies`"), &d)
            }
            violation = m.required("violation", &d).flatMap {
                ConditionCompiler.compile($0, environment: env, expecting: .bool, file: file.source,
                                          what: .init(en: "`violation`", zh: "`violation`"), &d)
            }
        } else {
            _ = m.required("violation", &d)
        }
        guard let id, let categoryID, let violation, !duplicate else { return nil }
        var rule = Rule(id: id, title: title, category: categoryID, group: group, severity: severity, applies: applies,
                        violation: violation, points: points, evidence: evidence, dedupe: dedupe, escalation: escalation,
                        effective: effective, publish: publish, span: node.span)
        rule.cure = cure
        return rule
    }

    /// `evidence: [photo]` (all of), or `evidence: { any_of: [[photo], [{ witness_statement: 2 }]] }`.
    static func readEvidence(_ node: YAMLNode, _ d: inout Diagnostics) -> EvidenceRequirement? {
        if node.isMapping {
            let m = MappingReader(node, context: "evidence", allowed: ["any_of"], diagnostics: &d)
            guard let alts = m.required("any_of", &d), let items = NodeReader.list(alts, &d) else { return nil }
            let alternatives = items.compactMap { readEvidenceSet($0, &d) }
            return alternatives.isEmpty ? nil : EvidenceRequirement(alternatives: alternatives)
        }
        return readEvidenceSet(node, &d).map { EvidenceRequirement(alternatives: [$0]) }
    }

    static func readEvidenceSet(_ node: YAMLNode, _ d: inout Diagnostics) -> [EvidenceNeed]? {
        let items: [YAMLNode] = node.isScalar ? [node] : (NodeReader.list(node, &d) ?? [])
        var needs: [EvidenceNeed] = []
        for item in items {
            if let type = item.scalar?.text, !item.isNull {
                needs.append(EvidenceNeed(type: type, count: 1))
            } else if let pairs = item.mapping, pairs.count == 1, let type = pairs[0].key.string {
                guard let n = NodeReader.int(pairs[0].value, &d) else { continue }
                if n < 1 {
                    d.error(LoaderMessage.negative("count"), at: pairs[0].value.span)
                    continue
                }
                needs.append(EvidenceNeed(type: type, count: n))
            } else {
                d.error(LoaderMessage.wrongType(expected: "an evidence type or { type: count }", found: NodeReader.describe(item)),
                        at: item.span, help: .init(en: "e.g. `photo` or `{ witness_statement: 2 }`", zh: "如 `photo` 或 `{ witness_statement: 2 }`"))
            }
        }
        return needs
    }

    static func readEscalation(_ node: YAMLNode, draft: Draft, _ d: inout Diagnostics) -> Escalation? {
        let m = MappingReader(node, context: "escalation", allowed: Keys.escalation, diagnostics: &d)
        guard m.isMapping else { return nil }
        let window = m.required("window", &d).flatMap { readDuration($0, &d) }
        guard let stepsNode = m.required("steps", &d), let stepItems = NodeReader.list(stepsNode, &d) else { return nil }
        if stepItems.isEmpty {
            d.error(LoaderMessage.emptyLadder(), at: stepsNode.span,
                    help: .init(en: "give at least one step, e.g. `- { action: 劝导, points: -1 }`",
                                zh: "至少给出一个步骤，如 `- { action: 劝导, points: -1 }`"))
            return nil
        }
        var steps: [Step] = []
        for item in stepItems {
            let s = MappingReader(item, context: "a step", allowed: Keys.step, diagnostics: &d)
            guard s.isMapping else { continue }
            let action = s.required("action", &d).flatMap { NodeReader.localized($0, &d, context: "action") }
            let points = s.optional("points").flatMap { NodeReader.points($0, &d) }
            let publish = s.optional("publish").flatMap { NodeReader.enumValue($0, PublishLevel.self, what: "publish level", &d) }
            var referTo: String?
            if let r = s.optional("refer_to"), let name = NodeReader.string(r, &d) {
                if draft.authorities.isEmpty || draft.authorities[name] != nil {
                    referTo = name
                } else {
                    reportUnknown("authority", name, among: Array(draft.authorities.keys), at: r.span, &d)
                }
            }
            let disqualify = s.optional("disqualify").flatMap { readDuration($0, &d) }
            if let action {
                steps.append(Step(action: action, points: points, publish: publish, referTo: referTo, disqualify: disqualify))
            }
        }
        guard let window, steps.count == stepItems.count else { return nil }
        return Escalation(window: window, steps: steps)
    }
}
