import CovenantLedger
import CovenantSource

extension LedgerError {
    /// Why the ledger at `path` cannot be opened, in both languages (SQLite's own text kept as the
    /// detail; a file that is not an SQLite database said plainly).
    func opening(_ path: String) -> LocalizedText {
        if code == 26 /* SQLITE_NOTADB */ {
            return LocalizedText(en: "`\(path)` is not a ledger (not an SQLite database)", zh: "`\(path)` 不是账本（不是 SQLite 数据库）")
        }
        return LocalizedText(en: "cannot open the ledger `\(path)`: \(message)", zh: "无法打开账本 `\(path)`：\(message)")
    }
}
