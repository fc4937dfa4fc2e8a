import ArgumentParser
import CovenantCEL
import CovenantEngine
import CovenantIO
import CovenantModel
import CovenantReports
import CovenantSource

/// `covenant tally`: compliance counts per group and period.
struct TallyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tally",
        abstract: "Compliance tallies by grid, building, unit, household, rule, group, category, severity, reporter or zone, per period.",
        discussion: """
            Periods are in the convention's time zone; weeks are ISO weeks; a quarter is 2026-Q3. Each row \
            carries the change against the same group's previous period. Memory grows with the number of \
            groups, not with the number of incidents. Exit 0, or 2 for usage or unreadable input.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv, markdown }

    @Option(name: .shortAndLong, help: "The convention: a rule file or a folder holding one convention.")
    var rules: String

    @Option(help: "A roster (CSV or YAML): fills grid, building and unit from the household.")
    var roster: String?

    @Option(help: "Earlier incidents that count for escalation but are not tallied. Repeat for several files.")
    var history: [String] = []

    @Option(help: "Grouping keys, comma-separated: grid, building, unit, household, rule, group, category, severity, reporter, zone.")
    var by: String = "grid"

    @Option(help: "Period: day, week, month, quarter or year.")
    var period: Period = .month

    @Option(help: "First day to include (YYYY-MM-DD, local).")
    var from: String?

    @Option(help: "Last day to include (YYYY-MM-DD, local).")
    var to: String?

    @Option(help: "Output: table (default), json, csv or markdown.")
    var format: Format = .table

    @Option(name: .customLong("input-format"), help: "Input format when the file name does not tell: yaml, json, ndjson, csv.")
    var inputFormat: IncidentFormat?

    @Option(help: "Read the incidents from this ledger instead of files (see `covenant record`).")
    var ledger: String?

    @OptionGroup var language: LanguageOption

    @Argument(help: "Incident files, or - for standard input.")
    var incidents: [String] = []

    func run() throws {
        let renderer = language.renderer()
        let lang = language.language
        var keys: [TallyKey] = []
        for part in by.split(separator: ",").map({ String($0).trimmingSpaces() }) {
            guard let key = TallyKey(rawValue: part) else {
                let keys = TallyKey.allCases.map(\.rawValue).joined(separator: ", ")
                throw UsageError(language, en: "unknown --by key `\(part)`; use \(keys)", zh: "未知的 --by 键 `\(part)`；可用：\(keys)")
            }
            keys.append(key)
        }
        func day(_ text: String?, _ name: String) throws -> Int64? {
            guard let text else { return nil }
            guard let d = LocalDate.parse(text) else { throw UsageError(language, en: "--\(name) must be a date such as 2026-07-01", zh: "--\(name) 须为日期，如 2026-07-01") }
            return Periods.key(year: d.year, month: d.month, day: d.day, period: period).ordinal
        }
        let low = try day(from, "from")
        let high = try day(to, "to")
        if let from, let to, let a = LocalDate.parse(from), let b = LocalDate.parse(to), b < a {
            throw UsageError(language, en: "--from \(from) is after --to \(to)", zh: "--from \(from) 晚于 --to \(to)")
        }
        let range = (low != nil || high != nil) ? (low ?? Int64.min)...(high ?? Int64.max) : nil
        let run = try EvaluationRun(rules: rules, roster: roster, history: history, format: inputFormat, renderer: renderer)
        let input = try run.source(incidents, format: inputFormat, ledger: ledger)
        let empty = Tally(keys: keys, period: period, convention: run.convention, roster: run.roster, range: range)
        let (tally, summary) = try run.reduceDigests(input, history: run.history, into: empty) { $0.add($1) }
        let rows = tally.rows()
        Terminal.write(Self.render(rows, keys: keys, format: format, language: lang))
        Terminal.writeError(EvaluationRun.summary(summary, language: lang))
    }

    static func headers(_ keys: [TallyKey], _ lang: Language) -> [String] {
        let zhKeys: [TallyKey: String] = [.grid: "网格", .building: "楼栋", .unit: "单元", .household: "住户", .rule: "条款",
                                          .group: "分组", .category: "类别", .severity: "严重程度", .reporter: "上报人", .zone: "区域"]
        let names = keys.map { lang == .zh ? zhKeys[$0]! : $0.rawValue }
        return names + (lang == .zh
            ? ["周期", "上报", "违约", "变化", "重复", "无效", "未违约", "巡查", "合规", "合规率", "条款遵守率", "屡犯户", "移交", "扣分", "加分"]
            : ["period", "reports", "violations", "change", "duplicates", "invalid", "no_violation", "inspections", "compliant",
               "compliance", "rule_compliance", "repeat_households", "referrals", "deducted", "credited"])
    }

    static func cells(_ r: TallyRow) -> [String] {
        let c = r.counts
        let change = r.previous.map { Numbers.signed(c.violations - $0.violations) } ?? "-"
        return r.keys + [r.period.label, String(c.reports), String(c.violations), change, String(c.duplicates), String(c.invalid),
                         String(c.noViolation), String(c.inspections), String(c.compliantInspections), Numbers.percent(c.complianceRate),
                         Numbers.percent(c.ruleComplianceRate), String(c.repeatHouseholds), String(c.referrals), String(c.deducted),
                         String(c.credited)]
    }

    static func render(_ rows: [TallyRow], keys: [TallyKey], format: Format, language: Language) -> String {
        let table = TableRenderer(headers: headers(keys, language), rows: rows.map(cells),
                                  numeric: Set((keys.count + 1)..<(keys.count + 16)))
        switch format {
        case .table: return table.text()
        case .markdown: return table.markdown()
        case .csv: return TableRenderer(headers: headers(keys, .en), rows: rows.map(cells), numeric: []).csv()
        case .json: return JSON.write(.list(rows.map { json($0, keys: keys) })) + "\n"
        }
    }

    static func json(_ r: TallyRow, keys: [TallyKey]) -> Value {
        var m = MapValue()
        for (k, v) in zip(keys, r.keys) { m.set(k.rawValue, .string(v)) }
        m.set("period", .string(r.period.label))
        func counts(_ c: TallyCounts) -> Value {
            var o = MapValue()
            o.set("reports", .int(Int64(c.reports)))
            o.set("violations", .int(Int64(c.violations)))
            o.set("duplicates", .int(Int64(c.duplicates)))
            o.set("invalid", .int(Int64(c.invalid)))
            o.set("no_violation", .int(Int64(c.noViolation)))
            o.set("inspections", .int(Int64(c.inspections)))
            o.set("compliant_inspections", .int(Int64(c.compliantInspections)))
            o.set("compliance_rate", c.complianceRate.map { .double($0) } ?? .null)
            o.set("applicable", .int(Int64(c.applicable)))
            o.set("complied", .int(Int64(c.complied)))
            o.set("rule_compliance_rate", c.ruleComplianceRate.map { .double($0) } ?? .null)
            o.set("repeat_households", .int(Int64(c.repeatHouseholds)))
            o.set("referrals", .int(Int64(c.referrals)))
            o.set("points_deducted", .int(Int64(c.deducted)))
            o.set("points_credited", .int(Int64(c.credited)))
            o.set("deeds", .int(Int64(c.deeds)))
            return .map(o)
        }
        m.set("counts", counts(r.counts))
        m.set("previous", r.previous.map(counts) ?? .null)
        return .map(m)
    }
}

extension Period: ExpressibleByArgument {}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
