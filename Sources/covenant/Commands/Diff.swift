import ArgumentParser
import CovenantCEL
import CovenantEngine
import CovenantIO
import CovenantModel
import CovenantReports
import CovenantSource

/// `covenant diff`: what would change if a new version of the convention were adopted.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Change impact of a new convention version: verdicts, offences, points and recognitions that would change.",
        discussion: "For the residents' meeting before it votes. Exit 0, or 2 for usage or unreadable input."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(name: .customLong("from"), help: "The convention in force (file or folder).")
    var old: String

    @Option(name: .customLong("to"), help: "The proposed convention (file or folder).")
    var new: String

    @Option(help: "A roster (CSV or YAML).")
    var roster: String?

    @Option(help: "Read the incidents from this ledger instead of files.")
    var ledger: String?

    @Option(help: "Also compare the recognitions of this period, e.g. 2026-Q3 (needs --roster).")
    var period: String?

    @Option(help: "How many example incidents to show per rule.")
    var examples: Int = 3

    @Option(help: "Output: text (default) or json.")
    var format: Format = .text

    @Option(name: .customLong("input-format"), help: "Input format when the file name does not tell.")
    var inputFormat: IncidentFormat?

    @OptionGroup var language: LanguageOption

    @Argument(help: "Incident files, or - for standard input.")
    var incidents: [String] = []

    struct Change {
        var incident: String
        var kind: String
        var before: String
        var after: String
    }

    func run() throws {
        let renderer = language.renderer()
        let lang = language.language
        var periodKey: PeriodKey?
        if let period {
            guard let key = Periods.parse(period) else {
                throw UsageError(language, en: "--period must be a period such as 2026-Q3, 2026-07, 2026-W29 or 2026",
                                 zh: "--period 须为周期，如 2026-Q3、2026-07、2026-W29 或 2026")
            }
            guard roster != nil else {
                throw UsageError(language, en: "--period compares recognitions, which need the households: give --roster",
                                 zh: "--period 比较的是表彰，需要住户名册：请给出 --roster")
            }
            periodKey = key
        }
        let before = try EvaluationRun(rules: old, roster: roster, history: [], format: inputFormat, renderer: renderer)
        let after = try EvaluationRun(rules: new, roster: roster, history: [], format: inputFormat, renderer: renderer)
        let input = try before.source(incidents, format: inputFormat, ledger: ledger)
        var oldVerdicts: [String: Verdict] = [:]
        var order: [String] = []
        try before.evaluate(input, history: RecordList([])) { v in
            oldVerdicts[v.incident] = v
            order.append(v.incident)
        }
        var byRule: [String: [Change]] = [:]
        var statusChanges = 0
        var pointsBefore = 0, pointsAfter = 0
        var total = 0
        try after.evaluate(input, history: RecordList([])) { v in
            total += 1
            guard let o = oldVerdicts[v.incident] else { return }
            pointsBefore += o.points
            pointsAfter += v.points
            if o.status != v.status { statusChanges += 1 }
            let oldByRule = Dictionary(o.violations.map { ($0.rule, $0) }, uniquingKeysWith: { a, _ in a })
            let newByRule = Dictionary(v.violations.map { ($0.rule, $0) }, uniquingKeysWith: { a, _ in a })
            for rule in Set(oldByRule.keys).union(newByRule.keys) {
                let a = oldByRule[rule], b = newByRule[rule]
                func describe(_ f: ViolationFinding?) -> String {
                    guard let f else { return lang == .zh ? "未违反" : "not violated" }
                    return "#\(f.offence.map(String.init) ?? "-") \(f.action?.text(lang) ?? "") \(f.points)"
                }
                if a == nil || b == nil || a!.offence != b!.offence || a!.points != b!.points || a!.action != b!.action {
                    let kind = a == nil ? "new violation" : (b == nil ? "no longer violated" : "changed")
                    byRule[rule, default: []].append(Change(incident: v.incident, kind: kind, before: describe(a), after: describe(b)))
                }
            }
        }
        var recognitionLines: [String] = []
        if let periodKey {
            func honours(_ run: EvaluationRun) throws -> Set<String> {
                var r = Recognizer(convention: run.convention, roster: run.roster ?? Roster(), period: periodKey)
                try run.evaluate(input, history: RecordList([])) { r.add($0) }
                return Set(r.results().map { "\($0.recognition): \($0.id)" })
            }
            let a = try honours(before), b = try honours(after)
            recognitionLines = b.subtracting(a).sorted().map { "+ \($0)" } + a.subtracting(b).sorted().map { "- \($0)" }
        }
        let zh = lang == .zh
        switch format {
        case .json:
            var m = MapValue()
            m.set("incidents", .int(Int64(total)))
            m.set("status_changes", .int(Int64(statusChanges)))
            m.set("points_before", .int(Int64(pointsBefore)))
            m.set("points_after", .int(Int64(pointsAfter)))
            var rules = MapValue()
            for (rule, changes) in byRule.sorted(by: { $0.key < $1.key }) {
                var r = MapValue()
                r.set("changes", .int(Int64(changes.count)))
                r.set("new_violations", .int(Int64(changes.filter { $0.kind == "new violation" }.count)))
                r.set("no_longer_violated", .int(Int64(changes.filter { $0.kind == "no longer violated" }.count)))
                r.set("examples", .list(changes.prefix(examples).map { c in
                    .map(MapValue([("incident", .string(c.incident)), ("kind", .string(c.kind)),
                                   ("before", .string(c.before)), ("after", .string(c.after))]))
                }))
                rules.set(rule, .map(r))
            }
            m.set("rules", .map(rules))
            m.set("recognitions", .list(recognitionLines.map { .string($0) }))
            Terminal.write(JSON.write(.map(m)) + "\n")
        case .text:
            Terminal.write(zh
                ? "\(total) 条记录：\(statusChanges) 条结论改变；积分合计 \(pointsBefore) → \(pointsAfter)\n"
                : "\(total) records: \(statusChanges) verdicts change status; points in total \(pointsBefore) → \(pointsAfter)\n")
            for (rule, changes) in byRule.sorted(by: { $0.key < $1.key }) {
                let gained = changes.filter { $0.kind == "new violation" }.count
                let lost = changes.filter { $0.kind == "no longer violated" }.count
                Terminal.write(zh
                    ? "\n\(rule)：\(changes.count) 处变化（新增违约 \(gained)，不再违约 \(lost)，其他 \(changes.count - gained - lost)）\n"
                    : "\n\(rule): \(changes.count) changes (\(gained) new violations, \(lost) no longer violated, \(changes.count - gained - lost) other)\n")
                for c in changes.prefix(examples) {
                    Terminal.write("  \(VerdictFormat.clean(c.incident)): \(VerdictFormat.clean(c.before)) → \(VerdictFormat.clean(c.after))\n")
                }
            }
            if !recognitionLines.isEmpty {
                Terminal.write(zh ? "\n表彰变化：\n" : "\nrecognitions:\n")
                for line in recognitionLines { Terminal.write("  \(line)\n") }
            }
            if byRule.isEmpty && recognitionLines.isEmpty { Terminal.write(zh ? "没有变化\n" : "no changes\n") }
        }
    }
}
