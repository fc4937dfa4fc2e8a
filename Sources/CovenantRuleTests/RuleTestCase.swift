import CovenantCEL
import CovenantIO
import CovenantModel
import CovenantSource
import CovenantYAML

/// A committee's test of its rules: incidents in, expected verdicts out.
public struct RuleTestCase: Sendable {
    public var name: String
    /// Where the case is written (file:line), for failure messages.
    public var span: SourceSpan
    /// Earlier incidents that count for escalation and dedupe.
    public var history: [MapValue]
    /// The incidents, in the order given (a single `incident` is a sequence of one).
    public var incidents: [MapValue]
    /// Expectations, one per incident (nil: nothing expected of that one).
    public var expectations: [Expectation?]
    /// An inline roster.
    public var roster: Roster?
    /// Recognitions expected for a period.
    public var recognize: RecognitionExpectation?
}

/// What a case expects of one verdict; only the keys given are checked.
public struct Expectation: Sendable {
    public var status: VerdictStatus?
    /// The violated rules, as a set.
    public var rules: [String]?
    public var offence: Int?
    /// The action, in zh or en.
    public var action: String?
    /// The verdict's total points.
    public var points: Int?
    public var missingEvidence: Bool?
    /// Each item must match a problem's field or appear in its message.
    public var problems: [String]?
    public var duplicateOf: String?
    public var exempt: [String]?
    public var referTo: String?
    public var span: SourceSpan
}

/// Recognitions a case expects for a period: the subjects recognized, per recognition (or overall).
public struct RecognitionExpectation: Sendable {
    public var period: String
    public var expected: [String: [String]]
    public var span: SourceSpan
}

/// Reading test cases from `tests:` lists (in convention files or `*_test.yaml` files).
public enum RuleTestReader {
    public static let caseKeys = ["name", "incident", "incidents", "history", "roster", "expect", "recognize"]
    public static let expectKeys = ["status", "rules", "offence", "action", "points", "missing_evidence", "problems",
                                    "duplicate_of", "exempt", "refer_to"]

