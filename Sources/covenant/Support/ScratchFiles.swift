import CovenantEngine
import CovenantSource
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The engine's scratch space on disk: anonymous files in `TMPDIR` (or `/tmp`), unlinked as soon as
/// they are made, so nothing is left behind however the run ends.
struct ScratchFiles: ScratchSpace {
    /// How errors are worded (they end the run with exit status 2).
    let renderer: DiagnosticRenderer

    var directory: String {
        if let dir = Terminal.environment("TMPDIR"), !dir.isEmpty { return dir }
        return "/tmp"
    }

    func makeFile() throws -> any ScratchFile {
        var template = Array((directory + "/covenant-scratch-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw failure("create a scratch file in `\(directory)`", "无法在 `\(directory)` 中创建临时文件") }
        _ = template.withUnsafeBufferPointer { unlink($0.baseAddress!) }
        return DiskScratchFile(fd: fd, space: self)
    }

    fileprivate func failure(_ en: String, _ zh: String) -> ScratchFileError {
        let code = errno
        let reason = Files.reason(code)
        // Too many open files is the process's limit, not the directory's fault.
        let hint: LocalizedText = code == EMFILE || code == ENFILE
            ? .init(en: "raise the limit of open files (ulimit -n; fewer than 200 are needed)",
                    zh: "请提高可打开文件数上限（ulimit -n；所需少于 200 个）")
            : .init(en: "out-of-order violations beyond COVENANT_SPILL_AFTER are kept there; set TMPDIR elsewhere",
                    zh: "超出 COVENANT_SPILL_AFTER 的乱序违约记录存放于此；可将 TMPDIR 设到别处")
        return ScratchFileError(rendered: renderer.render(Diagnostic(.error, code: "U0013", message: .init(
            en: "cannot \(en): \(reason.en) (\(hint.en))", zh: "\(zh)：\(reason.zh)（\(hint.zh)）"))))
    }
}

/// A scratch file could not be made, written or read; `rendered` is the diagnostic as printed.
struct ScratchFileError: Error, CustomStringConvertible {
    let rendered: String
    var description: String { rendered }
}

private final class DiskScratchFile: ScratchFile {
    private let fd: Int32
    private let space: ScratchFiles

    init(fd: Int32, space: ScratchFiles) {
        self.fd = fd
        self.space = space
    }

    deinit { close(fd) }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw space.failure("write a scratch file in `\(space.directory)`", "无法写入 `\(space.directory)` 中的临时文件")
            }
            done += n
        }
    }

    func rewind() throws {
        guard lseek(fd, 0, SEEK_SET) == 0 else {
            throw space.failure("read back a scratch file in `\(space.directory)`", "无法读回 `\(space.directory)` 中的临时文件")
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress!, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR {
                throw space.failure("read back a scratch file in `\(space.directory)`", "无法读回 `\(space.directory)` 中的临时文件")
            }
        }
    }
}
