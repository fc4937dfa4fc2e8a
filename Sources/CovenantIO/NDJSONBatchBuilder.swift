import CovenantModel

/// Collects NDJSON lines (copied into one buffer) until they are handed over as a ``RecordBatch``
/// whose records are decoded on demand.
struct NDJSONBatchBuilder {
    let file: String
    private var bytes: [UInt8] = []
    /// Per line: its range in `bytes` (nil for a line over the length limit), its line number and
    /// whether it is all ASCII (no UTF-8 validation needed).
    private var lines: [(range: Range<Int>?, line: Int, ascii: Bool)] = []

    init(file: String) { self.file = file }

    var count: Int { lines.count }

    mutating func add(_ line: ArraySlice<UInt8>, line number: Int, ascii: Bool) {
        if IncidentReader.isBlank(line) { return }
        let start = bytes.count
        bytes.append(contentsOf: line)
        lines.append((start..<bytes.count, number, ascii))
    }

    mutating func addOverlong(line number: Int) {
        lines.append((nil, number, false))
    }

    /// The lines so far as a batch; the builder starts over.
    mutating func take() -> RecordBatch {
        let bytes = self.bytes
        let lines = self.lines
        let file = self.file
        // Room for a batch a quarter longer than this one: reserved at exactly its size, the next
        // batch — as many lines, a few bytes more — outgrew it and was copied whole, nearly every time.
        self.bytes = []
        self.bytes.reserveCapacity(bytes.count + bytes.count / 4)
        self.lines = []
        self.lines.reserveCapacity(lines.count)
        return RecordBatch(count: lines.count) { i in
            let (range, line, ascii) = lines[i]
            guard let range else { return IncidentReader.overlongLine(file: file, line: line) }
            return IncidentReader.decodeNDJSONLine(bytes[range], file: file, line: line, ascii: ascii)
        }
    }
}
