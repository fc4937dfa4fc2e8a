import ArgumentParser
import Synchronization
import CovenantModel
import CovenantSource
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything the CLI reads from its surroundings — TTY, `NO_COLOR`, `LANG` — is read here and
/// passed down as values.
enum Terminal {
    /// Whether standard error is a terminal.
    static var stderrIsTTY: Bool { isatty(2) == 1 }
    /// Whether standard output is a terminal.
    static var stdoutIsTTY: Bool { isatty(1) == 1 }

    /// Color only on a TTY, never when `NO_COLOR` is set (to anything) or `TERM=dumb`.
    static func colorAllowed(forStderr: Bool) -> Bool {
        if let v = getenv("NO_COLOR"), v.pointee != 0 { return false }
        if let t = getenv("TERM"), String(cString: t) == "dumb" { return false }
        return forStderr ? stderrIsTTY : stdoutIsTTY
    }

    static func environment(_ name: String) -> String? {
        guard let v = getenv(name) else { return nil }
        return String(cString: v)
    }

    /// The language from `--lang`, else `LC_ALL`, `LC_MESSAGES`, `LANG`, else English.
    static func language(_ option: Language?) -> Language {
        if let option { return option }
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let v = environment(name), !v.isEmpty { return Language.fromLocale(v) }
        }
        return .en
    }

    static func writeError(_ text: String) {
        writeAll(2, text)
    }

    static func write(_ text: String) {
        writeAll(1, text)
    }

    /// Writes UTF-8 bytes to standard output (output built as bytes need not become a string first).
    static func write(bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { writeAll(1, $0) }
    }

    /// Writes all bytes to a file descriptor (unbuffered, so stdout and stderr interleave in order).
    /// Set when the reader of standard output went away (`covenant eval … | head`): output stops,
    /// the run ends with its summary on standard error and its usual exit status.
    static let stdoutClosed = Mutex(false)

    private static func writeAll(_ fd: Int32, _ text: String) {
        var t = text
        t.withUTF8 { writeAll(fd, $0) }
    }

    private static func writeAll(_ fd: Int32, _ buffer: UnsafeBufferPointer<UInt8>) {
        if fd == 1, stdoutClosed.withLock({ $0 }) { return }
        var offset = 0
        while offset < buffer.count {
            let n = SwiftGlibcWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if n <= 0 {
                if n < 0 && errno == EINTR { continue }
                if n < 0 && errno == EPIPE && fd == 1 { stdoutClosed.withLock { $0 = true } }
                return
            }
            offset += n
        }
    }
}

@inline(__always)
private func SwiftGlibcWrite(_ fd: Int32, _ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
    write(fd, p, n)
}

extension Language: ExpressibleByArgument {}

/// The one place the CLI reads the clock: rules never see it (their "now" is the incident's time);
/// `check` uses today's date only to warn about expired exemptions.
enum Clock {
    static func today() -> LocalDate {
        var t = time(nil)
        var tmValue = tm()
        localtime_r(&t, &tmValue)
        return LocalDate(year: Int(tmValue.tm_year) + 1900, month: Int(tmValue.tm_mon) + 1, day: Int(tmValue.tm_mday))
    }
}
