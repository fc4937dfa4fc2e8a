#if canImport(Glibc)
import Glibc
#endif
import CSQLite
import CovenantCEL
import CovenantEngine
import CovenantModel
import CovenantSource

/// The embedded ledger: one SQLite file in WAL mode; each batch is one transaction.
public final class SQLiteLedger: LedgerStore {
    var db: Database
    public let path: String

    static let schemaVersion = "1"

    /// Opens (and creates when needed) a ledger file.
    public init(path: String, readOnly: Bool = false) throws(LedgerError) {
        self.path = path
        db = try Database(path: path, readOnly: readOnly)
        if readOnly {
            let hasTables: Bool
            do {
                hasTables = try hasSchema()
            } catch let error where (error.code == 8 /* SQLITE_READONLY */ || error.code == 14 /* SQLITE_CANTOPEN */)
                && !Self.hasWriteAheadLog(path) {
                // A WAL ledger in a folder this user cannot write (SQLite would make its `-shm`
                // there): with nothing waiting in a `-wal` file, the file alone is the whole
                // ledger, read as an immutable file.
                db = try Database(immutable: path)
                hasTables = try hasSchema()
            }
            // A file that holds no ledger yet (made by a `record` killed before its first commit,
            // or by `touch`) reads as an empty ledger: the same schema, in memory, with no rows.
            if !hasTables {
                db = try Database(path: ":memory:")
                try createSchema()
            }
        } else {
            try db.execute("PRAGMA journal_mode=WAL")
            try db.execute("PRAGMA synchronous=NORMAL")
            try db.execute("PRAGMA foreign_keys=ON")
            try createSchema()
        }
    }

    /// Whether a non-empty `-wal` file lies beside the ledger (changes not yet in the file itself).
    static func hasWriteAheadLog(_ path: String) -> Bool {
        var st = stat()
        return stat(path + "-wal", &st) == 0 && st.st_size > 0
    }

    /// Whether the file holds the ledger's tables.
    func hasSchema() throws(LedgerError) -> Bool {
        var found = false
        do {
            try db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'verdicts'").query { _ in found = true }
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError(message: "cannot read ledger `\(path)`: \(error)", code: SQLITE_ERROR)
        }
        return found
    }

    /// Creates the tables in one transaction: a process killed meanwhile leaves all or none of them.
    func createSchema() throws(LedgerError) {
        try db.execute("""
                BEGIN IMMEDIATE;
                CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
                INSERT OR IGNORE INTO meta(key, value) VALUES ('schema', '\(Self.schemaVersion)');
                CREATE TABLE IF NOT EXISTS batches(
                    batch INTEGER PRIMARY KEY AUTOINCREMENT, recorded_at TEXT NOT NULL,
                    convention_id TEXT NOT NULL, convention_hash TEXT NOT NULL, records INTEGER NOT NULL);
                CREATE TABLE IF NOT EXISTS records(
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, kind TEXT,
                    content TEXT NOT NULL, content_hash TEXT NOT NULL,
                    batch INTEGER NOT NULL REFERENCES batches(batch));
                CREATE TABLE IF NOT EXISTS amendments(
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, old_content TEXT NOT NULL,
                    old_hash TEXT NOT NULL, batch INTEGER NOT NULL REFERENCES batches(batch));
                CREATE TABLE IF NOT EXISTS verdicts(
                    id TEXT PRIMARY KEY REFERENCES records(id), convention_id TEXT NOT NULL,
                    convention_hash TEXT NOT NULL, status TEXT NOT NULL, verdict TEXT NOT NULL);
                COMMIT;
                """)
    }

    static func now() -> String {
        var t = time(nil)
        var tmValue = tm()
        gmtime_r(&t, &tmValue)
        func p(_ v: Int32) -> String { v < 10 ? "0\(v)" : String(v) }
        return "\(tmValue.tm_year + 1900)-\(p(tmValue.tm_mon + 1))-\(p(tmValue.tm_mday))T\(p(tmValue.tm_hour)):\(p(tmValue.tm_min)):\(p(tmValue.tm_sec))Z"
    }

