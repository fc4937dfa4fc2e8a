import ArgumentParser
import CovenantCEL
import CovenantLedger
import CovenantModel
import CovenantSource

/// `covenant cases`: open, due-today and overdue cure cases, sorted for a worker's round.
struct CasesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cases",
        abstract: "Cure cases of state rules (clutter, parked bikes, cables) as of a time: overdue, due today, open.",
        discussion: "A missed deadline escalates as of --as-of (the next step is shown). Exit 0, or 2 for usage or unreadable input."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Option(name: .shortAndLong, help: "The convention: a rule file or a folder holding one convention.")
    var rules: String

    @Option(help: "A roster (CSV or YAML).")
    var roster: String?

    @OptionGroup var ledgerOption: LedgerOption

    @Option(name: .customLong("as-of"), help: "The time to judge deadlines at (RFC 3339, e.g. 2026-09-01T09:00:00+08:00).")
    var asOf: String

    @Option(help: "Only this grid.")
    var grid: String?

    @Flag(help: "Also list cured and not-cured cases.")
    var all = false

    @Option(help: "Output: table (default) or json.")
    var format: Format = .table

    @OptionGroup var language: LanguageOption

    func run() throws {
        let renderer = language.renderer()
        let lang = language.language
        guard let time = Timestamp.parse(asOf) else {
            throw UsageError(language, en: "--as-of must be an RFC 3339 time with an offset, e.g. 2026-09-01T09:00:00+08:00",
                             zh: "--as-of 须为带偏移的 RFC 3339 时间，如 2026-09-01T09:00:00+08:00")
        }
        let run = try EvaluationRun(rules: rules, roster: roster, history: [], format: nil, renderer: renderer)
        let ledger = try ledgerOption.open(readOnly: true, renderer: renderer)
        var cases = try CaseBook.cases(store: ledger, engine: run.engine, roster: run.roster, asOf: time)
        if let grid { cases = cases.filter { $0.grid == grid } }
        if !all { cases = cases.filter { $0.status != .cured && $0.status != .notCured } }
        let zh = lang == .zh
        func label(_ s: CureCase.Status) -> String {
            switch (s, zh) {
            case (.overdue, false): return "overdue"
            case (.dueToday, false): return "due today"
            case (.open, false): return "open"
            case (.cured, false): return "cured"
            case (.notCured, false): return "not cured"
            case (.overdue, true): return "已逾期"
            case (.dueToday, true): return "今日到期"
            case (.open, true): return "整改中"
            case (.cured, true): return "已整改"
            case (.notCured, true): return "未整改"
            }
        }
        func local(_ t: Timestamp) -> String { VerdictFormat.localTime(t, run.convention.timezone) }
        switch format {
        case .table:
            let headers = zh ? ["状态", "网格", "楼栋", "单元", "住户", "条款", "事件", "整改期限", "下一步"]
                             : ["status", "grid", "building", "unit", "household", "rule", "incident", "deadline", "next step"]
            let rows = cases.map { c in
                [label(c.status), c.grid ?? "-", c.building ?? "-", c.unit ?? "-", c.household ?? "-", c.rule, c.incident,
                 local(c.deadline), c.nextStep.map { $0.action.text(lang) } ?? ""]
            }
            Terminal.write(TableRenderer(headers: headers, rows: rows, numeric: []).text())
            let counts = CureCase.Status.allCases.map { s in (s, cases.filter { $0.status == s }.count) }.filter { $0.1 > 0 }
            Terminal.writeError(counts.map { "\($0.1) \(label($0.0))" }.joined(separator: zh ? "，" : ", ") + (cases.isEmpty ? (zh ? "没有案件" : "no cases") : "") + "\n")
        case .json:
            Terminal.write(JSON.write(.list(cases.map { c in
                var m = MapValue()
                m.set("status", .string(c.status.rawValue))
                m.set("incident", .string(c.incident))
                m.set("rule", .string(c.rule))
                m.set("household", c.household.map { .string($0) } ?? .null)
                m.set("grid", c.grid.map { .string($0) } ?? .null)
                m.set("building", c.building.map { .string($0) } ?? .null)
                m.set("occurred_at", .string(c.occurredAt.rfc3339))
                m.set("deadline", .string(c.deadline.rfc3339))
                m.set("offence", c.offence.map { .int(Int64($0)) } ?? .null)
                m.set("next_action", c.nextStep.map { .string($0.action.text(lang)) } ?? .null)
                return .map(m)
            })) + "\n")
        }
    }
}
