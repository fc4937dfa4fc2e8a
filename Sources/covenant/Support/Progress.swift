import CovenantSource
#if canImport(Glibc)
import Glibc
#endif

/// A progress line on standard error for long runs, only when standard error is a terminal.
final class Progress {
    private let enabled: Bool
    private let language: Language
    private var count = 0
    private var lastShown: Int = 0
    private var started = timespec()

    init(enabled: Bool, language: Language) {
        self.enabled = enabled
        self.language = language
        clock_gettime(CLOCK_MONOTONIC, &started)
    }

    func tick() {
        count += 1
        guard enabled, count - lastShown >= 10_000 else { return }
        lastShown = count
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let seconds = max(0.001, Double(now.tv_sec - started.tv_sec) + Double(now.tv_nsec - started.tv_nsec) / 1e9)
        let rate = Int(Double(count) / seconds)
        Terminal.writeError(language == .zh ? "\r已判定 \(count) 条（每秒 \(rate) 条）…" : "\r\(count) verdicts (\(rate)/s)…")
    }

    func finish() {
        if enabled && lastShown > 0 { Terminal.writeError("\r\u{1B}[K") }
    }
}
