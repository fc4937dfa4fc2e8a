import CovenantCEL
import CovenantEngine
import CovenantModel
import CovenantSource

/// Record kinds that are about other records rather than incidents: they change which incidents
/// count, and are never judged themselves.
public enum ProceduralKind: String, Sendable, CaseIterable {
    /// `{ kind: appeal, ref: <incident id>, grounds, statement }`: the incident is held out of
    /// publication and honour disqualification while the appeal is open.
    case appeal
    /// `{ kind: appeal_decision, ref: <incident id>, decision: upheld | modified | overturned }`.
    case appealDecision = "appeal_decision"
    /// `{ kind: withdrawal, ref: <incident id> }`: the incident counts for nothing.
    case withdrawal
    /// `{ kind: cure_check, ref: <incident id>, occurred_at, result: cured | not_cured, evidence }`: closes
    /// a state violation's case, or — `not_cured`, for a rule with `on_not_cured: escalate` — counts as a
    /// new offence at the check's time (the case moves up the ladder).
    case cureCheck = "cure_check"
}

/// What recording one batch did.
public struct RecordOutcome: Sendable {
    /// Records appended.
    public var appended: [String] = []
    /// Records already in the ledger with the same content (no-ops).
    public var unchanged: [String] = []
    /// Records amended (`--amend`), the old content kept in the history.
    public var amended: [String] = []
    /// Records refused: an id already recorded with different content, or no usable id.
    public var refused: [(id: String, origin: RecordOrigin, reason: LocalizedText)] = []
    /// Earlier verdicts that changed because of this batch (offence number, action, points or
    /// status), as stored JSON; `after` is empty when the verdict is gone (its incident withdrawn,
    /// or overturned on appeal).
    public var changed: [(id: String, before: String, after: String)] = []
    public var batch: Int64 = 0
}

/// The storage behind the ledger; SQLite is the embedded default, and a PostgreSQL store can
/// implement the same protocol for city-wide deployments.
public protocol LedgerStore: AnyObject {
    /// Appends a batch of records — read one at a time from `records`, never all held at once — in
    /// one transaction, and re-derives every verdict.
    func record(_ records: some RecordSource, engine: Engine, conventionHash: String, amend: Bool) throws -> RecordOutcome
    /// Every stored record, in recording order.
    func forEachStoredRecord(_ body: (_ id: String, _ content: MapValue, _ recordedAt: String) throws -> Void) throws
    /// Every stored record as its stored JSON text (valid UTF-8) with its `kind`, in recording order,
    /// unparsed — so that readers parse only what they need, and the engine parses on its workers.
    func forEachStoredJSON(_ body: (_ id: String, _ kind: String?, _ json: [UInt8]) throws -> Void) throws
    /// Integrity problems (empty when the ledger is sound).
    func verify() throws -> [LocalizedText]
}

/// The incidents of a ledger that count — withdrawn and overturned ones left out, procedural records
/// (appeals, decisions, withdrawals) not judged — as a record source for the engine and reports.
public struct LedgerRecords: RecordSource {
    let store: LedgerStore
    let convention: Convention?

    /// With a convention, `not_cured` checks of escalating state rules count as new offences.
    public init(_ store: LedgerStore, convention: Convention? = nil) {
        self.store = store
        self.convention = convention
    }

