import ArgumentParser
import CovenantCEL
import CovenantEngine
import CovenantIO
import CovenantModel
import CovenantReports
import CovenantSource

/// `covenant points`: household balances per period, and the ledger lines behind one.
struct PointsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "points",
        abstract: "Household points per period: the reputation score (文明分) and the redeemable balance (公益积分).",
        discussion: """
            The reputation score starts at the convention's `points.initial` and violations lower it; the \
            redeemable balance only deeds raise, after each credit's caps (applied in occurred_at order). \
            With --household, the ledger lines behind the balance are shown.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv, markdown }

    @Option(name: .shortAndLong, help: "The convention: a rule file or a folder holding one convention.")
    var rules: String

    @Option(help: "A roster (CSV or YAML): households with no incidents are listed too.")
    var roster: String?

    @Option(help: "Earlier incidents that count for escalation. Repeat for several files.")
    var history: [String] = []

    @Option(help: "Period (default: the convention's points period).")
    var period: Period?

    @Option(name: .customLong("in"), help: "Only this period, e.g. 2026-Q3.")
    var only: String?

    @Option(help: "Show the ledger lines of this household.")
    var household: String?

    @Option(help: "Output: table (default), json, csv or markdown.")
    var format: Format = .table

    @Option(name: .customLong("input-format"), help: "Input format when the file name does not tell.")
    var inputFormat: IncidentFormat?

    @Option(help: "Read the incidents from this ledger instead of files (see `covenant record`).")
    var ledger: String?

    @OptionGroup var language: LanguageOption

    @Argument(help: "Incident files, or - for standard input.")
    var incidents: [String] = []

    func run() throws {
        let renderer = language.renderer()
        let lang = language.language
        let run = try EvaluationRun(rules: rules, roster: roster, history: history, format: inputFormat, renderer: renderer)
        var onlyKey: PeriodKey?
        if let only {
            guard let k = Periods.parse(only) else { throw UsageError(language, en: "--in must be a period such as 2026-Q3, 2026-07, 2026-W29",
                                                                           zh: "--in 须为周期，如 2026-Q3、2026-07、2026-W29") }
            if let period, period != k.period {
                throw UsageError(language, en: "--in \(only) is a \(k.period.rawValue), but --period is \(period.rawValue): give one of them",
                                 zh: "--in \(only) 是一个\(Self.zhPeriod(k.period))，而 --period 为\(Self.zhPeriod(period))：请只给其中一个")
            }
            onlyKey = k
        }
        let input = try run.source(incidents, format: inputFormat, ledger: ledger)
        let empty = PointsLedger(convention: run.convention, period: onlyKey?.period ?? period,
                                 keepLines: household.map { [$0] } ?? [])
        let (ledger, summary) = try run.reduce(input, history: run.history, into: empty) { $0.add($1) }
        var balances = ledger.balances(roster: household == nil ? run.roster : nil, only: onlyKey)
        if let household { balances = balances.filter { $0.household == household } }
        let zh = lang == .zh
        if let household, format == .table || format == .markdown {
            if balances.isEmpty {
                Terminal.write(zh ? "住户 \(household) 没有积分记录\n" : "no points lines for household \(household)\n")
            }
            for b in balances {
                Terminal.write(zh ? "住户 \(household)，\(b.period.label)：初始 \(b.initial)\n" : "household \(household), \(b.period.label): initial \(b.initial)\n")
                let rows = b.lines.map { l in
                    [VerdictFormat.localTime(l.occurredAt, run.convention.timezone), l.incident, l.kind == .violation ? (zh ? "违约" : "violation") : (zh ? "积分" : "credit"),
                     l.source, Numbers.signed(l.points), l.counted == l.points ? "" : Numbers.signed(l.counted)]
                }
                let headers = zh ? ["当地时间", "事件", "类型", "条款/积分项", "分值", "封顶后"]
                                 : ["local time", "incident", "kind", "rule/credit", "points", "after cap"]
                let table = TableRenderer(headers: headers, rows: rows, numeric: [4, 5])
                Terminal.write(format == .markdown ? table.markdown() : table.text())
                Terminal.write(zh ? "文明分 \(b.reputation)（扣 \(-b.deducted)），公益积分 \(b.redeemable)\n\n"
                                  : "reputation \(b.reputation) (\(b.deducted) deducted), redeemable \(b.redeemable)\n\n")
            }
        } else {
            let headers = zh ? ["住户", "周期", "初始", "扣分", "加分", "文明分", "公益积分", "违约", "善行"]
                             : ["household", "period", "initial", "deducted", "credited", "reputation", "redeemable", "violations", "deeds"]
            let rows = balances.map { b in
                [b.household, b.period.label, String(b.initial), String(b.deducted), String(b.credited), String(b.reputation),
                 String(b.redeemable), String(b.violations), String(b.deeds)]
            }
            let table = TableRenderer(headers: headers, rows: rows, numeric: Set(2..<9))
            switch format {
            case .table: Terminal.write(table.text())
            case .markdown: Terminal.write(table.markdown())
            case .csv where household != nil:
                // One household: its lines, as the table shows them (a balance row is their sum).
                let lines = balances.flatMap { b in
                    b.lines.map { l in
                        [b.household, b.period.label, l.occurredAt.rfc3339, l.incident, l.kind.rawValue, l.source,
                         String(l.points), String(l.counted)]
                    }
                }
                Terminal.write(TableRenderer(headers: ["household", "period", "occurred_at", "incident", "kind", "source", "points",
                                                       "counted"], rows: lines, numeric: []).csv())
            case .csv: Terminal.write(TableRenderer(headers: ["household", "period", "initial", "deducted", "credited", "reputation",
                                                              "redeemable", "violations", "deeds"], rows: rows, numeric: []).csv())
            case .json:
                Terminal.write(JSON.write(.list(balances.map { b in
                    var m = MapValue()
                    m.set("household", .string(b.household))
                    m.set("period", .string(b.period.label))
                    m.set("initial", .int(Int64(b.initial)))
                    m.set("deducted", .int(Int64(b.deducted)))
                    m.set("credited", .int(Int64(b.credited)))
                    m.set("reputation", .int(Int64(b.reputation)))
                    m.set("redeemable", .int(Int64(b.redeemable)))
                    m.set("violations", .int(Int64(b.violations)))
                    m.set("deeds", .int(Int64(b.deeds)))
                    if !b.lines.isEmpty {
                        m.set("lines", .list(b.lines.map { l in
                            .map(MapValue([("occurred_at", .string(l.occurredAt.rfc3339)), ("incident", .string(l.incident)),
                                           ("kind", .string(l.kind.rawValue)), ("source", .string(l.source)),
                                           ("points", .int(Int64(l.points))), ("counted", .int(Int64(l.counted)))]))
                        }))
                    }
                    return .map(m)
                })) + "\n")
            }
        }
        Terminal.writeError(EvaluationRun.summary(summary, language: lang))
    }

    static func zhPeriod(_ p: Period) -> String {
        switch p {
        case .day: "日"
        case .week: "周"
        case .month: "月"
        case .quarter: "季度"
        case .year: "年"
        }
    }
}
