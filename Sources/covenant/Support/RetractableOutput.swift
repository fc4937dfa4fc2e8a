import CovenantSource
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard output when what a run writes there can be taken back: a regular file that standard
/// error does not share, written at its end (`covenant eval … > verdicts.ndjson`, or after what a
/// script wrote to it first) — cut back to where the run began. Nothing else is ever cut: not a
/// file opened for appending (`>>`: others may append to it meanwhile), not one written in the
/// middle (`1<>`: the bytes after the run's would go too), not one that refuses to be truncated.
/// Pipes and terminals cannot take anything back; their output is never retracted.
struct RetractableOutput {
    /// Where the run's output begins in the file.
    let start: Int64

    /// Standard output as it is now, if it can be taken back.
    static func standardOutput() -> RetractableOutput? {
        var out = stat(), err = stat()
        guard fstat(1, &out) == 0, out.st_mode & S_IFMT == S_IFREG else { return nil }
        // Standard error into the same file: a warning written there would be cut away too.
        if fstat(2, &err) == 0, err.st_dev == out.st_dev, err.st_ino == out.st_ino { return nil }
        let flags = fcntl(1, F_GETFL)
        guard flags >= 0, flags & O_APPEND == 0 else { return nil }
        let start = Int64(lseek(1, 0, SEEK_CUR))
        guard start == Int64(out.st_size) else { return nil }
        // Truncating to the size it has changes nothing, and fails where truncating would.
        guard ftruncate(1, off_t(start)) == 0 else { return nil }
        return RetractableOutput(start: start)
    }

    /// Cuts standard output back to where the run began.
    func retract(renderer: DiagnosticRenderer) throws {
        guard ftruncate(1, off_t(start)) == 0, lseek(1, off_t(start), SEEK_SET) >= 0 else {
            let reason = Files.reason(errno)
            Terminal.writeError(renderer.render(Diagnostic(.error, code: "U0014", message: .init(
                en: "cannot take back the verdicts written to standard output: \(reason.en) (the file is incomplete; run again)",
                zh: "无法撤回已写入标准输出的裁决：\(reason.zh)（文件不完整，请重新运行）"))))
            throw ExitStatus.usage
        }
    }
}
