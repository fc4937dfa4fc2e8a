import CovenantCEL
import CovenantModel
import CovenantSource

/// Warnings: things that load but are probably not what the committee meant.
extension ConventionLoader {
    static func lint(_ draft: Draft, files: [LoadedFile], asOf: LocalDate?, _ d: inout Diagnostics) {
        // String literals compared with zones must be declared zones.
        for rule in draft.rules {
            guard let category = draft.categories[rule.category] else { continue }
            let zoneFacts = Set(category.facts.filter { $0.type == .zone }.map(\.name))
            for condition in [rule.applies, rule.violation].compactMap({ $0 }) {
                ZoneLiterals.check(condition, zoneFacts: zoneFacts, zones: draft.zones, &d)
            }
        }
        // Exemptions that have expired.
        if let asOf {
            for exemption in draft.exemptions {
                if let until = exemption.until, until <= asOf {
                    d.warning("W0005", .init(en: "exemption `\(exemption.id)` expired on \(until)",
                                             zh: "豁免 `\(exemption.id)` 已于 \(until) 到期"), at: exemption.span,
                              help: .init(en: "remove it, or extend `until` if the committee renewed it",
                                          zh: "请删除它；如居委会已续期，请延长 `until`"))
                }
            }
        }
        // A category no rule or credit names (those that failed to load included).
        let used = draft.namedCategories
        for (id, category) in draft.categories.sorted(by: { $0.key < $1.key }) where !used.contains(id) {
            d.warning("W0002", .init(en: "category `\(id)` is not used by any rule or credit",
                                     zh: "类别 `\(id)` 没有被任何规则或积分项使用"), at: draft.categorySpans[id])
            _ = category
        }
        // A rule that can never apply: `applies: false`, or in force only before the convention is.
        for rule in draft.rules {
            let constantFalse = rule.applies.map { $0.text.trimmingCharacters() == "false" } ?? false
            var beforeConvention = false
            if let until = rule.effective.until, let start = draft.effective.from, until <= start { beforeConvention = true }
            if constantFalse || beforeConvention {
                d.warning("W0001", .init(en: "rule `\(rule.id)` can never apply", zh: "规则 `\(rule.id)` 永远不会适用"),
                          at: rule.span,
                          help: beforeConvention
                            ? .init(en: "its `until` is not after the convention's `effective` date", zh: "它的 `until` 不晚于公约的生效日期")
                            : nil)
            }
            if let t = rule.title, t.en == t.zh {
                // A title given as one string (or only `zh:`/`en:`) serves both languages.
                d.warning("W0003", .init(en: "rule `\(rule.id)` has a title in one language only",
                                         zh: "规则 `\(rule.id)` 的标题只有一种语言"), at: rule.span,
                          help: .init(en: "write `title: { zh: …, en: … }`", zh: "请写 `title: { zh: …, en: … }`"))
            }
        }
    }
}

extension String {
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\n" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\n" { s.removeLast() }
        return String(s)
    }
}
