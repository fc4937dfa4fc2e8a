import CovenantEngine
import CovenantModel
import Testing

@Suite struct DedupeTests {
    let engine = Engine(convention: convention(baseConvention))

    @Test func reportsInsideTheSpanAreDuplicates() {
        let verdicts = engine.evaluate([
            report("A", "2026-05-01T10:00:00+08:00"),
            report("B", "2026-05-01T11:00:00+08:00"),
            report("C", "2026-05-01T12:00:00+08:00"),  // exactly 2h after A: [t − 2h, t] includes A
            report("D", "2026-05-01T12:00:01+08:00"),  // 2h + 1s after A: counted again
        ])
        #expect(verdicts.map(\.status) == [.violation, .duplicate, .duplicate, .violation])
        #expect(verdicts[1].duplicates == [DuplicateFinding(rule: "ebike.charging", of: "A")])
        #expect(verdicts[3].violations.first?.offence == 2)
    }

    @Test func duplicatesNeverOpenASpanNorCount() {
        let verdicts = engine.evaluate([
            report("A", "2026-05-01T10:00:00+08:00"),
            report("B", "2026-05-01T11:30:00+08:00"),  // duplicate of A
            report("C", "2026-05-01T13:00:00+08:00"),  // 3h after A, 1.5h after B: counted (B opened nothing)
        ])
        #expect(verdicts.map(\.status) == [.violation, .duplicate, .violation])
        #expect(verdicts[2].violations.first?.offence == 2)
        #expect(verdicts[2].violations.first?.earlier == ["A"])
    }

    @Test func invalidRecordsCountForNothing() {
        let verdicts = engine.evaluate([
            report("A", "2026-05-01T10:00:00+08:00", evidence: "[]"),  // missing photo: invalid
            report("B", "2026-05-01T11:00:00+08:00"),
        ])
        #expect(verdicts[0].status == .invalid)
        #expect(verdicts[1].status == .violation)
        #expect(verdicts[1].violations.first?.offence == 1)
    }
}