    /// Two passes over the store, holding only the procedural records (appeals, decisions,
    /// withdrawals, cure checks) and the incidents they refer to — never the whole ledger.
    public func forEachRecord(_ body: (IncidentRecord) throws -> Void) throws {
        // Only procedural records are parsed here; incidents go to the engine as JSON text.
        func parse(_ json: [UInt8]) throws -> MapValue {
            guard case .success(let map) = IncidentRecord.decode(json) else {
                throw LedgerError(message: "a stored record cannot be read", code: 11)  // SQLITE_CORRUPT
            }
            return map
        }
        var excluded: Set<String> = []
        var checkRefs: Set<String> = []
        try store.forEachStoredJSON { _, kind, json in
            guard let kind, let procedural = ProceduralKind(rawValue: kind) else { return }
            let content = try parse(json)
            guard case .string(let ref)? = content["ref"] else { return }
            switch procedural {
            case .withdrawal: excluded.insert(ref)
            case .appealDecision:
                if case .string("overturned")? = content["decision"] { excluded.insert(ref) }
            case .cureCheck: checkRefs.insert(ref)
            case .appeal: break
            }
        }
        var originals: [String: MapValue] = [:]
        var index = 0
        try store.forEachStoredJSON { id, kind, json in
            index += 1
            if checkRefs.contains(id) { originals[id] = try parse(json) }
            if excluded.contains(id) { return }
            if let kind, let procedural = ProceduralKind(rawValue: kind) {
                if procedural == .cureCheck,
                   let repeated = Self.reOffence(check: try parse(json), byID: originals, excluded: excluded, convention: convention) {
                    try body(IncidentRecord(origin: RecordOrigin(file: "ledger", line: index), content: .success(repeated)))
                }
                return
            }
            try body(IncidentRecord(origin: RecordOrigin(file: "ledger", line: index), validUTF8JSON: json))
        }
    }
}

extension LedgerRecords {
    /// A `not_cured` check of an escalating state rule as an incident: the referenced incident again,
    /// with the check's id, time and evidence.
    static func reOffence(check: MapValue, byID: [String: MapValue], excluded: Set<String>, convention: Convention?) -> MapValue? {
        guard let convention, case .string("not_cured")? = check["result"], case .string(let ref)? = check["ref"],
              !excluded.contains(ref), let original = byID[ref], case .string(let category)? = original["category"],
              case .string(let id)? = check["id"], let time = check["occurred_at"] else { return nil }
        let cures = convention.rules.compactMap { rule -> DSLDuration? in
            guard rule.category == category, let cure = rule.cure, cure.onNotCured == .escalate else { return nil }
            return cure.within
        }
        guard let within = cures.min(by: { $0.seconds < $1.seconds }) else { return nil }
        // Only a check made once the time to cure has run out is a repeat offence (one made before
        // the deadline, or before the incident, finds nothing overdue).
        guard case .string(let checkText) = time, let checked = Timestamp.parse(checkText),
              case .string(let occurredText)? = original["occurred_at"], let occurred = Timestamp.parse(occurredText),
              Int128(checked.seconds) >= Int128(occurred.seconds) + Int128(within.seconds) else { return nil }
        var repeated = original
        repeated.set("id", .string(id))
        repeated.set("occurred_at", time)
        repeated.set("kind", .string("inspection"))
        if let reported = check["reported_at"] { repeated.set("reported_at", reported) } else {
            repeated.set("reported_at", time)
        }
        if let evidence = check["evidence"] { repeated.set("evidence", evidence) }
        return repeated
    }
}

extension LedgerStore {
    /// Incidents under an open appeal (an appeal with no decision and no withdrawal yet): held out of
    /// publication and of honour disqualification until decided.
    public func openAppeals() throws -> Set<String> {
        var appealed: Set<String> = []
        var closed: Set<String> = []
        try forEachStoredRecord { _, content, _ in
            guard case .string(let kind)? = content["kind"], case .string(let ref)? = content["ref"] else { return }
            switch ProceduralKind(rawValue: kind) {
            case .appeal?: appealed.insert(ref)
            case .appealDecision?, .withdrawal?: closed.insert(ref)
            default: break
            }
        }
        return appealed.subtracting(closed)
    }
}

/// Canonical JSON (keys sorted at every level) for content hashes that do not depend on key order.
public func canonicalJSON(_ v: Value) -> String {
    switch v {
    case .map(let m):
        let sorted = m.entries.compactMap { e -> (String, Value)? in
            if case .string(let k) = e.key { return (k, e.value) }
            return nil
        }.sorted { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
        return "{" + sorted.map { JSON.write(.string($0.0)) + ":" + canonicalJSON($0.1) }.joined(separator: ",") + "}"
    case .list(let items):
        return "[" + items.map(canonicalJSON).joined(separator: ",") + "]"
    default:
        return JSON.write(v)
    }
}

/// SHA-256 of bytes, as hex.
public func contentHash(_ bytes: [UInt8]) -> String { SHA256.hex(bytes) }
