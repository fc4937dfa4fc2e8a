@testable import covenant
import CovenantCEL
import CovenantEngine
import CovenantIO
import CovenantLoader
import CovenantModel
import CovenantSource
import Foundation
import Testing

/// `eval` writes each verdict's JSON token by token; it must be, byte for byte, the JSON of the
/// verdict's value (`VerdictFormat.json`, which `validate` and `explain` embed) — over every sample
/// verdict, in both languages, and over verdicts built to hold every optional part and text that
/// needs escaping.
@Suite struct VerdictFormatTests {
    static func sampleVerdicts() throws -> [Verdict] {
        var verdicts: [Verdict] = []
        let loaded = ConventionLoader.load(file: "rules/zh/laoshiqu.yaml", options: LoadOptions(ruleRoot: "rules/zh"))
        let convention = try #require(loaded.convention, "the zh convention loads")
        for incidents in ["samples/incidents/2026-q3.ndjson", "samples/incidents/history-2026-q2.ndjson", "samples/incidents/2026-q3.yaml"] {
            let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: incidents)))
            let format: IncidentFormat = incidents.hasSuffix(".ndjson") ? .ndjson : .yaml
            let records = IncidentReader.read(bytes, file: incidents, format: format, convention: convention)
            verdicts += Engine(convention: convention).evaluate(records)
        }
        return verdicts
    }

    static var constructed: [Verdict] {
        let origin = RecordOrigin(file: "a \"quoted\"\nfile", line: 3)
        let v = Verdict(
            incident: "I-1\u{2028}", status: .credited, category: "ebike", household: "H\t1", occurredAt: Timestamp(seconds: 1_700_000_000, nanos: 500),
            kind: .report, grid: "G01", building: "1", unit: nil, zone: "corridor", reporter: nil,
            violations: [ViolationFinding(rule: "r1", severity: .major, group: "g", offence: 2, action: .init(en: "Warn \\ now", zh: "警告"),
                                          points: -5, publish: .building, referTo: "police", disqualify: nil, earlier: ["E1", "E\"2"])],
            duplicates: [DuplicateFinding(rule: "r2", of: "I-0")],
            exemptions: [ExemptionFinding(rule: "r3", exemption: "x", reason: .init(en: "guide dog", zh: "导盲犬"))],
            credits: [CreditFinding(credit: "c", points: 3)], complied: ["r4"], missingEvidence: [],
            problems: [RecordProblem(.init(en: "bad \u{7F}", zh: "坏"), field: "facts.x"), RecordProblem(.init(en: "no field", zh: "无"))],
            origin: origin)
        let bare = Verdict(
            incident: v.incident, status: .violation, category: nil, household: nil, occurredAt: nil,
            kind: v.kind, grid: v.grid, building: v.building, unit: v.unit, zone: v.zone, reporter: v.reporter,
            violations: [ViolationFinding(rule: "r", severity: .minor, group: nil, offence: nil, action: nil, points: 0, publish: nil,
                                          referTo: nil, disqualify: nil, earlier: [])],
            duplicates: [], exemptions: [], credits: [], complied: v.complied, missingEvidence: v.missingEvidence, problems: [],
            origin: origin)
        return [v, bare]
    }

    @Test func tokenWriterMatchesTheValue() throws {
        let verdicts = try Self.sampleVerdicts() + Self.constructed
        #expect(verdicts.count > 500, "the samples give hundreds of verdicts (\(verdicts.count))")
        for v in verdicts {
            for language in [Language.en, .zh] {
                let expected = JSON.write(VerdictFormat.json(v, language: language))
                #expect(VerdictFormat.jsonText(v, language: language) == expected)
                #expect(VerdictFormat.jsonText(v, language: language, newline: true) == expected + "\n")
            }
        }
    }
}
