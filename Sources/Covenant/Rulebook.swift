@_exported import CovenantCEL
@_exported import CovenantEngine
@_exported import CovenantIO
@_exported import CovenantModel
@_exported import CovenantSource
import CovenantLoader

/// Loading failed: every diagnostic found, each with its file position.
public struct RulebookError: Error, Sendable {
    /// Errors (and warnings) found while loading.
    public var diagnostics: [Diagnostic]
    /// The text of each file read, for rendering carets with ``DiagnosticRenderer``.
    public var sources: [String: SourceText]
}

/// A loaded convention ready to judge incidents: the one value a service needs.
///
/// ```swift
/// let book = try Rulebook.load(file: "rules/zh/laoshiqu.yaml")
/// let verdict = book.validate(json: incidentJSON)
/// ```
///
/// `Rulebook` is an immutable `Sendable` value: share it across tasks freely.
public struct Rulebook: Sendable {
    /// The checked convention.
    public let convention: Convention
    /// The engine judging incidents against it.
    public let engine: Engine
    /// The warnings of a convention loaded from YAML (lint: a category no rule uses, a title in
    /// one language only, …); empty for one wrapped as it is.
    public let warnings: [Diagnostic]

    /// Wraps a convention (and a roster, when conditions read `household.*` or `building.*`) as it
    /// is. For one built in code, ``checked(convention:roster:)`` refuses what the loader would.
    public init(convention: Convention, roster: Roster? = nil) {
        self.init(convention: convention, roster: roster, warnings: [])
    }

    init(convention: Convention, roster: Roster?, warnings: [Diagnostic]) {
        self.convention = convention
        self.engine = Engine(convention: convention, roster: roster)
        self.warnings = warnings
    }

    /// Wraps a convention built in code after checking it as the loader checks what it reads
    /// (``ConventionLoader/check(_:)``: time zone, ids, categories and rules referred to, ladders,
    /// spans, points); throws those errors.
    public static func checked(convention: Convention, roster: Roster? = nil) throws(RulebookError) -> Rulebook {
        let problems = ConventionLoader.check(convention)
        guard problems.isEmpty else { throw RulebookError(diagnostics: problems, sources: [:]) }
        return Rulebook(convention: convention, roster: roster)
    }

    /// Loads a convention file and its imports; throws every diagnostic when it has errors.
    public static func load(file: String, ruleRoot: String? = nil, roster: Roster? = nil) throws(RulebookError) -> Rulebook {
        let result = ConventionLoader.load(file: file, options: LoadOptions(ruleRoot: ruleRoot))
        guard let convention = result.convention else {
            throw RulebookError(diagnostics: result.diagnostics, sources: result.sources)
        }
        return Rulebook(convention: convention, roster: roster, warnings: result.diagnostics.filter { $0.severity == .warning })
    }

    /// Loads a convention from YAML text (no imports).
    public static func load(yaml: String, name: String = "<convention>", roster: Roster? = nil) throws(RulebookError) -> Rulebook {
        let result = ConventionLoader.load(text: yaml, name: name)
        guard let convention = result.convention else {
            throw RulebookError(diagnostics: result.diagnostics, sources: result.sources)
        }
        return Rulebook(convention: convention, roster: roster, warnings: result.diagnostics.filter { $0.severity == .warning })
    }

    /// Reads incident records from a file's bytes.
    public func records(_ bytes: [UInt8], file: String, format: IncidentFormat? = nil) -> [IncidentRecord] {
        IncidentReader.read(bytes, file: file, format: format ?? IncidentFormat.from(path: file) ?? IncidentFormat.sniff(bytes),
                            convention: convention)
    }

    /// The verdict on one incident given as JSON, judged on its own (no history). JSON holding
    /// several records (an array) is an invalid verdict saying so: judge those with
    /// ``records(_:file:format:)`` and ``evaluate(_:history:)``.
    public func validate(json: String) -> Verdict {
        let all = records(Array(json.utf8), file: "<json>", format: .json)
        let origin = RecordOrigin(file: "<json>", line: 1)
        let record: IncidentRecord
        switch all.count {
        case 0: record = IncidentRecord(origin: origin, content: .failure(RecordProblem(.init(en: "no record", zh: "没有记录"))))
        case 1: record = all[0]
        default:
            record = IncidentRecord(origin: origin, content: .failure(RecordProblem(.init(
                en: "the JSON holds \(all.count) records; validate(json:) judges one (use records(_:file:) and evaluate(_:))",
                zh: "该 JSON 含 \(all.count) 条记录；validate(json:) 只判定一条（请用 records(_:file:) 与 evaluate(_:)）"))))
        }
        return engine.evaluate([record])[0]
    }

    /// Verdicts for a batch, in input order; `history` counts for escalation and dedupe only.
    public func evaluate(_ records: [IncidentRecord], history: [IncidentRecord] = []) -> [Verdict] {
        engine.evaluate(records, history: history)
    }

    /// Verdicts for incidents as they arrive: each is judged against those before it.
    public func verdicts<S: AsyncSequence & Sendable>(for incidents: S, history: [IncidentRecord] = [])
        -> AsyncThrowingStream<Verdict, Error> where S.Element == IncidentRecord
    {
        let validator = LiveValidator(engine: engine, history: history)
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await record in incidents {
                        continuation.yield(await validator.validate(record))
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
