import ArgumentParser
import CovenantCEL
import CovenantEngine
import CovenantIO
import CovenantModel
import CovenantSource

/// `covenant validate`: a readable verdict per incident for a grid worker.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate reported incidents: which article, which offence, the action, points, what to fix.",
        discussion: "Exit status: 0 all valid and none violates, 1 any violates or is invalid, 2 usage or unreadable input."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(name: .shortAndLong, help: "The convention: a rule file or a folder holding one convention.")
    var rules: String

    @Option(help: "A roster (CSV or YAML) for conditions that read household.* and building.*.")
    var roster: String?

    @Option(help: "Earlier incidents that count for escalation and dedupe but are not reported. Repeat for several files.")
    var history: [String] = []

    @Option(help: "Output: text (default) or json.")
    var format: Format = .text

    @Option(name: .customLong("input-format"), help: "Input format when the file name does not tell: yaml, json, ndjson, csv.")
    var inputFormat: IncidentFormat?

    @OptionGroup var language: LanguageOption

    @Argument(help: "Incident files (YAML, JSON, NDJSON, CSV), or - for standard input.")
    var incidents: [String] = []

    func run() throws {
        let renderer = language.renderer()
        let lang = language.language
        let run = try EvaluationRun(rules: rules, roster: roster, history: history, format: inputFormat, renderer: renderer)
        let input = try run.inputs(incidents, format: inputFormat)
        var verdicts: [Value] = []
        var findings = false
        let color = Terminal.colorAllowed(forStderr: false)
        let summary = try run.evaluate(input, history: run.history) { verdict in
            if verdict.status == .violation || verdict.status == .invalid { findings = true }
            switch format {
            case .json: verdicts.append(VerdictFormat.json(verdict, language: lang))
            case .text: Terminal.write(VerdictFormat.text(verdict, convention: run.convention, language: lang, color: color))
            }
        }
        if format == .json { Terminal.write(JSON.write(.list(verdicts)) + "\n") }
        Terminal.writeError(EvaluationRun.summary(summary, language: lang))
        if findings { throw ExitStatus.findings }
    }
}
