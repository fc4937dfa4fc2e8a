import ArgumentParser
import CovenantCEL
import CovenantEngine
import CovenantIO
import CovenantLedger
import CovenantModel
import CovenantSource

/// Where the ledger is: `--ledger`, else `COVENANT_LEDGER`, else `./covenant.db`.
struct LedgerOption: ParsableArguments {
    @Option(help: "The ledger file (default: $COVENANT_LEDGER, else ./covenant.db).")
    var ledger: String?

    /// An empty `COVENANT_LEDGER` counts as unset.
    var path: String {
        if let ledger { return ledger }
        if let env = Terminal.environment("COVENANT_LEDGER"), !env.isEmpty { return env }
        return "covenant.db"
    }

    func open(readOnly: Bool, renderer: DiagnosticRenderer) throws -> SQLiteLedger {
        // SQLite would take an empty name or `:memory:` as a database that vanishes on exit: a
        // batch "recorded" there is lost.
        if path.isEmpty || path == ":memory:" || path.hasPrefix("file:") {
            Terminal.writeError(renderer.render(Diagnostic(.error, code: "U0010", message: .init(
                en: "`\(path)` is not a ledger file: give the path of one (e.g. --ledger covenant.db)",
                zh: "`\(path)` 不是账本文件：请给出账本文件的路径（如 --ledger covenant.db）"))))
            throw ExitStatus.usage
        }
        if readOnly, !Files.exists(path) {
            Terminal.writeError(renderer.render(Diagnostic(.error, code: "U0010", message: .init(
                en: "no ledger at `\(path)` (record incidents first with `covenant record`)",
                zh: "`\(path)` 处没有账本（请先用 `covenant record` 入账）"))))
            throw ExitStatus.usage
        }
        do {
            return try SQLiteLedger(path: path, readOnly: readOnly)
        } catch {
            Terminal.writeError(renderer.render(Diagnostic(.error, code: error.isBusy ? "U0011" : "U0010", message: error.opening(path))))
            throw ExitStatus.usage
        }
    }
}

/// `covenant record`: validates incidents and appends them, with their verdicts, to the ledger.
struct RecordCommand: ParsableCommand {
    /// A verdict as the ledger stores it (its JSON), said in a line: the status, then each
    /// violation's rule, offence and points, or the record's first problem.
    static func describeStored(_ json: String, _ lang: Language) -> String {
        if json.isEmpty { return lang == .zh ? "不再计入（已撤回或申诉推翻）" : "no longer counts (withdrawn or overturned)" }
        guard case .map(let m)? = try? JSON.parse(json), case .string(let statusText)? = m["status"],
              let status = VerdictStatus(rawValue: statusText) else { return VerdictFormat.clean(json) }
        let zh = lang == .zh
        var details: [String] = []
        if case .list(let violations)? = m["violations"] {
            for case .map(let f) in violations {
                guard case .string(let rule)? = f["rule"] else { continue }
                var d = rule
                if case .int(let offence)? = f["offence"] { d += zh ? " 第 \(offence) 次" : " #\(offence)" }
                if case .int(let points)? = f["points"], points != 0 { d += " \(points)" }
                details.append(d)
            }
        }
        if details.isEmpty, case .list(let problems)? = m["problems"], case .string(let first)? = problems.first {
            details.append(first)
        }
        let label = VerdictFormat.statusLabel(status, lang)
        return VerdictFormat.clean(details.isEmpty ? label : label + (zh ? "（" : " (") + details.joined(separator: zh ? "，" : ", ") + (zh ? "）" : ")"))
    }

    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Validate incidents and append them with their verdicts to the ledger (one transaction per batch).",
        discussion: """
            Idempotent: the same id with the same content is a no-op; the same id with different content is \
            refused unless --amend, which records a correction and keeps the old content. Appeals, appeal \
            decisions and withdrawals (kind: appeal | appeal_decision | withdrawal, with `ref`) are recorded \
            too; every verdict is re-derived after each batch and the ones that changed are reported. Exit 0, \
            1 when a record was refused, 2 for usage or unreadable input (or a busy ledger).
            """
    )

    @Option(name: .shortAndLong, help: "The convention: a rule file or a folder holding one convention.")
    var rules: String

    @Option(help: "A roster (CSV or YAML).")
    var roster: String?

    @OptionGroup var ledgerOption: LedgerOption

    @Flag(help: "Record corrections: the same id with different content replaces it, keeping the history.")
    var amend = false

    @Option(name: .customLong("input-format"), help: "Input format when the file name does not tell.")
    var inputFormat: IncidentFormat?

    @OptionGroup var language: LanguageOption

    @Argument(help: "Incident files, or - for standard input.")
    var incidents: [String] = []

    func run() throws {
        let renderer = language.renderer()
        let lang = language.language
        let run = try EvaluationRun(rules: rules, roster: roster, history: [], format: inputFormat, renderer: renderer)
        // Every earlier verdict is derived again with this run's inputs: without the roster the
        // rules read, each would turn invalid (and be reported as changed).
        if roster == nil, run.engine.readsRoster {
            throw UsageError(language, en: "the rules read the roster (`household.*`, `building.*`): give --roster, "
                                 + "or every verdict in the ledger that needs it would be derived again as invalid",
                             zh: "条款读取住户名册（`household.*`、`building.*`）：请给出 --roster，否则账本中需要名册的结论都会被重新判为无效")
        }
        let records = try run.inputs(incidents, format: inputFormat)
        let ledger = try ledgerOption.open(readOnly: false, renderer: renderer)
        let hash = ConventionHash.of(run.convention)
        let outcome: RecordOutcome
        do {
            // The batch is judged, then the whole ledger re-judged: both show their progress.
            outcome = try run.withProgress { engine in
                try ledger.record(records, engine: engine, conventionHash: hash, amend: amend)
            }
        } catch let error as LedgerError {
            Terminal.writeError(renderer.render(Diagnostic(.error, code: "U0011", message: .init(
                en: error.isBusy ? "the ledger is busy (another process is recording); try again" : error.message,
                zh: error.isBusy ? "账本正忙（另一个进程正在入账）；请稍后再试" : error.message))))
            throw ExitStatus.usage
        }
        let zh = lang == .zh
        for r in outcome.refused {
            // A record without an id is named by its place, which the line already starts with.
            let who = r.id == r.origin.description ? "" : " " + VerdictFormat.clean(r.id)
            Terminal.writeError("\(r.origin): \(zh ? "拒绝" : "refused")\(who): \(VerdictFormat.clean(r.reason.text(lang)))\n")
        }
        for c in outcome.changed {
            Terminal.write((zh ? "结论变化 " : "changed ") + "\(VerdictFormat.clean(c.id)): "
                + "\(Self.describeStored(c.before, lang)) → \(Self.describeStored(c.after, lang))\n")
        }
        Terminal.writeError(zh
            ? "第 \(outcome.batch) 批：新增 \(outcome.appended.count)，未变 \(outcome.unchanged.count)，更正 \(outcome.amended.count)，拒绝 \(outcome.refused.count)，结论变化 \(outcome.changed.count)（\(ledger.path)）\n"
            : "batch \(outcome.batch): \(outcome.appended.count) appended, \(outcome.unchanged.count) unchanged, \(outcome.amended.count) amended, \(outcome.refused.count) refused, \(outcome.changed.count) verdicts changed (\(ledger.path))\n")
        if !outcome.refused.isEmpty { throw ExitStatus.findings }
    }
}

