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

    /// Wraps a convention (and a roster, when conditions read `household.*` or `building.*`).
    public init(convention: Convention, roster: Roster? = nil) {
        self.convention = convention
        self.engine = Engine(convention: convention, roster: roster)
    }

    /// Loads a convention file and its imports; throws every diagnostic when it has errors.
    public static func load(file: String, ruleRoot: String? = nil, roster: Roster? = nil) throws(RulebookError) -> Rulebook {
        let result = ConventionLoader.load(file: file, options: LoadOptions(ruleRoot: ruleRoot))
        guard let convention = result.convention else {
            throw RulebookError(diagnostics: result.diagnostics, sources: result.sources)
        }
        return Rulebook(convention: convention, roster: roster)
    }

    /// Loads a convention from YAML text (no imports).
    public static func load(yaml: String, name: String = "<convention>", roster: Roster? = nil) throws(RulebookError) -> Rulebook {
        let result = ConventionLoader.load(text: yaml, name: name)
        guard let convention = result.convention else {
            throw RulebookError(diagnostics: result.diagnostics, sources: result.sources)
        }
        return Rulebook(convention: convention, roster: roster)
    }

    /// Reads incident records from a file's bytes.
    public func records(_ bytes: [UInt8], file: String, format: IncidentFormat? = nil) -> [IncidentRecord] {
        IncidentReader.read(bytes, file: file, format: format ?? IncidentFormat.from(path: file) ?? IncidentFormat.sniff(bytes),
                            convention: convention)
    }

    /// The verdict on one incident given as JSON, judged on its own (no history).
    public func validate(json: String) -> Verdict {
        let record = records(Array(json.utf8), file: "<json>", format: .json).first
            ?? IncidentRecord(origin: RecordOrigin(file: "<json>", line: 1),
                              content: .failure(RecordProblem(.init(en: "no record", zh: "没有记录"))))
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
