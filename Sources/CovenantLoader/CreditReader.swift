import CovenantCEL
import CovenantModel
import CovenantSource
import CovenantYAML

/// Phase 2: credits, recognitions and exemptions.
extension ConventionLoader {
    static func readCredits(_ file: LoadedFile, into draft: inout Draft, _ d: inout Diagnostics) {
        guard let node = file.root["credits"], !node.isNull, let items = NodeReader.list(node, &d) else { return }
        for item in items {
            let m = MappingReader(item, context: "a credit", allowed: Keys.credit, diagnostics: &d)
            guard m.isMapping else { continue }
            let idNode = m.required("id", &d)
            guard let id = idNode.flatMap({ NodeReader.identifier($0, &d) }),
                  draft.claim(id, kind: "credit", span: idNode!.span, &d) else { continue }
            let title = m.optional("title").flatMap { NodeReader.localized($0, &d, context: "title") }
            guard let categoryID = m.required("category", &d).flatMap({ category($0, draft, &d) }) else { continue }
            draft.namedCategories.insert(categoryID)
            guard let env = environment(forCategory: categoryID, draft) else { continue }
            if draft.categories[categoryID]?.kind != .deed, let span = m.keySpan("category") {
                d.error(("L0027", .init(en: "credits reward deed categories; `\(categoryID)` is not declared `kind: deed`",
                                        zh: "积分项只用于善行类别；`\(categoryID)` 未声明为 `kind: deed`")), at: span)
            }
            let when = m.optional("when").flatMap {
                ConditionCompiler.compile($0, environment: env, expecting: .bool, file: file.source,
                                          what: .init(en: "`when`", zh: "`when`"), &d)
            }
            var points: CreditPoints?
            if let p = m.required("points", &d) {
                if let s = p.scalar, s.style == .plain, Int(s.text) != nil {
                    points = NodeReader.points(p, &d).map { .fixed($0) }
                } else {
                    points = ConditionCompiler.compile(p, environment: env, expecting: .int, file: file.source,
                                                       what: .init(en: "`points`", zh: "`points`"), &d).map { .expression($0) }
                }
            }
            var caps: [CreditCap] = []
            for key in ["cap", "caps"] {
                guard let c = m.optional(key) else { continue }
                let capNodes = c.isSequence ? (c.sequence ?? []) : [c]
                for capNode in capNodes {
                    let cm = MappingReader(capNode, context: "a cap", allowed: Keys.cap, diagnostics: &d)
                    guard let amountNode = cm.required("amount", &d), let amount = NodeReader.int(amountNode, &d) else { continue }
                    if amount < 0 { d.error(LoaderMessage.negative("amount"), at: amountNode.span) }
                    let per = cm.optional("per").flatMap { NodeReader.enumValue($0, Period.self, what: "period", &d) }
                    caps.append(CreditCap(amount: amount, per: per))
                }
            }
            let effective = m.optional("effective").map { readEffective($0, &d) } ?? Effective()
            if let points {
                draft.credits.append(Credit(id: id, title: title, category: categoryID, when: when, points: points,
                                            caps: caps, effective: effective, span: item.span))
            }
        }
    }

