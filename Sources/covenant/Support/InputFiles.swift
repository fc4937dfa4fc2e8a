import CovenantEngine
import CovenantIO
import CovenantModel
import CovenantSource

/// Incident files (and standard input, `-`) as a re-readable record source. Standard input is
/// read once into memory; files are read again on each pass.
struct InputFiles: RecordSource {
    let paths: [String]
    let format: IncidentFormat?
    let convention: Convention
    private let stdinBytes: [UInt8]?

    init(paths: [String], format: IncidentFormat?, convention: Convention) throws {
        self.paths = paths
        self.format = format
        self.convention = convention
        self.stdinBytes = paths.contains("-") ? try Files.read("-", limit: Int.max) : nil
        for path in paths where path != "-" {
            guard Files.exists(path) else {
                throw Files.ReadError(message: .init(en: "cannot read `\(path)`: no such file", zh: "无法读取 `\(path)`：文件不存在"))
            }
            guard !Files.isDirectory(path) else {
                throw Files.ReadError(message: .init(en: "cannot read `\(path)`: it is a directory (give the incident files in it)",
                                                     zh: "无法读取 `\(path)`：这是目录（请给出其中的事件文件）"))
            }
        }
    }

    /// Records in batches, in order. NDJSON files stream as batches of undecoded lines (the engine
    /// decodes them on its workers), one chunk at a time whatever the file's size; other formats are
    /// read whole and their records grouped.
    func forEachBatch(_ body: (RecordBatch) throws -> Void) throws {
        var failure: Error?
        func deliver(_ batch: RecordBatch) {
            guard failure == nil else { return }
            do { try body(batch) } catch { failure = error }
        }
        for path in paths {
            if path != "-", (format ?? IncidentFormat.from(path: path)) == .ndjson {
                try Files.withChunks(path) { next in
                    // Once `body` has failed (a run stopping early), no more of the file is read.
                    IncidentReader.forEachNDJSONBatch(file: path, nextChunk: { failure == nil ? next() : nil }, deliver)
                }
            } else {
                let bytes = path == "-" ? stdinBytes ?? [] : try Files.read(path, limit: Int.max)
                let fmt = format ?? IncidentFormat.from(path: path) ?? IncidentFormat.sniff(bytes)
                var batcher = RecordBatcher()
                IncidentReader.forEach(bytes, file: path == "-" ? "<stdin>" : path, format: fmt, convention: convention) { record in
                    if let batch = batcher.add(record) { deliver(batch) }
                }
                if let batch = batcher.finish() { deliver(batch) }
            }
            if let failure { throw failure }
        }
    }

    func forEachRecord(_ body: (IncidentRecord) throws -> Void) throws {
        try forEachBatch { batch in
            for i in 0..<batch.count { try body(batch[i]) }
        }
    }
}
