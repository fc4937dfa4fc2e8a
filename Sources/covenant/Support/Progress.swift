import CovenantEngine
import CovenantSource
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A progress line on standard error for long runs, only when standard error is a terminal: what
/// the engine is doing (checking each household's order, collecting out-of-order violations,
/// numbering offences, judging) and how far it has got, redrawn at most four times a second.
///
/// `@unchecked Sendable`: the engine calls ``update(_:_:)`` only on the thread that runs the
/// evaluation, which is also the only thread that calls ``finish()``.
final class Progress: @unchecked Sendable {
    private let enabled: Bool
    private let language: Language
    private var started = timespec()
    private var lastShown = timespec()
    private var shown = false
    /// The phase last reported, and when it began (rates are per phase).
    private var phase: EvaluationPhase?
    private var phaseStarted = timespec()

    init(enabled: Bool, language: Language) {
        self.enabled = enabled
        self.language = language
        clock_gettime(CLOCK_MONOTONIC, &started)
    }

    /// Installs this display as `engine`'s progress callback (when it is enabled at all).
    func attach(to engine: inout Engine) {
        guard enabled else { return }
        engine.onProgress = { [self] phase, count in update(phase, count) }
    }

    func update(_ phase: EvaluationPhase, _ count: Int) {
        guard enabled else { return }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        if phase != self.phase {
            self.phase = phase
            phaseStarted = now
        }
        let sinceShown = Self.seconds(from: lastShown, to: now)
        guard !shown || sinceShown >= 0.25 else { return }
        // Nothing for a run that ends within its first half second.
        guard Self.seconds(from: started, to: now) >= 0.5 else { return }
        lastShown = now
        shown = true
        Terminal.writeError("\r\u{1B}[K" + Self.line(phase, count, seconds: Self.seconds(from: phaseStarted, to: now), language: language))
    }

    /// The words for a phase: `count` grouped by thousands, and for judging the rate since it began.
    static func line(_ phase: EvaluationPhase, _ count: Int, seconds: Double, language: Language) -> String {
        let n = grouped(count)
        switch (phase, language) {
        case (.checkingOrder, .zh): return "检查各住户记录的时间顺序：已读 \(n) 条…"
        case (.checkingOrder, _): return "checking each household's order: \(n) records read…"
        case (.collectingViolations, .zh): return "收集时间顺序错乱住户的违约：已读 \(n) 条…"
        case (.collectingViolations, _): return "collecting the violations of households out of order: \(n) records read…"
        case (.numberingOffences, .zh): return "为违约编号：已编 \(n) 条…"
        case (.numberingOffences, _): return "numbering offences: \(n) violations…"
        // A rate once the phase has run long enough for one to mean something.
        case (.judging, .zh) where seconds >= 0.5: return "已判定 \(n) 条（每秒 \(grouped(Int(Double(count) / seconds))) 条）…"
        case (.judging, .zh): return "已判定 \(n) 条…"
        case (.judging, _) where seconds >= 0.5: return "\(n) verdicts (\(grouped(Int(Double(count) / seconds)))/s)…"
        case (.judging, _): return "\(n) verdicts…"
        }
    }

    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    private static func seconds(from a: timespec, to b: timespec) -> Double {
        Double(b.tv_sec - a.tv_sec) + Double(b.tv_nsec - a.tv_nsec) / 1e9
    }

    /// Clears the progress line, if one was drawn.
    func finish() {
        if enabled && shown { Terminal.writeError("\r\u{1B}[K") }
    }
}
