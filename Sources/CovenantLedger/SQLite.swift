import CSQLite

/// An SQLite error with the database's message.
public struct LedgerError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// SQLite's result code (SQLITE_BUSY = 5 when another process holds the write lock).
    public var code: Int32

    public var description: String { message }
    public var isBusy: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }
}

/// A thin, careful wrapper over the SQLite C library: one connection, prepared statements, and
/// transactions that either commit whole or roll back.
final class Database {
    private(set) var handle: OpaquePointer?

    init(path: String, readOnly: Bool = false, uri: Bool = false) throws(LedgerError) {
        let flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) | (uri ? SQLITE_OPEN_URI : 0)
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(db)
            throw LedgerError(message: message, code: rc)
        }
        handle = db
        sqlite3_busy_timeout(db, 5_000)
    }

    /// Opens a database file read-only as immutable (no locks, no `-shm`): for a file no one
    /// writes while it is read, in a folder the reader cannot write.
    convenience init(immutable path: String) throws(LedgerError) {
        var encoded = ""
        for scalar in path.unicodeScalars {
            switch scalar {
            case "%": encoded += "%25"
            case "?": encoded += "%3f"
            case "#": encoded += "%23"
            default: encoded.unicodeScalars.append(scalar)
            }
        }
        try self.init(path: "file:\(encoded)?immutable=1", readOnly: true, uri: true)
    }

    deinit { sqlite3_close_v2(handle) }

    func error(_ rc: Int32, _ context: String) -> LedgerError {
        LedgerError(message: "\(context): \(String(cString: sqlite3_errmsg(handle)))", code: rc)
    }

    func execute(_ sql: String) throws(LedgerError) {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? "error"
            sqlite3_free(message)
            throw LedgerError(message: text, code: rc)
        }
    }

    func prepare(_ sql: String) throws(LedgerError) -> Statement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw error(rc, "cannot prepare `\(sql)`") }
        return Statement(stmt, database: self)
    }

    /// Runs `body` in one IMMEDIATE transaction (the write lock is taken at the start, so two
    /// writers never interleave): committed when `body` returns, rolled back when it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    var changes: Int { Int(sqlite3_changes(handle)) }
}

/// A prepared statement.
final class Statement {
    private let stmt: OpaquePointer
    private unowned let database: Database

    init(_ stmt: OpaquePointer, database: Database) {
        self.stmt = stmt
        self.database = database
    }

    deinit { sqlite3_finalize(stmt) }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    @discardableResult
    func bind(_ values: [SQLValue]) -> Statement {
        sqlite3_reset(stmt)
        sqlite3_clear_bindings(stmt)
        for (i, v) in values.enumerated() {
            let index = Int32(i + 1)
            switch v {
            case .null: sqlite3_bind_null(stmt, index)
            case .int(let n): sqlite3_bind_int64(stmt, index, n)
            case .text(let s): sqlite3_bind_text(stmt, index, s, -1, Self.transient)
            }
        }
        return self
    }

    /// Runs a statement that returns no rows.
    func run(_ values: [SQLValue] = []) throws(LedgerError) {
        bind(values)
        let rc = sqlite3_step(stmt)
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw database.error(rc, "cannot write to the ledger") }
    }

    /// Runs a query and calls `row` for each result row.
    func query(_ values: [SQLValue] = [], _ row: (Row) throws -> Void) throws {
        bind(values)
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else { throw database.error(rc, "cannot read the ledger") }
            try row(Row(stmt: stmt))
        }
    }
}

/// A value bound to or read from SQL.
enum SQLValue {
    case null
    case int(Int64)
    case text(String)
}

/// A result row.
struct Row {
    let stmt: OpaquePointer

    func int(_ i: Int32) -> Int64 { sqlite3_column_int64(stmt, i) }

    func text(_ i: Int32) -> String? {
        guard sqlite3_column_type(stmt, i) != SQLITE_NULL, let p = sqlite3_column_text(stmt, i) else { return nil }
        return String(cString: p)
    }
}
