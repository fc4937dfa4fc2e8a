import CovenantCEL
import CovenantModel
import CovenantSource

extension ConventionLoader {
    /// What the loader would refuse in a convention built in code (a loaded one has none of it):
    /// an unknown time zone, a category filed under a key other than its id, duplicate ids, rules
    /// and credits naming categories the convention does not declare, exemptions and vetoes naming
    /// unknown rules, ladders without steps, windows and spans outside 1 s … 100 years, and points
    /// or caps beyond ±``PointsPolicy/maxMagnitude``. Each is an error diagnostic with the loader's
    /// code, at the rule's or credit's span where it has one. The engine judges such a convention
    /// without trapping, but its verdicts would not be what its author meant: check it first.
    public static func check(_ convention: Convention) -> [Diagnostic] {
        var d = Diagnostics()
        let top = SourceSpan(file: convention.files.first ?? "<convention>", start: SourceLocation(line: 1, column: 1))
        if !TimeZones.isKnown(convention.timezone) {
            d.error(LoaderMessage.unknownTimeZone(convention.timezone), at: top)
        }
        for (key, category) in convention.categories.sorted(by: { $0.key < $1.key }) where category.id != key {
            d.error(("L0017", .init(en: "category `\(category.id)` is filed under the key `\(key)`: they must be the same",
                                    zh: "类别 `\(category.id)` 登记在键 `\(key)` 下：两者必须相同")), at: top)
        }
        func points(_ n: Int?, at span: SourceSpan) {
            if let n, !PointsPolicy.allows(n) { d.error(LoaderMessage.pointsOutOfRange(String(n)), at: span) }
        }
        if let initial = convention.points?.initial { points(initial, at: top) }
        func positive(_ duration: DSLDuration?, _ what: String, at span: SourceSpan) {
            if let duration, duration.seconds <= 0 || duration.seconds > DSLDuration.maxSeconds {
                d.error(("L0004", .init(en: "`\(what)` must be a duration between 1 s and 100 years, found \(duration.seconds) s",
                                        zh: "`\(what)` 须为 1 秒到 100 年之间的时长，实际为 \(duration.seconds) 秒")), at: span)
            }
        }
        var ids: Set<String> = []
        for rule in convention.rules {
            if !ids.insert(rule.id).inserted { d.error(LoaderMessage.duplicateID("a rule", rule.id), at: rule.span) }
            if convention.categories[rule.category] == nil { d.error(LoaderMessage.unknownReference("category", rule.category), at: rule.span) }
            points(rule.points, at: rule.span)
            if let escalation = rule.escalation {
                if escalation.steps.isEmpty { d.error(LoaderMessage.emptyLadder(), at: rule.span) }
                for step in escalation.steps { points(step.points, at: rule.span) }
                positive(escalation.window, "escalation.window", at: rule.span)
            }
            positive(rule.dedupe, "dedupe", at: rule.span)
            positive(rule.cure?.within, "cure", at: rule.span)
        }
        for credit in convention.credits {
            if !ids.insert(credit.id).inserted { d.error(LoaderMessage.duplicateID("a credit", credit.id), at: credit.span) }
            if convention.categories[credit.category] == nil {
                d.error(LoaderMessage.unknownReference("category", credit.category), at: credit.span)
            }
            if case .fixed(let n) = credit.points { points(n, at: credit.span) }
            for cap in credit.caps { points(cap.amount, at: credit.span) }
        }
        let ruleIDs = Set(convention.rules.map(\.id))
        for exemption in convention.exemptions {
            for rule in exemption.rules where !ruleIDs.contains(rule) {
                d.error(LoaderMessage.unknownReference("rule", rule), at: exemption.span)
            }
        }
        for recognition in convention.recognitions {
            for rule in recognition.vetoRules where !ruleIDs.contains(rule) {
                d.error(LoaderMessage.unknownReference("rule", rule), at: recognition.span)
            }
        }
        return d.items
    }
}
