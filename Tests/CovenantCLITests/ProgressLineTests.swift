@testable import covenant
import CovenantEngine
import CovenantSource
import Testing

/// The progress line's words, in both languages, for every phase of a run.
@Suite struct ProgressLineTests {
    @Test func everyPhaseHasWordsInBothLanguages() {
        let phases: [EvaluationPhase] = [.checkingOrder, .collectingViolations, .numberingOffences, .judging]
        for phase in phases {
            let en = Progress.line(phase, 1_234_567, seconds: 2, language: .en)
            let zh = Progress.line(phase, 1_234_567, seconds: 2, language: .zh)
            #expect(en.contains("1,234,567") && zh.contains("1,234,567"), "\(phase)")
            #expect(en != zh && zh.unicodeScalars.contains { $0.value > 0x4E00 }, "\(phase): \(zh)")
        }
        #expect(Progress.line(.judging, 300_000, seconds: 2, language: .en) == "300,000 verdicts (150,000/s)…")
        #expect(Progress.line(.judging, 2_048, seconds: 0.001, language: .en) == "2,048 verdicts…", "no rate from a moment")
        #expect(Progress.line(.checkingOrder, 999, seconds: 1, language: .en) == "checking each household's order: 999 records read…")
        #expect(Progress.grouped(0) == "0" && Progress.grouped(1_000) == "1,000" && Progress.grouped(-12_345) == "-12,345")
    }
}