    public func forEachStoredRecord(_ body: (String, MapValue, String) throws -> Void) throws {
        try db.prepare("SELECT r.id, r.content, b.recorded_at FROM records r JOIN batches b ON b.batch = r.batch ORDER BY r.seq").query { row in
            guard let id = row.text(0), let content = row.text(1), case .map(let m)? = try? JSON.parse(content) else {
                throw LedgerError(message: "a stored record cannot be read", code: SQLITE_CORRUPT)
            }
            try body(id, m, row.text(2) ?? "")
        }
    }

    public func forEachStoredJSON(_ body: (String, String?, [UInt8]) throws -> Void) throws {
        try db.prepare("SELECT id, kind, content FROM records ORDER BY seq").query { row in
            guard let id = row.text(0), let content = row.text(2) else {
                throw LedgerError(message: "a stored record cannot be read", code: SQLITE_CORRUPT)
            }
            try body(id, row.text(1), Array(content.utf8))
        }
    }

    /// The stored verdicts, by incident id.
    public func verdicts() throws -> [String: String] {
        var out: [String: String] = [:]
        try db.prepare("SELECT id, verdict FROM verdicts").query { row in
            if let id = row.text(0), let v = row.text(1) { out[id] = v }
        }
        return out
    }

    public func record(_ records: some RecordSource, engine: Engine, conventionHash: String, amend: Bool) throws -> RecordOutcome {
        var outcome = RecordOutcome()
        try db.transaction {
            // The verdicts before this batch, kept in SQLite (not in memory) to report what changed.
            try db.execute("DROP TABLE IF EXISTS temp.previous; CREATE TEMP TABLE previous AS SELECT id, verdict FROM verdicts")
            try db.prepare("INSERT INTO batches(recorded_at, convention_id, convention_hash, records) VALUES (?, ?, ?, ?)")
                .run([.text(Self.now()), .text(engine.convention.id), .text(conventionHash), .int(0)])
            var batch: Int64 = 0
            try db.prepare("SELECT last_insert_rowid()").query { batch = $0.int(0) }
            outcome.batch = batch
            let find = try db.prepare("SELECT content, content_hash, batch FROM records WHERE id = ?")
            let insert = try db.prepare("INSERT INTO records(id, kind, content, content_hash, batch) VALUES (?, ?, ?, ?, ?)")
            let keep = try db.prepare("INSERT INTO amendments(id, old_content, old_hash, batch) VALUES (?, ?, ?, ?)")
            let update = try db.prepare("UPDATE records SET content = ?, content_hash = ?, kind = ?, batch = ? WHERE id = ?")
            var count: Int64 = 0
            try records.forEachRecord { record in
                count += 1
                guard case .success(let map) = record.content, case .string(let id)? = map["id"], !id.isEmpty else {
                    let reason: LocalizedText
                    if case .failure(let p) = record.content { reason = p.message } else {
                        reason = .init(en: "a record needs a string `id` to be recorded", zh: "记录需要字符串 `id` 才能入账")
                    }
                    outcome.refused.append((id: "\(record.origin)", origin: record.origin, reason: reason))
                    return
                }
                if case .string(let kindText)? = map["kind"], let procedural = ProceduralKind(rawValue: kindText) {
                    var referenced: MapValue?
                    if case .string(let ref)? = map["ref"] {
                        try find.query([.text(ref)]) { row in
                            if case .map(let m)? = try? JSON.parse(row.text(0) ?? "") { referenced = m }
                        }
                    }
                    if let reason = Self.proceduralProblem(procedural, map, referenced: referenced) {
                        outcome.refused.append((id: id, origin: record.origin, reason: reason))
                        return
                    }
                }
                let content = canonicalJSON(.map(map))
                let hash = contentHash(Array(content.utf8))
                let kind: SQLValue = { if case .string(let k)? = map["kind"] { return .text(k) } else { return .null } }()
                var existing: (content: String, hash: String, batch: Int64)?
                try find.query([.text(id)]) { row in existing = (row.text(0) ?? "", row.text(1) ?? "", row.int(2)) }
                // Already written by this batch (appended or amended): a repeat of that very record is
                // skipped; different content is refused. (The ledger itself remembers the batch's ids,
                // so memory does not grow with the batch.)
                if let existing, existing.batch == batch {
                    if existing.hash != hash {
                        outcome.refused.append((id: id, origin: record.origin, reason: .init(
                            en: "id `\(id)` appears twice in this batch with different content",
                            zh: "本批中 id `\(id)` 出现两次且内容不同")))
                    }
                    return
                }
                if let (oldContent, oldHash, _) = existing {
                    if oldHash == hash {
                        outcome.unchanged.append(id)
                    } else if amend {
                        try keep.run([.text(id), .text(oldContent), .text(oldHash), .int(batch)])
                        try update.run([.text(content), .text(hash), kind, .int(batch), .text(id)])
                        outcome.amended.append(id)
                    } else {
                        outcome.refused.append((id: id, origin: record.origin, reason: .init(
                            en: "id `\(id)` is already recorded with different content; use --amend to record a correction",
                            zh: "id `\(id)` 已入账且内容不同；如需更正请用 --amend")))
                    }
                    return
                }
                try insert.run([.text(id), kind, .text(content), .text(hash), .int(batch)])
                outcome.appended.append(id)
            }
            try db.prepare("UPDATE batches SET records = ? WHERE batch = ?").run([.int(count), .int(batch)])
            try rederive(engine: engine, conventionHash: conventionHash)
            // A verdict gone (its incident withdrawn, or overturned on appeal) is a change too: `after` empty.
            try db.prepare("""
                SELECT p.id, p.verdict, v.verdict FROM temp.previous p LEFT JOIN verdicts v ON v.id = p.id
                WHERE v.verdict IS NULL OR p.verdict != v.verdict ORDER BY p.id
                """)
                .query { row in
                    guard let id = row.text(0), let old = row.text(1) else { return }
                    let new = row.text(2) ?? ""
                    if new.isEmpty || Self.essence(old) != Self.essence(new) { outcome.changed.append((id: id, before: old, after: new)) }
                }
            try db.execute("DROP TABLE temp.previous")
        }
        return outcome
    }

