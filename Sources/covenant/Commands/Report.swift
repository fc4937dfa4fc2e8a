import ArgumentParser
import CovenantCEL
import CovenantEngine
import CovenantIO
import CovenantModel
import CovenantReports
import CovenantSource
#if canImport(Glibc)
import Glibc
#endif

/// `covenant report`: the one-page HTML report committees print or post.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the committee's one-page HTML report for a period (A4, zh or en; --public for posting).",
        discussion: """
            Headline numbers, compliance by grid and building (inline SVG bars), violations by category month \
            over month (line chart), most and least improved buildings (give the previous period with \
            --history), points and the honour roll. --public never shows more than each step's publish level \
            allows and masks households and names.
            """
    )

    @Option(name: .shortAndLong, help: "The convention: a rule file or a folder holding one convention.")
    var rules: String

    @Option(help: "The roster (CSV or YAML).")
    var roster: String

    @Option(help: "Earlier incidents (the previous period for comparisons; escalation; disqualification). Repeat for several files.")
    var history: [String] = []

    @Option(help: "The period, e.g. 2026-Q3 or 2026-07.")
    var period: String

    @Option(help: "Write the HTML to this file (- for standard output).")
    var html: String

    @Flag(name: .customLong("public"), help: "The public edition: publication levels respected, households and names masked.")
    var publicEdition = false

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
            throw UsageError(language, en: "--period must be a period such as 2026-Q3 or 2026-07",
                             zh: "--period 须为周期，如 2026-Q3 或 2026-07")
        }
        let run = try EvaluationRun(rules: rules, roster: roster, history: history, format: inputFormat, renderer: renderer)
        let input = try run.source(incidents, format: inputFormat, ledger: ledger)
        let empty = ReportPage(convention: run.convention, roster: run.roster ?? Roster(), period: periodKey,
                               language: lang, publicMode: publicEdition)
        // Incidents under an open appeal are held out of the public edition and out of disqualification.
        let held = run.heldForAppeal(ledger: ledger, paths: incidents)
        let (current, summary) = try run.reduce(input, history: run.history, into: empty) { page, v in
            guard held.contains(v.incident) else { return page.add(v) }
            if publicEdition { return }
            var verdict = v
            for i in verdict.violations.indices { verdict.violations[i].disqualify = nil }
            page.add(verdict)
        }
        let (page, _) = try run.reduce(run.history, history: RecordList([]), into: current) { $0.addHistory($1) }
        let text = page.render()
        if html == "-" {
            Terminal.write(text)
        } else {
            if let problem = Files.write(text, to: html) {
                Terminal.writeError(renderer.render(Diagnostic(.error, code: "U0009", message: problem)))
                throw ExitStatus.usage
            }
            Terminal.writeError(lang == .zh ? "已写入 \(html)\n" : "wrote \(html)\n")
        }
        Terminal.writeError(EvaluationRun.summary(summary, language: lang))
    }
}
