import CovenantCEL
import CovenantModel
import CovenantSource
import CovenantYAML

/// Formats incident files come in.
public enum IncidentFormat: String, Sendable, CaseIterable {
    case yaml, json, ndjson, csv

    /// The format a file name implies; nil when the name says nothing.
    public static func from(path: String) -> IncidentFormat? {
        let lower = path.lowercased()
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") { return .yaml }
        if lower.hasSuffix(".ndjson") || lower.hasSuffix(".jsonl") { return .ndjson }
        if lower.hasSuffix(".json") { return .json }
        if lower.hasSuffix(".csv") { return .csv }
        return nil
    }

    /// Guesses the format of content without a telling name (standard input): a list is JSON; an
    /// object that ends on its first line with more lines after it is NDJSON (whatever those lines
    /// hold: a broken one is then an invalid record of its own, not the whole input); any other
    /// object is one JSON document; anything else YAML.
    public static func sniff(_ bytes: [UInt8]) -> IncidentFormat {
        var i = 0
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        guard i < bytes.count else { return .yaml }
        if bytes[i] == UInt8(ascii: "[") { return .json }
        guard bytes[i] == UInt8(ascii: "{") else { return .yaml }
        guard let end = firstLineObjectEnd(bytes, from: i) else { return .json }
        // Past the object's line: any other non-blank line makes the input NDJSON.
        var k = end
        while k < bytes.count, bytes[k] != 0x0A {
            // Something else after the object on its own line: not NDJSON (JSON reports it).
            if ![0x20, 0x09, 0x0D].contains(bytes[k]) { return .json }
            k += 1
        }
        while k < bytes.count {
            if ![0x20, 0x09, 0x0A, 0x0D].contains(bytes[k]) { return .ndjson }
            k += 1
        }
        return .json
    }

    /// Where the object starting at `start` ends (just past its `}`), when it ends on the line it
    /// starts on; nil when a line break comes first (a pretty-printed document) or the line is not
    /// closed within the first megabyte.
    static func firstLineObjectEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var depth = 0
        var inString = false
        var escaped = false
        var k = start
        let limit = min(bytes.count, start + 1 << 20)
        while k < limit {
            let b = bytes[k]
            k += 1
            if b == 0x0A { return nil }
            if inString {
                if escaped { escaped = false } else if b == 0x5C { escaped = true } else if b == 0x22 { inString = false }
                continue
            }
            switch b {
            case 0x22: inString = true
            case 0x7B, 0x5B: depth += 1
            case 0x7D, 0x5D:
                depth -= 1
                if depth == 0 { return k }
            default: break
            }
        }
        return nil
    }
}

/// Reads incident records from bytes in any supported format. A record that cannot be read
/// becomes a record holding its problem and line — never a crash, never silently dropped.
public enum IncidentReader {
    /// Longest NDJSON/CSV line accepted (bytes).
    public static let maxLineBytes = 1 << 20

    /// Reads every record of a file's bytes. `convention` types CSV cells by the facts' declarations.
    public static func read(_ bytes: [UInt8], file: String, format: IncidentFormat, convention: Convention?) -> [IncidentRecord] {
        var out: [IncidentRecord] = []
        forEach(bytes, file: file, format: format, convention: convention) { out.append($0) }
        return out
    }

    /// Calls `body` with every record of a file's bytes, in order.
    public static func forEach(
        _ bytes: [UInt8], file: String, format: IncidentFormat, convention: Convention?, _ body: (IncidentRecord) -> Void
    ) {
        switch format {
        case .ndjson: readNDJSON(bytes, file: file, body)
        case .json: readJSON(bytes, file: file, body)
        case .yaml: readYAML(bytes, file: file, body)
        case .csv: readCSV(bytes, file: file, convention: convention, body)
        }
    }

    static func problem(_ en: String, _ zh: String, file: String, line: Int) -> IncidentRecord {
        IncidentRecord(origin: RecordOrigin(file: file, line: line), content: .failure(RecordProblem(.init(en: en, zh: zh))))
    }

    static func record(_ value: Value, file: String, line: Int) -> IncidentRecord {
        IncidentRecord(origin: RecordOrigin(file: file, line: line), content: IncidentRecord.fields(of: value))
    }

    // MARK: - NDJSON

