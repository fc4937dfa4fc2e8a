import CovenantSource
/// RFC 4180 CSV: fields separated by commas, quoted fields with `""` escapes and embedded line
/// breaks, CRLF or LF line ends. Each row keeps the line it starts on.
public struct CSVRow: Sendable {
    /// 1-based line the row starts on.
    public var line: Int
    /// The fields.
    public var fields: [String]
    /// Why the row is malformed (an unterminated quote, text after a closing quote), when it is.
    public var error: LocalizedText?
}

/// A streaming CSV parser over bytes.
public struct CSVParser {
    /// Rows of a whole text; `maxFieldBytes` bounds a single field.
    public static func rows(_ bytes: [UInt8], maxFieldBytes: Int = 1 << 20) -> [CSVRow] {
        var rows: [CSVRow] = []
        var i = 0
        var line = 1
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        while i < bytes.count {
            let start = line
            var fields: [String] = []
            var field: [UInt8] = []
            var error: LocalizedText?
            var inQuotes = false
            var quotedField = false
            var endOfRow = false
            while i < bytes.count, !endOfRow {
                let c = bytes[i]
                if inQuotes {
                    if c == UInt8(ascii: "\"") {
                        if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") {
                            field.append(c)
                            i += 2
                            continue
                        }
                        inQuotes = false
                        i += 1
                        continue
                    }
                    if c == 0x0A { line += 1 }
                    field.append(c)
                    i += 1
                    continue
                }
                switch c {
                case UInt8(ascii: ","):
                    fields.append(String(decoding: field, as: UTF8.self))
                    field.removeAll(keepingCapacity: true)
                    quotedField = false
                    i += 1
                case UInt8(ascii: "\""):
                    if field.isEmpty, !quotedField {
                        inQuotes = true
                        quotedField = true
                    } else {
                        error = error ?? LocalizedText(en: "stray quote in an unquoted field", zh: "未加引号的字段中有多余的引号")
                        field.append(c)
                    }
                    i += 1
                case 0x0D:
                    i += 1
                    if i < bytes.count, bytes[i] == 0x0A { i += 1 }
                    line += 1
                    endOfRow = true
                case 0x0A:
                    i += 1
                    line += 1
                    endOfRow = true
                default:
                    if quotedField { error = error ?? LocalizedText(en: "text after a closing quote", zh: "右引号之后还有文字") }
                    field.append(c)
                    i += 1
                }
                if field.count > maxFieldBytes {
                    error = LocalizedText(en: "field longer than \(maxFieldBytes) bytes", zh: "字段超过 \(maxFieldBytes) 字节")
                    field.removeAll()
                }
            }
            if inQuotes { error = LocalizedText(en: "unterminated quoted field", zh: "引号括起的字段没有结束") }
            fields.append(String(decoding: field, as: UTF8.self))
            if fields.count == 1, fields[0].isEmpty, error == nil { continue }  // blank line
            rows.append(CSVRow(line: start, fields: fields, error: error))
        }
        return rows
    }
}
