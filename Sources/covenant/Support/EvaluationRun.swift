import ArgumentParser
import CovenantEngine
import CovenantIO
import CovenantLedger
import CovenantModel
import CovenantSource

/// What `validate` and `eval` share: loading rules, roster and history, and running the engine.
struct EvaluationRun {
    let convention: Convention
    let engine: Engine
    let roster: Roster?
    let history: InputFiles
    let renderer: DiagnosticRenderer

    init(rules: String, roster: String?, history: [String], format: IncidentFormat?, renderer: DiagnosticRenderer) throws {
        self.renderer = renderer
        convention = try RuleLoading.load(rules, renderer: renderer)
        var rosterValue: Roster?
        if let roster {
            let bytes: [UInt8]
            do {
                bytes = try Files.read(roster, limit: 64 << 20)
            } catch {
                Terminal.writeError(renderer.render(Diagnostic(.error, code: "U0003", message: error.message)))
                throw ExitStatus.usage
            }
            let (r, problems) = RosterReader.read(bytes, file: roster, schema: convention.roster)
            if !problems.isEmpty {
                // With the roster's lines, so each problem shows its line (and, in YAML, a caret).
                let diagnostics = problems.map {
                    Diagnostic(.error, code: "U0007", message: $0.message,
                               span: $0.span ?? SourceSpan(file: roster, start: SourceLocation(line: $0.line, column: 1)))
                }
                let source = SourceText(name: roster, text: String(decoding: bytes, as: UTF8.self))
                Terminal.writeError(renderer.render(diagnostics, sources: [roster: source]))
                throw ExitStatus.usage
            }
            rosterValue = r
        }
        self.roster = rosterValue
        var engine = Engine(convention: convention, roster: rosterValue, workers: Self.workers(renderer: renderer))
        engine.scratch = ScratchFiles(renderer: renderer)
        if let n = Self.spillThreshold(renderer: renderer) { engine.spillThreshold = n }
        self.engine = engine
        do {
            self.history = try InputFiles(paths: history, format: format, convention: convention)
        } catch let error as Files.ReadError {
            Terminal.writeError(renderer.render(Diagnostic(.error, code: "U0003", message: error.message)))
            throw ExitStatus.usage
        }
    }

    /// Evaluates `source` with a progress line on a terminal's standard error (cleared when done).
    @discardableResult
    func evaluate(_ source: some RecordSource, history: some RecordSource, emit: (Verdict) throws -> Void) throws -> EvaluationSummary {
        try withProgress { engine in try engine.evaluate(source: source, history: history, emit: emit) }
    }

    /// Folds each verdict into `initial` (see `Engine.reduce`: the engine may guess the input's order).
    func reduce<Result>(
        _ source: some RecordSource, history: some RecordSource, into initial: Result, _ update: (inout Result, Verdict) throws -> Void
    ) throws -> (result: Result, summary: EvaluationSummary) {
        try withProgress { engine in try engine.reduce(source: source, history: history, into: initial, update) }
    }

    /// Folds each verdict's digest (for counting) into `initial` (see `Engine.reduceDigests`).
    func reduceDigests<Result>(
        _ source: some RecordSource, history: some RecordSource, into initial: Result, _ update: (inout Result, VerdictDigest) throws -> Void
    ) throws -> (result: Result, summary: EvaluationSummary) {
        try withProgress { engine in try engine.reduceDigests(source: source, history: history, into: initial, update) }
    }

    /// Calls `body` with the engine, which reports its progress on a terminal's standard error; the
    /// line is cleared when `body` returns or throws.
    func withProgress<T>(_ body: (Engine) throws -> T) rethrows -> T {
        let progress = Progress(enabled: Terminal.stderrIsTTY, language: renderer.language)
        var engine = self.engine
        progress.attach(to: &engine)
        defer { progress.finish() }
        return try body(engine)
    }

    /// `COVENANT_JOBS=N` caps the threads that judge incidents (default: every active core); a
    /// value that is not a whole number ≥ 1 is ignored, with a warning.
    static func workers(renderer: DiagnosticRenderer) -> Int? {
        positiveSetting("COVENANT_JOBS", renderer: renderer) { text in
            .init(en: "COVENANT_JOBS must be a whole number of threads, 1 or more; `\(text)` is ignored and every core is used",
                  zh: "COVENANT_JOBS 必须是不小于 1 的整数线程数；`\(text)` 被忽略，使用全部核心")
        }
    }