    /// Reads every case of a `tests:` node; problems are returned as diagnostics.
    public static func read(_ node: YAMLNode) -> ([RuleTestCase], [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        func error(_ en: String, _ zh: String, _ span: SourceSpan) {
            diagnostics.append(Diagnostic(.error, code: "T0001", message: .init(en: en, zh: zh), span: span))
        }
        guard let items = node.sequence else {
            error("`tests` must be a list of cases", "`tests` 必须是用例列表", node.span)
            return ([], diagnostics)
        }
        var cases: [RuleTestCase] = []
        for item in items {
            guard let pairs = item.mapping else {
                error("a test case must be a mapping", "测试用例必须是映射", item.span)
                continue
            }
            for pair in pairs {
                if let key = pair.key.string, !caseKeys.contains(key) {
                    let hint = Suggestion.closest(to: key, among: caseKeys).map { " (did you mean `\($0)`?)" } ?? ""
                    error("unknown key `\(key)` in a test case\(hint)", "测试用例中有未知的键 `\(key)`", pair.key.span)
                }
            }
            guard let name = item["name"]?.string else {
                error("a test case needs a `name`", "测试用例需要 `name`", item.span)
                continue
            }
            func records(_ n: YAMLNode?) -> [MapValue] {
                guard let n else { return [] }
                let list = n.sequence ?? [n]
                return list.compactMap { node in
                    if case .map(let m) = YAMLValues.value(of: node) { return m }
                    error("an incident must be a mapping", "事件必须是映射", node.span)
                    return nil
                }
            }
            var incidents = records(item["incident"])
            incidents += records(item["incidents"])
            let history = records(item["history"])
            var recognize: RecognitionExpectation?
            if let r = item["recognize"] {
                let period = r["period"]?.string ?? ""
                var expected: [String: [String]] = [:]
                if let e = r["expect"] {
                    if let list = e.sequence {
                        expected["*"] = list.compactMap(\.string)
                    } else {
                        for pair in e.mapping ?? [] {
                            expected[pair.key.string ?? ""] = pair.value.sequence?.compactMap(\.string) ?? []
                        }
                    }
                }
                recognize = RecognitionExpectation(period: period, expected: expected, span: r.span)
            }
            if incidents.isEmpty && recognize == nil {
                error("test case `\(name)` has no `incident` or `incidents`", "测试用例 `\(name)` 没有 `incident` 或 `incidents`", item.span)
                continue
            }
            var expectations = [Expectation?](repeating: nil, count: incidents.count)
            if let e = item["expect"] {
                if let list = e.sequence {
                    if list.count != incidents.count {
                        error("`expect` lists \(list.count) verdicts for \(incidents.count) incidents",
                              "`expect` 列出 \(list.count) 个结论，但有 \(incidents.count) 个事件", e.span)
                    }
                    for (i, node) in list.enumerated() where i < incidents.count {
                        expectations[i] = node.isNull ? nil : readExpectation(node, &diagnostics)
                    }
                } else if !incidents.isEmpty {
                    expectations[incidents.count - 1] = readExpectation(e, &diagnostics)
                }
            }
            var roster: Roster?
            if let r = item["roster"] { roster = inlineRoster(r) }
            cases.append(RuleTestCase(name: name, span: item.span, history: history, incidents: incidents,
                                      expectations: expectations, roster: roster, recognize: recognize))
        }
        return (cases, diagnostics)
    }

    static func readExpectation(_ node: YAMLNode, _ diagnostics: inout [Diagnostic]) -> Expectation {
        var e = Expectation(span: node.span)
        for pair in node.mapping ?? [] {
            guard let key = pair.key.string else { continue }
            let v = pair.value
            switch key {
            case "status":
                e.status = v.string.flatMap { VerdictStatus(rawValue: $0) }
                if e.status == nil {
                    diagnostics.append(Diagnostic(.error, code: "T0002", message: .init(
                        en: "unknown status `\(v.string ?? "")`; one of " + VerdictStatus.allCases.map(\.rawValue).joined(separator: ", "),
                        zh: "未知的结论 `\(v.string ?? "")`"), span: v.span))
                }
            case "rules": e.rules = v.sequence?.compactMap(\.string) ?? v.string.map { [$0] } ?? []
            case "offence": e.offence = integer(v, key, &diagnostics)
            case "action": e.action = v.string
            case "points": e.points = integer(v, key, &diagnostics)
            case "missing_evidence":
                switch v.scalar.flatMap({ $0.style == .plain ? $0.text : nil }) {
                case "true": e.missingEvidence = true
                case "false": e.missingEvidence = false
                default: wrongValue(v, key, en: "true or false", zh: "true 或 false", &diagnostics)
                }
            case "problems": e.problems = v.sequence?.compactMap(\.string) ?? v.string.map { [$0] }
            case "duplicate_of": e.duplicateOf = v.string
            case "exempt": e.exempt = v.sequence?.compactMap(\.string) ?? v.string.map { [$0] }
            case "refer_to": e.referTo = v.string
            default:
                let closest = Suggestion.closest(to: key, among: expectKeys)
                diagnostics.append(Diagnostic(.error, code: "T0003", message: .init(
                    en: "unknown key `\(key)` in `expect`" + (closest.map { " (did you mean `\($0)`?)" } ?? ""),
                    zh: "`expect` 中有未知的键 `\(key)`" + (closest.map { "（是不是 `\($0)`？）" } ?? "")), span: pair.key.span))
            }
        }
        return e
    }

    /// An expected whole number (`offence`, `points`): a plain integer, else T0004 and nil (the
    /// expectation is not checked against a value it does not hold).
    private static func integer(_ v: YAMLNode, _ key: String, _ diagnostics: inout [Diagnostic]) -> Int? {
        if let s = v.scalar, s.style == .plain, s.text.count < 19, let n = Int(s.text) { return n }
        wrongValue(v, key, en: "a whole number", zh: "整数", &diagnostics)
        return nil
    }

    private static func wrongValue(_ v: YAMLNode, _ key: String, en: String, zh: String, _ diagnostics: inout [Diagnostic]) {
        let text = v.scalar?.text ?? (v.sequence != nil ? "[…]" : "{…}")
        diagnostics.append(Diagnostic(.error, code: "T0004", message: .init(
            en: "`\(key)` in `expect` must be \(en), found `\(text)`", zh: "`expect` 中的 `\(key)` 应为\(zh)，实际为 `\(text)`"),
            span: v.span))
    }

    static func inlineRoster(_ node: YAMLNode) -> Roster {
        var roster = Roster()
        for b in node["buildings"]?.sequence ?? [] {
            guard case .map(var m) = YAMLValues.value(of: b), case .string(let id)? = m["id"] else { continue }
            let grid: String? = { if case .string(let g)? = m["grid"] { return g } else { return nil } }()
            m = MapValue(m.entries.compactMap { e in
                if case .string(let k) = e.key, k != "id", k != "grid" { return (k, e.value) } else { return nil }
            })
            roster.buildings[id] = Roster.Building(id: id, grid: grid, attributes: m)
        }
        for h in node["households"]?.sequence ?? [] {
            guard case .map(let m) = YAMLValues.value(of: h), case .string(let id)? = m["id"] else { continue }
            func s(_ k: String) -> String? { if case .string(let v)? = m[k] { return v } else { return nil } }
            let attrs = MapValue(m.entries.compactMap { e in
                if case .string(let k) = e.key, !["id", "grid", "building", "unit", "name"].contains(k) { return (k, e.value) } else { return nil }
            })
            roster.households[id] = Roster.Household(id: id, grid: s("grid"), building: s("building"), unit: s("unit"),
                                                     name: s("name"), attributes: attrs)
            if let b = s("building"), roster.buildings[b] == nil { roster.buildings[b] = Roster.Building(id: b, grid: s("grid")) }
        }
        return roster
    }
}
