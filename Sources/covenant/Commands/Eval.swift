import ArgumentParser
import CovenantCEL
import CovenantEngine
import CovenantIO
import CovenantModel
import CovenantSource

/// `covenant eval`: verdicts for batches, streamed to standard output.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a batch of incidents and stream the verdicts (ndjson, json, csv or table).",
        discussion: """
            Reads its inputs up to three times (the order of each household's records; the violations of \
            households out of time order, if any; then every record, emitting verdicts in input order), so \
            memory does not grow with the number of verdicts; into a file of its own, once when the input \
            is in time order (a wrong guess is taken back). A summary goes to standard error. \
            Exit status: 0 none violates or is invalid, 1 any does, 2 usage or unreadable input.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case ndjson, json, csv, table }

    @Option(name: .shortAndLong, help: "The convention: a rule file or a folder holding one convention.")
    var rules: String

    @Option(help: "A roster (CSV or YAML) for conditions that read household.* and building.*.")
    var roster: String?

    @Option(help: "Earlier incidents that count for escalation and dedupe but are not reported. Repeat for several files.")
    var history: [String] = []

    @Option(help: "Output: ndjson (default), json, csv or table.")
    var format: Format = .ndjson

    @Option(name: .customLong("input-format"), help: "Input format when the file name does not tell: yaml, json, ndjson, csv.")
    var inputFormat: IncidentFormat?

    @Option(help: "Read the incidents from this ledger instead of files (see `covenant record`).")
    var ledger: String?

    @OptionGroup var language: LanguageOption

    @Argument(help: "Incident files (YAML, JSON, NDJSON, CSV), or - for standard input.")
    var incidents: [String] = []

    func run() throws {
        let renderer = language.renderer()
        let lang = language.language
        let run = try EvaluationRun(rules: rules, roster: roster, history: history, format: inputFormat, renderer: renderer)
        let input = try run.source(incidents, format: inputFormat, ledger: ledger)
        var findings = false
        var first = true
        // Output is gathered as bytes: JSON verdicts are written as bytes and never become strings.
        var buffer: [UInt8] = []
        buffer.reserveCapacity(80 * 1024)
        func flush(_ force: Bool = false) {
            if force || buffer.count > 64 * 1024 {
                Terminal.write(bytes: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        let format = self.format
        func start() {
            switch format {
            case .json: buffer += "[".utf8
            case .csv: buffer += (VerdictFormat.csvHeader + "\n").utf8
            case .table: buffer += TableFormat.header(lang).utf8
            case .ndjson: break
            }
        }
        start()
        // Each verdict is formatted on the engine's workers; this thread only writes, in order.
        let render: @Sendable (Verdict) -> [UInt8] = { verdict in
            switch format {
            case .ndjson: return VerdictFormat.jsonBytes(verdict, language: lang, newline: true)
            case .json: return VerdictFormat.jsonBytes(verdict, language: lang)
            case .csv: return Array(VerdictFormat.csvRows(verdict, language: lang).map { $0 + "\n" }.joined().utf8)
            case .table: return Array(TableFormat.row(verdict, language: lang).utf8)
            }
        }
        // Into a file of its own, the engine may guess that the input is in time order and read it
        // once; a wrong guess takes back what was written and starts over (see `Engine.evaluate`).
        let output = RetractableOutput.standardOutput()
        let retract = output.map { output in
            {
                buffer.removeAll(keepingCapacity: true)
                try output.retract(renderer: renderer)
                findings = false
                first = true
                start()
            }
        }
        let summary = try run.withProgress { engine in
            try engine.evaluateRendered(source: input, history: run.history, render: render, retract: retract) { status, text in
                if status == .violation || status == .invalid { findings = true }
                if format == .json { buffer += (first ? "\n" : ",\n").utf8 }
                buffer += text
                first = false
                flush()
            }
        }
        if format == .json { buffer += (first ? "]\n" : "\n]\n").utf8 }
        flush(true)
        Terminal.writeError(EvaluationRun.summary(summary, language: lang))
        if findings { throw ExitStatus.findings }
    }
}

/// The aligned table of `eval --format table`.
enum TableFormat {
    static let widths = [22, 13, 14, 28, 8, 24, 7]

    static func pad(_ s: String, _ width: Int) -> String {
        let w = DisplayWidth.of(s)
        if w >= width { return s + " " }
        return s + String(repeating: " ", count: width - w)
    }

    static func line(_ cells: [String]) -> String {
        var out = ""
        for (i, cell) in cells.enumerated() {
            out += i == cells.count - 1 ? cell : pad(cell, widths[i])
        }
        // Cells left empty at the end of a row leave no padding behind.
        while out.last == " " { out.removeLast() }
        return out + "\n"
    }

    static func header(_ language: Language) -> String {
        language == .zh
            ? line(["事件", "结论", "住户", "条款", "次数", "措施", "积分"])
            : line(["incident", "status", "household", "rule", "offence", "action", "points"])
    }

    static func row(_ v: Verdict, language: Language) -> String {
        let base = [VerdictFormat.clean(v.incident), VerdictFormat.statusLabel(v.status, language), VerdictFormat.clean(v.household ?? "-")]
        if v.violations.isEmpty {
            let note = v.status == .invalid ? (v.problems.first.map { VerdictFormat.clean($0.message.text(language)) } ?? "")
                : (v.duplicates.first.map { "\($0.rule) = \($0.of)" } ?? "")
            return line(base + [note, "", "", v.points == 0 ? "" : String(v.points)])
        }
        return v.violations.enumerated().map { i, f in
            line((i == 0 ? base : ["", "", ""]) + [f.rule, f.offence.map(String.init) ?? "-",
                                                  VerdictFormat.clean(f.action?.text(language) ?? "-"), String(f.points)])
        }.joined()
    }
}
