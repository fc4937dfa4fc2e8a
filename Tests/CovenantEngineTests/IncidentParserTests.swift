@testable import CovenantEngine
import Testing

@Suite struct IncidentParserTests {
    /// The switch used on the hot path and the set used for did-you-mean hints name the same fields.
    @Test func envelopeKeySwitchMatchesTheSet() {
        for key in IncidentParser.envelopeKeys { #expect(IncidentParser.isEnvelopeKey(key), "\(key)") }
        for key in ["ID", "facts ", "occurredAt", "", "where.zone", "notes"] { #expect(!IncidentParser.isEnvelopeKey(key), "\(key)") }
        #expect(IncidentParser.envelopeKeys.count == 12)
    }

    @Test(arguments: [(String(repeating: "x", count: 64), false), (String(repeating: "y", count: 65), true), ("short", false)])
    func longKeysAreElidedInMessages(_ key: String, _ elided: Bool) {
        let shown = IncidentParser.elided(key)
        #expect((shown != key) == elided)
        if elided { #expect(shown.hasSuffix("…(\(key.count) chars)") && shown.count < 80) }
    }
}