/// `covenant ledger verify|export`.
struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Check or export the ledger.",
        subcommands: [Verify.self, Export.self]
    )

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check integrity: SQLite's own check and the ledger's invariants. Exit 1 on problems.")
        @OptionGroup var ledgerOption: LedgerOption
        @OptionGroup var language: LanguageOption

        func run() throws {
            let zh = language.language == .zh
            let renderer = language.renderer()
            // A file SQLite finds damaged, or whose tables are not the ledger's, is a finding of
            // the check (exit 1), not a usage error.
            func damaged(_ error: LedgerError) -> ExitStatus {
                guard error.code == 11 /* SQLITE_CORRUPT */ || error.code == 26 /* SQLITE_NOTADB */ || error.code == 1 /* SQLITE_ERROR */ else {
                    Terminal.writeError(renderer.render(Diagnostic(.error, code: "U0010", message: error.opening(ledgerOption.path))))
                    return .usage
                }
                Terminal.writeError(zh ? "问题：账本已损坏（\(error.message)）\n" : "problem: the ledger is damaged (\(error.message))\n")
                Terminal.write(zh ? "\(ledgerOption.path)：已损坏\n" : "\(ledgerOption.path): damaged\n")
                return .findings
            }
            if !Files.exists(ledgerOption.path) { _ = try ledgerOption.open(readOnly: true, renderer: renderer) }
            let ledger: SQLiteLedger
            let problems: [LocalizedText]
            let c: (records: Int, verdicts: Int, batches: Int, amendments: Int)
            do {
                ledger = try SQLiteLedger(path: ledgerOption.path, readOnly: true)
                problems = try ledger.verify()
                c = try ledger.counts()
            } catch let error as LedgerError {
                throw damaged(error)
            }
            for p in problems { Terminal.writeError((zh ? "问题：" : "problem: ") + p.text(language.language) + "\n") }
            Terminal.write(zh
                ? "\(ledger.path)：\(c.records) 条记录，\(c.verdicts) 条结论，\(c.batches) 批，\(c.amendments) 次更正；\(problems.isEmpty ? "完好" : "\(problems.count) 个问题")\n"
                : "\(ledger.path): \(c.records) records, \(c.verdicts) verdicts, \(c.batches) batches, \(c.amendments) amendments; \(problems.isEmpty ? "ok" : "\(problems.count) problems")\n")
            if !problems.isEmpty { throw ExitStatus.findings }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write every record as NDJSON, in recording order (re-importable with `record`).")
        @OptionGroup var ledgerOption: LedgerOption
        @OptionGroup var language: LanguageOption

        func run() throws {
            let ledger = try ledgerOption.open(readOnly: true, renderer: language.renderer())
            var buffer = ""
            try ledger.forEachStoredRecord { _, content, _ in
                buffer += canonicalJSON(.map(content)) + "\n"
                if buffer.utf8.count > 1 << 16 {
                    Terminal.write(buffer)
                    buffer = ""
                }
            }
            Terminal.write(buffer)
        }
    }
}

/// The content hash of the convention version that produced verdicts: SHA-256 over its files.
enum ConventionHash {
    static func of(_ convention: Convention) -> String {
        var bytes: [UInt8] = []
        for file in convention.files.sorted() {
            bytes += Array(file.utf8) + [0]
            bytes += (try? Files.read(file, limit: 64 << 20)) ?? []
            bytes.append(0)
        }
        return contentHash(bytes)
    }
}
