import CovenantCEL
import CovenantEngine
import CovenantModel
import CovenantReports
import CovenantSource

/// The outcome of one case.
public struct RuleTestResult: Sendable {
    public var name: String
    public var span: SourceSpan
    /// Mismatches, each "what: expected X, got Y" (in both languages); empty when the case passed.
    public var failures: [LocalizedText]
    public var passed: Bool { failures.isEmpty }
}

/// Per-rule coverage: whether any case made the rule apply, comply and be violated, and which
/// ladder steps were reached.
public struct RuleCoverage: Sendable {
    public var rule: String
    public var applied = false
    public var complied = false
    public var violated = false
    public var stepsReached: Set<Int> = []
    public var stepCount: Int
    /// False for a rule whose `violation` is the constant `true` (applying is breaching): no case
    /// can show it complied with, so coverage does not ask for one.
    public var canComply = true

    /// Items covered and items to cover: violated, complied (when possible), and every ladder step.
    public var covered: Int { (violated ? 1 : 0) + (complied && canComply ? 1 : 0) + stepsReached.filter { $0 > 1 }.count }
    public var total: Int { 1 + (canComply ? 1 : 0) + max(0, stepCount - 1) }
}

/// Runs rule tests against a convention.
public struct RuleTestRunner: Sendable {
    let convention: Convention
    /// Built once: the engine's per-category plans do not depend on the roster a case brings.
    let engine: Engine

    public init(convention: Convention) {
        self.convention = convention
        self.engine = Engine(convention: convention, workers: 1)
    }

