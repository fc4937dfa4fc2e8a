import CovenantCEL
import CovenantEngine
import CovenantModel
import Testing

/// `LiveValidator.forget(before:)` drops what can no longer count: verdicts on incidents from the
/// cut-off on are those of a validator that forgot nothing, and memory shrinks.
@Suite struct LiveValidatorTests {
    @Test(arguments: [3, 4] as [UInt64])
    func forgettingChangesNoLaterVerdict(seed: UInt64) async throws {
        var c = convention(baseConvention)
        // Short windows, so that a month of incidents leaves plenty to forget.
        for i in c.rules.indices where c.rules[i].escalation != nil {
            c.rules[i].escalation!.window = try #require(DSLDuration.parse("2d"))
        }
        for i in c.rules.indices where c.rules[i].dedupe != nil { c.rules[i].dedupe = DSLDuration.parse("1h") }
        let engine = Engine(convention: c)
        let tests = OrderIndependenceTests()
        // In time order, as a live service mostly sees them.
        let records = tests.incidents(seed: seed, count: 120).sorted { a, b in
            let ta = engine.evaluate([a])[0].occurredAt!, tb = engine.evaluate([b])[0].occurredAt!
            return ta < tb
        }
        let cut = records.count / 2
        let cutoff = try #require(engine.evaluate([records[cut]])[0].occurredAt)
        let remembering = LiveValidator(engine: engine), forgetting = LiveValidator(engine: engine)
        var reference: [String] = [], after: [String] = []
        for (i, record) in records.enumerated() {
            if i == cut {
                let before = await forgetting.remembered
                await forgetting.forget(before: cutoff)
                let left = await forgetting.remembered
                #expect(left < before, "nothing forgotten (\(before) remembered)")
            }
            reference.append(tests.key(await remembering.validate(record)))
            after.append(tests.key(await forgetting.validate(record)))
        }
        #expect(Array(after[cut...]) == Array(reference[cut...]))
    }
}