    /// Streams NDJSON records from successive chunks of a file (`nextChunk` returns nil at the end),
    /// holding one batch of lines at a time: memory does not grow with the file.
    public static func forEachNDJSON(file: String, nextChunk: () -> [UInt8]?, _ body: (IncidentRecord) -> Void) {
        forEachNDJSONBatch(file: file, nextChunk: nextChunk) { batch in
            for i in 0..<batch.count { body(batch[i]) }
        }
    }

    /// Streams NDJSON from successive chunks as batches of at most `batchLines` undecoded lines
    /// (blank lines left out): each batch's records are parsed only when asked for, on whatever
    /// thread asks — so a parallel consumer parses in parallel.
    public static func forEachNDJSONBatch(
        file: String, nextChunk: () -> [UInt8]?, batchLines: Int = RecordBatch.standardSize, _ body: (RecordBatch) -> Void
    ) {
        var builder = NDJSONBatchBuilder(file: file)
        var pending: [UInt8] = []
        var line = 1
        var first = true
        var overlong = false
        func add(_ bytes: ArraySlice<UInt8>, ascii: Bool) {
            if overlong {
                builder.addOverlong(line: line)
                overlong = false
            } else {
                builder.add(bytes, line: line, ascii: ascii)
            }
            if builder.count >= batchLines { body(builder.take()) }
        }
        while let chunk = nextChunk() {
            var data = chunk[...]
            if first, chunk.count >= 3, chunk[0] == 0xEF, chunk[1] == 0xBB, chunk[2] == 0xBF { data = chunk[3...] }
            first = false
            var start = data.startIndex
            while true {
                let (found, ascii) = chunk.withUnsafeBufferPointer { Self.lineEnd(in: $0, from: start) }
                guard let newline = found else { break }
                if pending.isEmpty {
                    add(data[start..<newline], ascii: ascii)
                } else {
                    if !overlong { pending.append(contentsOf: data[start..<newline]) }
                    add(pending[...], ascii: false)
                    pending.removeAll(keepingCapacity: true)
                }
                line += 1
                start = newline + 1
            }
            if start < data.endIndex, !overlong {
                if pending.count + (data.endIndex - start) > maxLineBytes {
                    overlong = true
                    pending.removeAll(keepingCapacity: true)
                } else {
                    pending.append(contentsOf: data[start..<data.endIndex])
                }
            }
        }
        if !pending.isEmpty || overlong { add(pending[...], ascii: false) }
        if builder.count > 0 { body(builder.take()) }
    }

    /// The next line end in `bytes` at or after `from` — the index of its `\n`, nil when none
    /// follows — and whether every byte from `from` up to it (or to the end) is ASCII: such a line
    /// is valid UTF-8 without a second look. Sixteen bytes a step; the one pass over the input
    /// that finds lines also spares their validation.
    static func lineEnd(in b: UnsafeBufferPointer<UInt8>, from: Int) -> (newline: Int?, ascii: Bool) {
        guard let base = b.baseAddress else { return (nil, true) }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let pattern: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
        /// High bits of the words passed (only bytes before the newline are or-ed in).
        var high: UInt64 = 0
        var i = from
        // The classic "has a zero byte" test on word ^ pattern: its lowest flag is the first
        // newline exactly (a wrong flag can only come from a borrow above a true zero).
        @inline(__always) func newlines(_ word: UInt64) -> UInt64 {
            let x = word ^ pattern
            return (x &- ones) & ~x & highs
        }
        /// The bytes of a word below its `k`th.
        @inline(__always) func below(_ k: Int) -> UInt64 { k == 0 ? 0 : ~0 >> UInt64(64 - 8 * k) }
        while i + 16 <= b.count {
            let a = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            let c = UnsafeRawPointer(base + i + 8).loadUnaligned(as: UInt64.self)
            let inA = newlines(a), inC = newlines(c)
            if inA | inC == 0 {
                high |= a | c
                i += 16
                continue
            }
            if inA != 0 {
                let k = inA.trailingZeroBitCount >> 3
                high |= a & below(k)
                return (i + k, high & highs == 0)
            }
            let k = inC.trailingZeroBitCount >> 3
            high |= a | (c & below(k))
            return (i + 8 + k, high & highs == 0)
        }
        var tail: UInt8 = 0
        while i < b.count {
            let c = base[i]
            if c == 0x0A { return (i, high & highs == 0 && tail < 0x80) }
            tail |= c
            i += 1
        }
        return (nil, high & highs == 0 && tail < 0x80)
    }

