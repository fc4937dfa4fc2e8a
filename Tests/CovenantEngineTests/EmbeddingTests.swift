import Covenant
import CovenantLoader
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

    /// A convention built in code is checked as the loader checks what it reads; a loaded one
    /// passes the same check untouched.
    @Test func conventionsBuiltInCodeAreChecked() throws {
        let loaded = try Rulebook.load(yaml: baseConvention)
        #expect(ConventionLoader.check(loaded.convention).isEmpty)
        #expect(try Rulebook.checked(convention: loaded.convention).convention.rules.count == loaded.convention.rules.count)
        var c = loaded.convention
        c.timezone = "Asia/Shangai"
        let leash = try #require(c.rules.firstIndex { $0.id == "pet.leash" })
        c.rules[leash].escalation!.steps = []
        let noise = try #require(c.rules.firstIndex { $0.id == "noise.night" })
        c.rules[noise].id = "ebike.charging"
        let exit = try #require(c.rules.firstIndex { $0.id == "ebike.exit" })
        c.rules[exit].category = "bikes"
        c.exemptions[0].rules = ["pet.lease"]
        var centuries = try #require(DSLDuration.parse("1d"))
        centuries.seconds = 300 * 365 * 86_400
        c.rules[0].dedupe = centuries
        do {
            _ = try Rulebook.checked(convention: c)
            Issue.record("a broken convention was accepted")
        } catch {
            #expect(Set(error.diagnostics.map(\.code)) == ["L0020", "L0007", "L0006", "L0011", "L0022", "L0004"], "\(error.diagnostics.map(\.message.en))")
            #expect(error.diagnostics.allSatisfy { $0.severity == .error })
        }
    }

    /// Loading keeps the lint warnings; `validate(json:)` refuses JSON holding several records.
    @Test func warningsAndOneRecordOnly() throws {
        let book = try Rulebook.load(yaml: baseConvention)
        let unused = try Rulebook.load(yaml: baseConvention.replacingOccurrences(of: "categories:\n", with: "categories:\n  spare: { title: { zh: 备用, en: Spare }, facts: {} }\n"))
        #expect(unused.warnings.contains { $0.code == "W0002" }, "\(unused.warnings.map(\.code))")
        let two = book.validate(json: #"[{"id": "A", "occurred_at": "2026-05-01T10:00:00+08:00", "category": "noise", "facts": {"source": "x"}}, {"id": "B", "occurred_at": "2026-05-01T10:00:00+08:00", "category": "noise", "facts": {"source": "x"}}]"#)
        #expect(two.status == .invalid)
        #expect(two.problems.first?.message.en.hasPrefix("the JSON holds 2 records") == true)
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