    /// The parts of a verdict whose change a committee must hear about.
    static func essence(_ json: String) -> String {
        guard case .map(let m)? = try? JSON.parse(json) else { return json }
        var e = MapValue()
        e.set("status", m["status"] ?? .null)
        e.set("violations", m["violations"] ?? .null)
        e.set("points", m["points"] ?? .null)
        return canonicalJSON(.map(e))
    }

    /// Judges every counting incident again (history changes offences) and stores the verdicts.
    func rederive(engine: Engine, conventionHash: String) throws {
        try db.execute("DELETE FROM verdicts")
        let insert = try db.prepare("INSERT OR REPLACE INTO verdicts(id, convention_id, convention_hash, status, verdict) VALUES (?, ?, ?, ?, ?)")
        try engine.evaluate(source: LedgerRecords(self, convention: engine.convention), history: RecordList([])) { verdict in
            try insert.run([.text(verdict.incident), .text(engine.convention.id), .text(conventionHash),
                            .text(verdict.status.rawValue), .text(LedgerVerdictJSON.write(verdict))])
        }
    }

    /// The ledger's integrity problems (empty: none): SQLite's own checks, then each record's
    /// content against its hash, canonical form and id, and verdicts without their record.
    public func verify() throws -> [LocalizedText] {
        var problems: [LocalizedText] = []
        try db.prepare("PRAGMA integrity_check").query { row in
            if let r = row.text(0), r != "ok" { problems.append(.init(en: "sqlite: \(r)", zh: "sqlite：\(r)")) }
        }
        try db.prepare("PRAGMA foreign_key_check").query { row in
            let table = row.text(0) ?? "?"
            problems.append(.init(en: "foreign key: table \(table) row \(row.int(1))", zh: "外键：表 \(table) 第 \(row.int(1)) 行"))
        }
        try db.prepare("SELECT id, content, content_hash FROM records").query { row in
            let id = row.text(0) ?? "?"
            let content = row.text(1) ?? ""
            if contentHash(Array(content.utf8)) != row.text(2) {
                problems.append(.init(en: "record `\(id)`: content does not match its hash", zh: "记录 `\(id)`：内容与其哈希不符"))
            }
            guard case .map(let m)? = try? JSON.parse(content), canonicalJSON(.map(m)) == content else {
                problems.append(.init(en: "record `\(id)`: content is not canonical JSON", zh: "记录 `\(id)`：内容不是规范 JSON"))
                return
            }
            if case .string(let stored)? = m["id"], stored != id {
                problems.append(.init(en: "record `\(id)`: id differs from its content", zh: "记录 `\(id)`：id 与内容中的不同"))
            }
        }
        try db.prepare("SELECT count(*) FROM verdicts v LEFT JOIN records r ON r.id = v.id WHERE r.id IS NULL").query { row in
            if row.int(0) > 0 {
                problems.append(.init(en: "\(row.int(0)) verdicts have no record", zh: "\(row.int(0)) 条结论没有对应的记录"))
            }
        }
        return problems
    }