    /// Whether an NDJSON line holds nothing but blanks (and a final CR): such lines are skipped.
    static func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    /// The record on a non-blank NDJSON line, or the reason there is none.
    /// `ascii`: the line is known to hold only ASCII bytes (so it is valid UTF-8).
    static func decodeNDJSONLine(_ line: ArraySlice<UInt8>, file: String, line number: Int, ascii: Bool = false) -> IncidentRecord {
        var slice = line
        if let last = slice.last, last == 0x0D { slice = slice.dropLast() }
        if slice.count > maxLineBytes {
            return overlongLine(file: file, line: number)
        }
        guard ascii || slice.withUnsafeBufferPointer({ UTF8Validation.isValid($0) }) else {
            return problem("line is not valid UTF-8", "该行不是有效的 UTF-8", file: file, line: number)
        }
        // Kept as text: the engine decodes straight from the bytes (see IncidentRecord.json), and
        // anything else that reads `content` gets it parsed then.
        return IncidentRecord(origin: RecordOrigin(file: file, line: number), validUTF8JSON: slice)
    }

    static func overlongLine(file: String, line: Int) -> IncidentRecord {
        problem("line is longer than the limit of \(maxLineBytes) bytes", "该行超过 \(maxLineBytes) 字节的上限", file: file, line: line)
    }

    /// NDJSON held in memory: the streaming reader, given it as one chunk.
    static func readNDJSON(_ bytes: [UInt8], file: String, _ body: (IncidentRecord) -> Void) {
        var given = false
        forEachNDJSON(file: file, nextChunk: {
            defer { given = true }
            return given ? nil : bytes
        }, body)
    }

    // MARK: - JSON

