import Covenant
import Testing

/// The public façade: the README's embedding example, and live validation agreeing with batches.
@Suite struct EmbeddingTests {
    @Test func readmeExample() throws {
        let book = try Rulebook.load(yaml: baseConvention)
        let verdict = book.validate(json: """
            {"id": "INC-1", "occurred_at": "2026-11-03T21:40:00+08:00", "household": "H-12-2-301",
             "where": {"zone": "corridor"}, "category": "ebike",
             "facts": {"location": "corridor", "charging": true}, "evidence": [{"type": "photo"}]}
            """)
        #expect(verdict.status == .violation)
        #expect(verdict.violations.first?.rule == "ebike.charging")
        #expect(verdict.violations.first?.action?.en == "Persuade")
    }

    @Test func loadErrorsCarryDiagnostics() {
        #expect(throws: RulebookError.self) { try Rulebook.load(yaml: "covenant: 1\nid: x\nrules: [ { id: r } ]\n") }
        do {
            _ = try Rulebook.load(yaml: "covenant: 1\nid: x\nrules: [ { id: r } ]\n")
        } catch {
            #expect(error.diagnostics.contains { $0.code == "L0002" })
        }
    }

    @Test func liveValidationAgreesWithTheBatchForTimeOrderedInput() async throws {
        let book = try Rulebook.load(yaml: baseConvention)
        let records = (0..<20).map { i in
            report("L\(i < 10 ? "0" : "")\(i)", "2026-05-\(10 + i)T\(i % 2 == 0 ? "10" : "11"):00:00+08:00",
                   household: "H-\(i % 3)")
        }
        let batch = book.evaluate(records)
        let stream = AsyncStream<IncidentRecord> { c in
            for r in records { c.yield(r) }
            c.finish()
        }
        var live: [Verdict] = []
        for try await v in book.verdicts(for: stream) { live.append(v) }
        #expect(live.map(\.status) == batch.map(\.status))
        #expect(live.map { $0.violations.first?.offence } == batch.map { $0.violations.first?.offence })
    }

    @Test func rulebookIsSharedAcrossTasks() async throws {
        let book = try Rulebook.load(yaml: baseConvention)
        let statuses = await withTaskGroup(of: VerdictStatus.self) { group in
            for i in 0..<16 {
                group.addTask {
                    book.evaluate([report("T\(i)", "2026-05-01T10:00:00+08:00")])[0].status
                }
            }
            var out: [VerdictStatus] = []
            for await s in group { out.append(s) }
            return out
        }
        #expect(statuses.count == 16 && statuses.allSatisfy { $0 == .violation })
    }
}