    /// `COVENANT_SPILL_AFTER=N`: how many violations of households whose records are out of time
    /// order are held in memory before they go to scratch files in `TMPDIR` (default
    /// ``Engine/defaultSpillThreshold``); a value that is not a whole number ≥ 1 is ignored, with a warning.
    static func spillThreshold(renderer: DiagnosticRenderer) -> Int? {
        positiveSetting("COVENANT_SPILL_AFTER", renderer: renderer) { text in
            .init(en: "COVENANT_SPILL_AFTER must be a whole number of violations, 1 or more; `\(text)` is ignored (default \(Engine.defaultSpillThreshold))",
                  zh: "COVENANT_SPILL_AFTER 必须是不小于 1 的整数；`\(text)` 被忽略（默认 \(Engine.defaultSpillThreshold)）")
        }
    }

    /// A whole number ≥ 1 from the environment variable `name`; nil when it is unset or empty, or —
    /// with the warning `ignored(text)` (U0012) — when it is anything else.
    private static func positiveSetting(_ name: String, renderer: DiagnosticRenderer,
                                        ignored: (String) -> LocalizedText) -> Int? {
        guard let text = Terminal.environment(name), !text.isEmpty else { return nil }
        if let n = Int(text), n >= 1 { return n }
        Terminal.writeError(renderer.render(Diagnostic(.warning, code: "U0012", message: ignored(text))))
        return nil
    }

    /// The incidents to read: the ledger's when `--ledger` is given (and no files), else the files.
    func source(_ paths: [String], format: IncidentFormat?, ledger: String?) throws -> any RecordSource {
        if ledger != nil, !paths.isEmpty {
            Terminal.writeError(renderer.render(Diagnostic(.error, code: "U0015", message: .init(
                en: "read the incidents from --ledger or from files, not both", zh: "事件请从 --ledger 或文件中读取，不能两者都给"))))
            throw ExitStatus.usage
        }
        if let ledger {
            guard Files.exists(ledger) else {
                Terminal.writeError(renderer.render(Diagnostic(.error, code: "U0010", message: .init(
                    en: "no ledger at `\(ledger)`", zh: "`\(ledger)` 处没有账本"))))
                throw ExitStatus.usage
            }
            do {
                return LedgerRecords(try SQLiteLedger(path: ledger, readOnly: true), convention: convention)
            } catch {
                Terminal.writeError(renderer.render(Diagnostic(.error, code: "U0010", message: error.opening(ledger))))
                throw ExitStatus.usage
            }
        }
        return try inputs(paths, format: format)
    }

    /// Incidents under an open appeal in the ledger (empty without one).
    func heldForAppeal(ledger: String?, paths: [String]) -> Set<String> {
        guard let ledger, paths.isEmpty, let store = try? SQLiteLedger(path: ledger, readOnly: true) else { return [] }
        return (try? store.openAppeals()) ?? []
    }

    func inputs(_ paths: [String], format: IncidentFormat?) throws -> InputFiles {
        do {
            return try InputFiles(paths: paths.isEmpty ? ["-"] : paths, format: format, convention: convention)
        } catch let error as Files.ReadError {
            Terminal.writeError(renderer.render(Diagnostic(.error, code: "U0003", message: error.message)))
            throw ExitStatus.usage
        }
    }

    /// The summary line: `read 502 records: 320 violation, 2 invalid (lines 17, 90), …`.
    static func summary(_ s: EvaluationSummary, language: Language) -> String {
        let order: [VerdictStatus] = [.violation, .duplicate, .invalid, .compliant, .noViolation, .credited]
        let parts = order.compactMap { status -> String? in
            guard let n = s.byStatus[status], n > 0 else { return nil }
            var part = "\(n) \(language == .zh ? VerdictFormat.statusLabel(status, .zh) : status.rawValue)"
            if status == .invalid, !s.invalidOrigins.isEmpty {
                let lines = s.invalidOrigins.map { $0.description }.joined(separator: ", ")
                part += " (\(lines)\(n > s.invalidOrigins.count ? ", …" : ""))"
            }
            return part
        }
        let history = s.history > 0 ? (language == .zh ? "，另有 \(s.history) 条历史记录" : " (+\(s.history) history)") : ""
        if parts.isEmpty {
            return language == .zh ? "读取 \(s.records) 条记录\(history)\n" : "read \(s.records) record\(s.records == 1 ? "" : "s")\(history)\n"
        }
        return language == .zh
            ? "读取 \(s.records) 条记录\(history)：" + parts.joined(separator: "，") + "\n"
            : "read \(s.records) record\(s.records == 1 ? "" : "s")\(history): " + parts.joined(separator: ", ") + "\n"
    }
}

extension IncidentFormat: ExpressibleByArgument {}