    /// Counts for `ledger verify`'s summary.
    public func counts() throws -> (records: Int, verdicts: Int, batches: Int, amendments: Int) {
        var r = 0, v = 0, b = 0, a = 0
        try db.prepare("SELECT (SELECT count(*) FROM records), (SELECT count(*) FROM verdicts), (SELECT count(*) FROM batches), (SELECT count(*) FROM amendments)").query { row in
            r = Int(row.int(0)); v = Int(row.int(1)); b = Int(row.int(2)); a = Int(row.int(3))
        }
        return (r, v, b, a)
    }
}

extension SQLiteLedger {
    /// Why an appeal, decision, withdrawal or cure check cannot be recorded (nil: it can): it must
    /// name an incident the ledger holds (`ref`), with a decision or result the ledger knows, and
    /// a cure check its time, not before the incident's.
    static func proceduralProblem(_ kind: ProceduralKind, _ map: MapValue, referenced: MapValue?) -> LocalizedText? {
        guard case .string(let ref)? = map["ref"], !ref.isEmpty else {
            return .init(en: "`\(kind.rawValue)` needs `ref`: the id of the incident it concerns",
                         zh: "`\(kind.rawValue)` 需要 `ref`：所涉事件的 id")
        }
        guard let referenced else {
            return .init(en: "`ref` names `\(ref)`, which is not in the ledger", zh: "`ref` 指向的 `\(ref)` 不在账本中")
        }
        switch kind {
        case .appeal, .withdrawal:
            return nil
        case .appealDecision:
            let allowed = ["upheld", "modified", "overturned"]
            guard case .string(let decision)? = map["decision"], allowed.contains(decision) else {
                return .init(en: "`decision` must be one of \(allowed.joined(separator: ", "))",
                             zh: "`decision` 须为 \(allowed.joined(separator: "、")) 之一")
            }
            return nil
        case .cureCheck:
            guard case .string(let result)? = map["result"], result == "cured" || result == "not_cured" else {
                return .init(en: "`result` must be cured or not_cured", zh: "`result` 须为 cured 或 not_cured")
            }
            guard case .string(let text)? = map["occurred_at"], let checked = Timestamp.parse(text) else {
                return .init(en: "a cure check needs `occurred_at`: when it was made (RFC 3339 with an offset)",
                             zh: "整改复查需要 `occurred_at`：复查时间（带偏移的 RFC 3339）")
            }
            if case .string(let incidentText)? = referenced["occurred_at"], let occurred = Timestamp.parse(incidentText),
               checked < occurred {
                return .init(en: "the cure check is dated before the incident `\(ref)` it checks",
                             zh: "整改复查的时间早于所复查的事件 `\(ref)`")
            }
            return nil
        }
    }
}

/// Verdicts as stored in the ledger (language-neutral JSON: actions in both languages).
enum LedgerVerdictJSON {
    static func write(_ v: Verdict) -> String {
        var m = MapValue()
        m.set("incident", .string(v.incident))
        m.set("status", .string(v.status.rawValue))
        m.set("violations", .list(v.violations.map { f in
            var o = MapValue()
            o.set("rule", .string(f.rule))
            o.set("offence", f.offence.map { .int(Int64($0)) } ?? .null)
            o.set("action", f.action.map { .map(MapValue([("zh", .string($0.zh)), ("en", .string($0.en))])) } ?? .null)
            o.set("points", .int(Int64(f.points)))
            return .map(o)
        }))
        m.set("duplicates", .list(v.duplicates.map { .string($0.of) }))
        m.set("points", .int(Int64(v.points)))
        m.set("problems", .list(v.problems.map { .string($0.message.en) }))
        return JSON.write(.map(m))
    }
}