    static func readRecognitions(_ file: LoadedFile, into draft: inout Draft, _ d: inout Diagnostics) {
        guard let node = file.root["recognitions"], !node.isNull, let items = NodeReader.list(node, &d) else { return }
        for item in items {
            let m = MappingReader(item, context: "a recognition", allowed: Keys.recognition, diagnostics: &d)
            guard m.isMapping else { continue }
            let idNode = m.required("id", &d)
            guard let id = idNode.flatMap({ NodeReader.identifier($0, &d) }),
                  draft.claim(id, kind: "recognition", span: idNode!.span, &d) else { continue }
            let title = m.optional("title").flatMap { NodeReader.localized($0, &d, context: "title") }
            let subject = m.required("of", &d).flatMap { NodeReader.enumValue($0, RecognitionSubject.self, what: "subject", &d) }
            let period = m.optional("period").flatMap { NodeReader.enumValue($0, Period.self, what: "period", &d) } ?? .quarter
            var when: Condition?
            if let subject, let w = m.optional("when") {
                let env = Scopes.recognitionEnvironment(categories: Array(draft.categories.keys), roster: draft.roster, subject: subject)
                when = ConditionCompiler.compile(w, environment: env, expecting: .bool, file: file.source,
                                                 what: .init(en: "`when`", zh: "`when`"), &d)
            }
            var vetoRules: [String] = []
            var vetoSeverities: [RuleSeverity] = []
            if let v = m.optional("veto") {
                let vm = MappingReader(v, context: "veto", allowed: Keys.veto, diagnostics: &d)
                for (name, n) in vm.optional("rules").flatMap({ NodeReader.stringList($0, &d) }) ?? [] {
                    vetoRules.append(name)
                    draft.ruleRefs.append((name, n.span))
                }
                for (_, n) in vm.optional("severities").flatMap({ NodeReader.stringList($0, &d) }) ?? [] {
                    if let s = NodeReader.enumValue(n, RuleSeverity.self, what: "severity", &d) { vetoSeverities.append(s) }
                }
            }
            var rank: [RankKey] = []
            if let r = m.optional("rank") {
                let allowed = ["points", "deeds", "violations", "reports", "inspections", "compliance_rate", "credited",
                               "deducted", "redeemable", "households", "id"]
                for (text, n) in NodeReader.stringList(r, &d) ?? [] {
                    let parts = text.split(separator: " ").map(String.init)
                    guard (1...2).contains(parts.count), allowed.contains(parts[0]),
                          parts.count == 1 || ["asc", "desc"].contains(parts[1]) else {
                        d.error(LoaderMessage.badEnum(text, "rank key"), at: n.span,
                                help: .init(en: "write `FIELD asc|desc`, FIELD one of " + allowed.joined(separator: ", "),
                                            zh: "请写 `字段 asc|desc`，字段可选：" + allowed.joined(separator: "、")))
                        continue
                    }
                    rank.append(RankKey(field: parts[0], descending: parts.count == 2 && parts[1] == "desc"))
                }
            }
            func positive(_ key: String) -> Int? {
                guard let n = m.optional(key), let v = NodeReader.int(n, &d) else { return nil }
                if v < 1 { d.error(LoaderMessage.negative("limit"), at: n.span) }
                return v
            }
            let limit = positive("limit")
            let limitPerGrid = positive("limit_per_grid")
            if let subject {
                draft.recognitions.append(Recognition(
                    id: id, title: title, of: subject, period: period, when: when, vetoRules: vetoRules,
                    vetoSeverities: vetoSeverities, rank: rank, limit: limit, limitPerGrid: limitPerGrid, span: item.span))
            }
        }
    }

    static func readExemptions(_ file: LoadedFile, into draft: inout Draft, _ d: inout Diagnostics) {
        guard let node = file.root["exemptions"], !node.isNull, let items = NodeReader.list(node, &d) else { return }
        for item in items {
            let m = MappingReader(item, context: "an exemption", allowed: Keys.exemption, diagnostics: &d)
            guard m.isMapping else { continue }
            let idNode = m.required("id", &d)
            guard let id = idNode.flatMap({ NodeReader.identifier($0, &d) }),
                  draft.claim(id, kind: "exemption", span: idNode!.span, &d) else { continue }
            var rules: [String] = []
            for key in ["rule", "rules"] {
                for (name, n) in m.optional(key).flatMap({ NodeReader.stringList($0, &d) }) ?? [] {
                    rules.append(name)
                    draft.ruleRefs.append((name, n.span))
                }
            }
            let household = m.optional("household").flatMap { NodeReader.string($0, &d) }
            var when: Condition?
            if let w = m.optional("when") {
                // An exemption by condition reads the facts of the rules' category (all rules: dyn facts).
                let categories = Set(rules.compactMap { r in draft.rules.first { $0.id == r }?.category })
                let facts: RecordType
                if categories.count == 1, let c = draft.categories[categories.first!] {
                    facts = c.factsType
                } else {
                    facts = RecordType(name: "facts", fields: [:])
                }
                let env = Scopes.conditionEnvironment(facts: facts, roster: draft.roster)
                when = ConditionCompiler.compile(w, environment: env, expecting: .bool, file: file.source,
                                                 what: .init(en: "`when`", zh: "`when`"), &d)
            }
            if household == nil && m.optional("when") == nil {
                d.error(LoaderMessage.missingKey("household", in: "an exemption"), at: item.span,
                        help: .init(en: "an exemption names a `household` or gives a `when` condition",
                                    zh: "豁免需指定 `household` 或给出 `when` 条件"))
            }
            let reason = m.required("reason", &d,
                                    help: .init(en: "say why, e.g. `guide dog`", zh: "请说明原因，如 `导盲犬`"))
                .flatMap { NodeReader.localized($0, &d, context: "reason") }
            let from = m.optional("from").flatMap { readDate($0, &d) }
            let until = m.optional("until").flatMap { readDate($0, &d) }
            if let reason {
                draft.exemptions.append(Exemption(id: id, rules: rules, household: household, when: when, reason: reason,
                                                  until: until, from: from, span: item.span))
            }
        }
    }
}