    static func readJSON(_ bytes: [UInt8], file: String, _ body: (IncidentRecord) -> Void) {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            body(problem("file is not valid UTF-8", "文件不是有效的 UTF-8", file: file, line: 1))
            return
        }
        // Split a top-level array into its elements so that each keeps its line and one bad element
        // does not take the others with it.
        guard let elements = JSONArraySplitter.elements(Array(text.utf8)) else {
            do {
                body(record(try JSON.parse(text), file: file, line: 1))
            } catch {
                body(problem("invalid JSON at \(error.location): \(error.message.en)",
                             "JSON 无效（\(error.location)）：\(error.message.zh)", file: file, line: error.location.line))
            }
            return
        }
        for element in elements {
            let slice = String(decoding: element.bytes, as: UTF8.self)
            do {
                body(record(try JSON.parse(slice), file: file, line: element.line))
            } catch {
                body(problem("invalid JSON: \(error.message.en)", "JSON 无效：\(error.message.zh)", file: file,
                             line: element.line + error.location.line - 1))
            }
        }
    }

    // MARK: - YAML

    static func readYAML(_ bytes: [UInt8], file: String, _ body: (IncidentRecord) -> Void) {
        do {
            let stream = try YAMLReader.parseStream(bytes: bytes, file: file)
            for document in stream.documents {
                if let items = document.root.sequence {
                    for item in items { body(record(YAMLValues.value(of: item), file: file, line: item.span.start.line)) }
                } else if document.root.isNull {
                    continue
                } else {
                    body(record(YAMLValues.value(of: document.root), file: file, line: document.root.span.start.line))
                }
            }
        } catch {
            let line = error.span?.start.line ?? 1
            body(IncidentRecord(origin: RecordOrigin(file: file, line: line),
                                content: .failure(RecordProblem(error.diagnostic.message))))
        }
    }

    // MARK: - CSV

    /// CSV columns: `id`, `kind`, `occurred_at`, `reported_at`, `reporter` (or `reporter.id`,
    /// `reporter.role`), `grid`/`building`/`unit`/`zone` (or `where.*`), `household`, `category`,
    /// `facts.NAME`, `evidence` (types separated by `;`). Empty cells are absent values.
    static func readCSV(_ bytes: [UInt8], file: String, convention: Convention?, _ body: (IncidentRecord) -> Void) {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            body(problem("file is not valid UTF-8", "文件不是有效的 UTF-8", file: file, line: 1))
            return
        }
        let rows = CSVParser.rows(bytes, maxFieldBytes: maxLineBytes)
        guard let header = rows.first else { return }
        let columns = header.fields.map { $0.trimmingCharacters() }
        for row in rows.dropFirst() {
            if let error = row.error {
                body(problem("malformed CSV row: \(error.en)", "CSV 行格式错误：\(error.zh)", file: file, line: row.line))
                continue
            }
            if row.fields.count != columns.count {
                body(problem("row has \(row.fields.count) fields, the header has \(columns.count)",
                             "该行有 \(row.fields.count) 个字段，表头有 \(columns.count) 个", file: file, line: row.line))
                continue
            }
            var map = MapValue()
            var facts = MapValue()
            var whereMap = MapValue()
            var reporter = MapValue()
            let category = zip(columns, row.fields).first { $0.0 == "category" }?.1
            for (column, cell) in zip(columns, row.fields) where !cell.isEmpty {
                switch column {
                case "grid", "building", "unit", "zone": whereMap.set(column, .string(cell))
                case "reporter", "reporter.id": reporter.set("id", .string(cell))
                case "reporter.role": reporter.set("role", .string(cell))
                case "evidence":
                    map.set("evidence", .list(cell.split(separator: ";").map { .string(String($0).trimmingCharacters()) }))
                default:
                    if column.hasPrefix("where.") {
                        whereMap.set(String(column.dropFirst(6)), .string(cell))
                    } else if column.hasPrefix("facts.") {
                        let name = String(column.dropFirst(6))
                        let type = category.flatMap { convention?.categories[$0]?.facts.first { $0.name == name }?.type }
                        facts.set(name, typed(cell, type))
                    } else {
                        map.set(column, .string(cell))
                    }
                }
            }
            if whereMap.count > 0 { map.set("where", .map(whereMap)) }
            if reporter.count > 0 { map.set("reporter", .map(reporter)) }
            if facts.count > 0 { map.set("facts", .map(facts)) }
            body(IncidentRecord(origin: RecordOrigin(file: file, line: row.line), content: .success(map)))
        }
    }

    /// A CSV cell typed by the fact's declared type (left as a string when it does not parse, so the
    /// engine reports the wrong type).
    static func typed(_ cell: String, _ type: FactType?) -> Value {
        switch type {
        case .bool?:
            if cell == "true" { return .bool(true) }
            if cell == "false" { return .bool(false) }
        case .int?:
            if let i = Int64(cell) { return .int(i) }
        case .double?:
            if let d = Double(cell), d.isFinite { return .double(d) }
        case .list?:
            if cell.hasPrefix("["), let v = try? JSON.parse(cell) { return v }
            return .list(cell.split(separator: ";").map { .string(String($0)) })
        default: break
        }
        return .string(cell)
    }
}

extension String {
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}

/// Finds the elements of a top-level JSON array without parsing them, with the line each starts on.
enum JSONArraySplitter {
    struct Element {
        var bytes: ArraySlice<UInt8>
        var line: Int
    }

    static func elements(_ b: [UInt8]) -> [Element]? {
        var i = 0
        var line = 1
        func skip() {
            while i < b.count, [0x20, 0x09, 0x0A, 0x0D].contains(b[i]) {
                if b[i] == 0x0A { line += 1 }
                i += 1
            }
        }
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { i = 3 }
        skip()
        guard i < b.count, b[i] == UInt8(ascii: "[") else { return nil }
        i += 1
        var out: [Element] = []
        skip()
        if i < b.count, b[i] == UInt8(ascii: "]") { return [] }
        while i < b.count {
            skip()
            let start = i
            let startLine = line
            var depth = 0
            var inString = false
            while i < b.count {
                let c = b[i]
                if inString {
                    if c == UInt8(ascii: "\\") { i += 2; continue }
                    if c == UInt8(ascii: "\"") { inString = false }
                    if c == 0x0A { line += 1 }
                    i += 1
                    continue
                }
                if c == UInt8(ascii: "\"") { inString = true }
                else if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") { depth += 1 }
                else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                    if depth == 0 { break }
                    depth -= 1
                } else if c == UInt8(ascii: ","), depth == 0 { break }
                if c == 0x0A { line += 1 }
                i += 1
            }
            out.append(Element(bytes: b[start..<min(i, b.count)], line: startLine))
            guard i < b.count else { return nil }
            if b[i] == UInt8(ascii: "]") { return out }
            i += 1
        }
        return nil
    }
}