    /// Default local time for incidents that give none: noon on the convention's first day (or
    /// 2026-01-01), one day apart within a case.
    func defaultTime(_ index: Int) -> String {
        let start = convention.effective.from ?? LocalDate(year: 2026, month: 1, day: 1)
        let days = TimeZones.days(year: start.year, month: start.month, day: start.day) + Int64(index)
        let d = TimeZones.date(days: days)
        let noon = Timestamp(seconds: days * 86_400 + 43_200)!
        let offset = TimeZones.offset(convention.timezone, atUnixSeconds: noon.seconds) ?? 0
        let sign = offset < 0 ? "-" : "+"
        let o = abs(offset)
        func p(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
        return "\(d.year)-\(p(d.month))-\(p(d.day))T12:00:00\(sign)\(p(o / 3600)):\(p(o / 60 % 60))"
    }

    /// Fills what a test incident may leave out: id, kind, occurred_at, household, and — when
    /// `evidence` is absent — every evidence type the category's rules ask for.
    func complete(_ m: MapValue, case name: String, index: Int) -> MapValue {
        var r = m
        if r["id"] == nil { r.set("id", .string("\(name)#\(index + 1)")) }
        if r["occurred_at"] == nil { r.set("occurred_at", .string(defaultTime(index))) }
        if r["household"] == nil { r.set("household", .string("H-TEST")) }
        if r["evidence"] == nil, case .string(let category)? = r["category"] {
            var counts: [String: Int] = [:]
            for rule in convention.rules where rule.category == category {
                for alternative in rule.evidence?.alternatives.prefix(1) ?? [] {
                    for need in alternative { counts[need.type] = max(counts[need.type] ?? 0, need.count) }
                }
            }
            var items: [Value] = []
            for (type, n) in counts.sorted(by: { $0.key < $1.key }) {
                for _ in 0..<n { items.append(.map(MapValue([("type", .string(type))]))) }
            }
            r.set("evidence", .list(items))
        }
        return r
    }

    public func run(_ testCase: RuleTestCase, coverage: inout [String: RuleCoverage]) -> RuleTestResult {
        let engine = self.engine.with(roster: testCase.roster)
        let origin = RecordOrigin(file: testCase.span.file, line: testCase.span.start.line)
        let history = testCase.history.enumerated().map {
            IncidentRecord(origin: origin, content: .success(complete($0.element, case: testCase.name + "/history", index: $0.offset)))
        }
        let records = testCase.incidents.enumerated().map {
            IncidentRecord(origin: origin, content: .success(complete($0.element, case: testCase.name, index: $0.offset)))
        }
        let verdicts = engine.evaluate(records, history: history)
        var failures: [LocalizedText] = []
        for (i, v) in verdicts.enumerated() {
            record(v, into: &coverage)
            guard let e = testCase.expectations[i] else { continue }
            failures += compare(e, v).map { f in
                verdicts.count > 1 ? LocalizedText(en: "incident \(i + 1) (\(v.incident)) " + f.en, zh: "第 \(i + 1) 个事件（\(v.incident)）" + f.zh) : f
            }
        }
        if let r = testCase.recognize {
            failures += recognitions(r, verdicts: verdicts, history: engine.evaluate(history), roster: testCase.roster ?? Roster())
        }
        return RuleTestResult(name: testCase.name, span: testCase.span, failures: failures)
    }

    func record(_ v: Verdict, into coverage: inout [String: RuleCoverage]) {
        for f in v.violations {
            coverage[f.rule]?.applied = true
            coverage[f.rule]?.violated = true
            if let n = f.offence, let steps = coverage[f.rule]?.stepCount, steps > 0 {
                coverage[f.rule]?.stepsReached.insert(min(n, steps))
            }
        }
        for r in v.complied {
            coverage[r]?.applied = true
            coverage[r]?.complied = true
        }
    }

    public func emptyCoverage() -> [String: RuleCoverage] {
        Dictionary(convention.rules.map { rule in
            var c = RuleCoverage(rule: rule.id, stepCount: rule.escalation?.steps.count ?? 0)
            if case .literal(.bool(true)) = rule.violation.program.checked.root.kind { c.canComply = false }
            return (rule.id, c)
        }, uniquingKeysWith: { first, _ in first })
    }

    /// One mismatch: what was expected and what the verdict holds (field names and values as
    /// rule files and verdicts spell them, the words around them in both languages).
    static func mismatch(_ what: String, expected: String, got: String, note: LocalizedText? = nil) -> LocalizedText {
        LocalizedText(en: "\(what): expected \(expected), got \(got)" + (note.map { " (\($0.en))" } ?? ""),
                      zh: "\(what)：应为 \(expected)，实际为 \(got)" + (note.map { "（\($0.zh)）" } ?? ""))
    }

    func compare(_ e: Expectation, _ v: Verdict) -> [LocalizedText] {
        var out: [LocalizedText] = []
        func list(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }
        let problems = LocalizedText(
            en: v.problems.map { ($0.field.map { $0 + ": " } ?? "") + $0.message.en }.joined(separator: "; "),
            zh: v.problems.map { ($0.field.map { $0 + "：" } ?? "") + $0.message.zh }.joined(separator: "；"))
        if let s = e.status, s != v.status {
            out.append(Self.mismatch("status", expected: s.rawValue, got: v.status.rawValue, note: problems.en.isEmpty ? nil : problems))
        }
        if let rules = e.rules, Set(rules) != Set(v.violations.map(\.rule)) {
            out.append(Self.mismatch("rules", expected: list(rules.sorted()), got: list(v.violations.map(\.rule).sorted())))
        }
        if let offence = e.offence, offence != v.violations.first?.offence {
            out.append(Self.mismatch("offence", expected: String(offence), got: v.violations.first?.offence.map(String.init) ?? "-"))
        }
        if let action = e.action {
            let actions = v.violations.compactMap(\.action)
            if !actions.contains(where: { $0.zh == action || $0.en == action }) {
                out.append(Self.mismatch("action", expected: action, got: list(actions.map { $0.zh == $0.en ? $0.zh : "\($0.zh) / \($0.en)" })))
            }
        }
        if let points = e.points, points != v.points { out.append(Self.mismatch("points", expected: String(points), got: String(v.points))) }
        if let missing = e.missingEvidence, missing != !v.missingEvidence.isEmpty {
            out.append(Self.mismatch("missing_evidence", expected: String(missing), got: String(!v.missingEvidence.isEmpty)))
        }
        if let expected = e.problems {
            for p in expected where !v.problems.contains(where: { $0.field == p || $0.message.en.contains(p) || $0.message.zh.contains(p) }) {
                out.append(LocalizedText(en: "problems: expected one about `\(p)`, got [\(problems.en)]",
                                         zh: "problems：应有关于 `\(p)` 的问题，实际为 [\(problems.zh)]"))
            }
        }
        if let d = e.duplicateOf, !v.duplicates.contains(where: { $0.of == d }) {
            out.append(Self.mismatch("duplicate_of", expected: d, got: list(v.duplicates.map(\.of))))
        }
        if let ex = e.exempt, Set(ex) != Set(v.exemptions.map(\.rule)) {
            out.append(Self.mismatch("exempt", expected: list(ex.sorted()), got: list(v.exemptions.map(\.rule).sorted())))
        }
        if let r = e.referTo, !v.violations.contains(where: { $0.referTo == r }) {
            out.append(Self.mismatch("refer_to", expected: r, got: list(v.violations.compactMap(\.referTo))))
        }
        return out
    }

    func recognitions(_ r: RecognitionExpectation, verdicts: [Verdict], history: [Verdict], roster: Roster) -> [LocalizedText] {
        guard let period = Periods.parse(r.period) else {
            return [LocalizedText(en: "recognize: invalid period `\(r.period)`", zh: "recognize：无效的周期 `\(r.period)`")]
        }
        var recognizer = Recognizer(convention: convention, roster: roster, period: period)
        for v in verdicts { recognizer.add(v) }
        for v in history { recognizer.add(v, history: true) }
        let results = recognizer.results()
        var out: [LocalizedText] = []
        for (key, ids) in r.expected.sorted(by: { $0.key < $1.key }) {
            let got = results.filter { key == "*" || $0.recognition == key }.map(\.id)
            if got != ids {
                out.append(Self.mismatch("recognize \(key == "*" ? "" : key + " ")\(r.period)",
                                         expected: "[" + ids.joined(separator: ", ") + "]", got: "[" + got.joined(separator: ", ") + "]"))
            }
        }
        return out
    }
}
