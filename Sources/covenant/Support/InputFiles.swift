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
            guard Files.exists(path), !Files.isDirectory(path) else {
                throw Files.ReadError(message: .init(en: "cannot read `\(path)`: no such file", zh: "无法读取 `\(path)`：文件不存在"))
            }
        }
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
