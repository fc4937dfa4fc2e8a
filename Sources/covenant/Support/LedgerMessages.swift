import CovenantLedger
import CovenantSource

extension LedgerError {
    /// Why the ledger at `path` cannot be opened, in both languages (SQLite's own text kept as the
    /// detail; a file that is not an SQLite database said plainly).
    func opening(_ path: String) -> LocalizedText {
        if isBusy {
            return LocalizedText(en: "the ledger `\(path)` is busy (another process is recording); try again",
                                 zh: "账本 `\(path)` 正忙（另一个进程正在入账）；请稍后再试")
        }
        if code == 26 /* SQLITE_NOTADB */ {
            return LocalizedText(en: "`\(path)` is not a ledger (not an SQLite database)", zh: "`\(path)` 不是账本（不是 SQLite 数据库）")
        }
        if code == 11 /* SQLITE_CORRUPT */ {
            return LocalizedText(en: "the ledger `\(path)` is damaged (\(message))", zh: "账本 `\(path)` 已损坏（\(message)）")
        }
        if code == 8 /* SQLITE_READONLY */ {
            return LocalizedText(en: "the ledger `\(path)` cannot be written (\(message))", zh: "账本 `\(path)` 无法写入（\(message)）")
        }
        return LocalizedText(en: "cannot open the ledger `\(path)`: \(message)", zh: "无法打开账本 `\(path)`：\(message)")
    }
}
