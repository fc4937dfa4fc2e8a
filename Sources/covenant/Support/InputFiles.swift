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

    private init(paths: [String], format: IncidentFormat?, convention: Convention, stdin: [UInt8]?) {
        self.paths = paths
        self.format = format
        self.convention = convention
        self.stdinBytes = stdin
    }

    init(paths: [String], format: IncidentFormat?, convention: Convention) throws {
        self.paths = paths
        self.format = format
        self.convention = convention
        self.stdinBytes = paths.contains("-") ? try Files.read("-", limit: Int.max) : nil
        for path in paths where path != "-" {
            guard Files.exists(path), !Files.isDirectory(path) else {
                throw Files.ReadError(message: .init(en: "cannot read `\(path)`: no such file", zh: "无法读取 `\(path)`：文件不存在"))
            }
        }
    }

    /// NDJSON files are handed over as batches of undecoded lines (the engine parses them on its
    /// workers); other formats are read whole and grouped.
    func forEachBatch(_ body: (RecordBatch) throws -> Void) throws {
        for path in paths {
            if path != "-", (format ?? IncidentFormat.from(path: path)) == .ndjson {
                try Files.withChunks(path) { next in
                    var failure: Error?
                    IncidentReader.forEachNDJSONBatch(file: path, nextChunk: next) { batch in
                        guard failure == nil else { return }
                        do { try body(batch) } catch { failure = error }
                    }
                    if let failure { throw failure }
                }
                continue
            }
            try InputFiles(paths: [path], format: format, convention: convention, stdin: stdinBytes).forEachRecordBatched(body)
        }
    }

    private func forEachRecordBatched(_ body: (RecordBatch) throws -> Void) throws {
        var pending: [IncidentRecord] = []
        try forEachRecord { record in
            pending.append(record)
            if pending.count >= 2048 {
                try body(RecordBatch(pending))
                pending.removeAll(keepingCapacity: true)
            }
        }
        if !pending.isEmpty { try body(RecordBatch(pending)) }
    }

    func forEachRecord(_ body: (IncidentRecord) throws -> Void) throws {
        for path in paths {
            if path != "-", (format ?? IncidentFormat.from(path: path)) == .ndjson {
                // NDJSON streams: one chunk and one line at a time, whatever the file's size.
                try Files.withChunks(path) { next in
                    var failure: Error?
                    IncidentReader.forEachNDJSON(file: path, nextChunk: next) { record in
                        guard failure == nil else { return }
                        do { try body(record) } catch { failure = error }
                    }
                    if let failure { throw failure }
                }
                continue
            }
            let bytes = path == "-" ? stdinBytes ?? [] : try Files.read(path, limit: Int.max)
            let fmt = format ?? IncidentFormat.from(path: path) ?? IncidentFormat.sniff(bytes)
            var failure: Error?
            IncidentReader.forEach(bytes, file: path == "-" ? "<stdin>" : path, format: fmt, convention: convention) { record in
                guard failure == nil else { return }
                do { try body(record) } catch { failure = error }
            }
            if let failure { throw failure }
        }
    }
}
