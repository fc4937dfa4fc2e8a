import CovenantCEL
import CovenantEngine
import CovenantLoader
import CovenantModel
import CovenantReports
import Foundation
import Testing

/// A verdict's digest (what `tally` counts, made instead of the verdict) must say what the verdict
/// says: the same status, place and time, the same rules in the same order with the same points
/// and referrals — and so count to the same tally.
@Suite struct DigestTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func lines(_ path: String) throws -> [[UInt8]] {
        let data = try Data(contentsOf: root.appendingPathComponent(path))
        return Array(data).split(separator: 0x0A).map(Array.init)
    }

    /// Records that are not valid, or not judged the usual way: each must digest as it is verdicted.
    static let odd: [String] = [
        #"{"id":"X-1","occurred_at":"2026-07-03T10:00:00+08:00","category":"nope","household":"H-1","facts":{}}"#,
        #"{"id":"X-2","category":"ebike","where":{"grid":"G9","building":"7","zone":"lobby"},"household":"H-2"}"#,
        #"{"id":"X-3","occurred_at":"not a time","category":"ebike","household":"H-3","where":{"grid":"G1"}}"#,
        #"{"id": "X-4", "occurred_at": "2026-07-04T09:00:00+08:00", "category": "ebike"#,
        #"[1, 2, 3]"#,
    ]

    /// Over the shipped samples (the zh convention's quarter, with its history) and odd records.
    @Test func digestsSayWhatVerdictsSay() throws {
        let file = Self.root.appendingPathComponent("rules/zh/laoshiqu.yaml")
        let result = ConventionLoader.load(file: file.path, options: LoadOptions(ruleRoot: file.deletingLastPathComponent().path))
        let convention = try #require(result.convention)
        let engine = Engine(convention: convention, workers: 2)
        func records(_ lines: [[UInt8]], file: String) -> RecordList {
            RecordList(lines.enumerated().map { IncidentRecord(origin: RecordOrigin(file: file, line: $0.offset + 1), validUTF8JSON: $0.element) })
        }
        let input = records(try Self.lines("samples/incidents/2026-q3.ndjson") + Self.odd.map { Array($0.utf8) }, file: "q3")
        let history = records(try Self.lines("samples/incidents/history-2026-q2.ndjson"), file: "q2")
        var verdicts: [Verdict] = []
        var digests: [VerdictDigest] = []
        let a = try engine.evaluate(source: input, history: history) { verdicts.append($0) }
        let b = try engine.evaluateDigests(source: input, history: history) { digests.append($0) }
        #expect(a == b, "the same summary")
        try #require(verdicts.count == input.records.count && digests.count == verdicts.count)

        let index = Dictionary(uniqueKeysWithValues: convention.rules.enumerated().map { ($0.element.id, $0.offset) })
        var statuses: Set<VerdictStatus> = []
        for (v, d) in zip(verdicts, digests) {
            statuses.insert(v.status)
            #expect(v.status == d.status && v.kind == d.kind && v.occurredAt == d.occurredAt && v.category == d.category
                    && v.household == d.household && v.grid == d.grid && v.building == d.building && v.unit == d.unit
                    && v.zone == d.zone && v.reporter == d.reporter && v.origin == d.origin, "\(v.incident)")
            #expect(v.credits.reduce(0) { $0 + $1.points } == d.credited, "\(v.incident)")
            let rules = v.violations.map { RuleShare(rule: index[$0.rule]!, kind: .violated, points: $0.points, referred: $0.referTo != nil) }
                + v.duplicates.map { RuleShare(rule: index[$0.rule]!, kind: .duplicate) }
                + v.complied.map { RuleShare(rule: index[$0]!, kind: .complied) }
            #expect(rules == d.rules, "\(v.incident)")
        }
        // The samples reach every kind of verdict the digest must mirror.
        #expect(statuses.isSuperset(of: [.violation, .duplicate, .invalid, .noViolation]), "\(statuses)")
        #expect(verdicts.contains { $0.violations.contains { $0.referTo != nil } }, "a referral among the samples")

        for keys in [[], [TallyKey.grid, .rule], [.building, .group], [.household, .severity, .category], [.zone, .reporter, .unit],
                     [.household, .rule]] {
            for period in [Period.month, .quarter, .day] {
                var fromVerdicts = Tally(keys: keys, period: period, convention: convention, roster: nil)
                var fromDigests = Tally(keys: keys, period: period, convention: convention, roster: nil)
                // Digests name rules by index, whose groups are cached per base: here with room for
                // three bases only, the rest looked up the plain way.
                var fewCached = Tally(keys: keys, period: period, convention: convention, roster: nil)
                fewCached.maxCachedGroups = 3 * convention.rules.count
                for v in verdicts { fromVerdicts.add(v) }
                for d in digests {
                    fromDigests.add(d)
                    fewCached.add(d)
                }
                #expect("\(fromVerdicts.rows())" == "\(fromDigests.rows())", "\(keys) by \(period)")
                #expect("\(fromVerdicts.rows())" == "\(fewCached.rows())", "\(keys) by \(period), few cached")
                #expect(fromVerdicts.unplaced == fromDigests.unplaced)
            }
        }
        // In time order (consecutive verdicts sharing their day) and reversed, the same rows.
        let byTime = digests.enumerated().sorted { a, b in
            (a.element.occurredAt?.seconds ?? .min, a.offset) < (b.element.occurredAt?.seconds ?? .min, b.offset)
        }.map(\.element)
        for period in [Period.day, .week, .month, .quarter, .year] {
            var inOrder = Tally(keys: [.grid, .rule], period: period, convention: convention, roster: nil)
            var reversed = Tally(keys: [.grid, .rule], period: period, convention: convention, roster: nil)
            var asRead = Tally(keys: [.grid, .rule], period: period, convention: convention, roster: nil)
            for d in byTime { inOrder.add(d) }
            for d in byTime.reversed() { reversed.add(d) }
            for d in digests { asRead.add(d) }
            #expect("\(inOrder.rows())" == "\(asRead.rows())", "\(period)")
            #expect("\(reversed.rows())" == "\(asRead.rows())", "\(period)")
        }
    }
}
