import ArgumentParser
import CovenantCEL
import CovenantEngine
import CovenantIO
import CovenantModel
import CovenantReports
import CovenantSource

/// `covenant recognize`: the role models of a period, with a reason each.
struct RecognizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recognize",
        abstract: "Role models (文明家庭, 最美楼栋, …) of a period, with rank and reason.",
        discussion: """
            Computes the convention's recognitions whose period matches --period: `when` over the period's \
            aggregates, vetoes, disqualification by ladder steps, ranks with deterministic tie-breaks, limits \
            overall and per grid. Households and buildings in the roster with no incidents are candidates too.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv, markdown }

    @Option(name: .shortAndLong, help: "The convention: a rule file or a folder holding one convention.")
    var rules: String

    @Option(help: "The roster (CSV or YAML).")
    var roster: String

    @Option(help: "Earlier incidents (they count for escalation and disqualification). Repeat for several files.")
    var history: [String] = []

    @Option(help: "The period, e.g. 2026-Q3, 2026-07, 2026.")
    var period: String

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
        guard let periodKey = Periods.parse(period) else {
            throw UsageError(language, en: "--period must be a period such as 2026-Q3, 2026-07, 2026-W29 or 2026",
                             zh: "--period 须为周期，如 2026-Q3、2026-07、2026-W29 或 2026")
        }
        let run = try EvaluationRun(rules: rules, roster: roster, history: history, format: inputFormat, renderer: renderer)
        let input = try run.source(incidents, format: inputFormat, ledger: ledger)
        let empty = Recognizer(convention: run.convention, roster: run.roster ?? Roster(), period: periodKey)
        // Under an open appeal, a violation does not disqualify (it is held until decided).
        let held = run.heldForAppeal(ledger: ledger, paths: incidents)
        let (current, _) = try run.reduce(input, history: run.history, into: empty) { recognizer, v in
            var verdict = v
            if held.contains(v.incident) {
                for i in verdict.violations.indices { verdict.violations[i].disqualify = nil }
            }
            recognizer.add(verdict)
        }
        // History verdicts matter for disqualifications that reach into the period.
        let (recognizer, _) = try run.reduce(run.history, history: RecordList([]), into: current) { $0.add($1, history: true) }
        let results = recognizer.results()
        let skipped = run.convention.recognitions.filter { $0.period != periodKey.period }
        Terminal.write(Self.render(results, format: format, language: lang))
        if !skipped.isEmpty {
            Terminal.writeError((lang == .zh ? "未计算（周期不同）：" : "not computed (other period): ")
                + skipped.map { "\($0.id) (\($0.period.rawValue))" }.joined(separator: ", ") + "\n")
        }
    }

    static func render(_ results: [RecognitionResult], format: Format, language: Language) -> String {
        let zh = language == .zh
        let headers = zh ? ["表彰", "名次", "对象", "网格", "理由"] : ["recognition", "rank", "subject", "grid", "reason"]
        let rows = results.map { r in
            [r.title?.text(language) ?? r.recognition, String(r.rank), r.id, r.grid ?? "-", r.reason.text(language)]
        }
        switch format {
        case .table: return TableRenderer(headers: headers, rows: rows, numeric: [1]).text()
        case .markdown: return TableRenderer(headers: headers, rows: rows, numeric: [1]).markdown()
        case .csv: return TableRenderer(headers: ["recognition", "rank", "subject", "grid", "reason"],
                                        rows: results.map { [$0.recognition, String($0.rank), $0.id, $0.grid ?? "", $0.reason.text(language)] },
                                        numeric: []).csv()
        case .json:
            return JSON.write(.list(results.map { r in
                var m = MapValue()
                m.set("recognition", .string(r.recognition))
                m.set("title", .string(r.title?.text(language) ?? r.recognition))
                m.set("of", .string(r.subject.rawValue))
                m.set("subject", .string(r.id))
                m.set("grid", r.grid.map { .string($0) } ?? .null)
                m.set("rank", .int(Int64(r.rank)))
                m.set("reason", .string(r.reason.text(language)))
                m.set("violations", .int(Int64(r.aggregates.violations)))
                m.set("deeds", .int(Int64(r.aggregates.deeds)))
                m.set("points", .int(Int64(r.aggregates.points)))
                m.set("inspections", .int(Int64(r.aggregates.inspections)))
                m.set("compliance_rate", .double(r.aggregates.complianceRate))
                return .map(m)
            })) + "\n"
        }
    }
}
