import ArgumentParser
import CovenantCEL
import CovenantEngine
import CovenantIO
import CovenantModel
import CovenantSource

/// `covenant explain`: why each rule did or did not match one incident.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a verdict rule by rule: in force, applies, violated, with every sub-expression's value.",
        discussion: "Exit 0, or 2 for usage or unreadable input."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(name: .shortAndLong, help: "The convention: a rule file or a folder holding one convention.")
    var rules: String

    @Option(help: "Explain this rule only.")
    var rule: String?

    @Option(help: "A roster (CSV or YAML).")
    var roster: String?

    @Option(help: "Earlier incidents that set the offence number. Repeat for several files.")
    var history: [String] = []

    @Option(help: "Which record of the file to explain when it holds several: its id.")
    var id: String?

    @Option(help: "Output: text (default) or json.")
    var format: Format = .text

    @Option(name: .customLong("input-format"), help: "Input format when the file name does not tell.")
    var inputFormat: IncidentFormat?

    @OptionGroup var language: LanguageOption

    @Argument(help: "The incident file (or - for standard input).")
    var incident: String

    func run() throws {
        let renderer = language.renderer()
        let lang = language.language
        let run = try EvaluationRun(rules: rules, roster: roster, history: history, format: inputFormat, renderer: renderer)
        if let rule, !run.convention.rules.contains(where: { $0.id == rule }) {
            let closest = Suggestion.closest(to: rule, among: run.convention.rules.map(\.id))
            throw UsageError(language, en: "unknown rule `\(rule)`" + (closest.map { " (did you mean `\($0)`?)" } ?? ""),
                             zh: "未知的条款 `\(rule)`" + (closest.map { "（是不是 `\($0)`？）" } ?? ""))
        }
        var records: [IncidentRecord] = []
        try run.inputs([incident], format: inputFormat).forEachRecord { records.append($0) }
        guard let record = id.map({ wanted in records.first { $0.id == wanted } }) ?? records.first else {
            throw UsageError(language, en: id.map { "no record with id `\($0)` in \(incident)" } ?? "no record in \(incident)",
                             zh: id.map { "\(incident) 中没有 id 为 `\($0)` 的记录" } ?? "\(incident) 中没有记录")
        }
        var historyRecords: [IncidentRecord] = []
        try run.history.forEachRecord { historyRecords.append($0) }
        // Other records of the same file count as history too (they may set the offence number).
        historyRecords += records.filter { $0.origin != record.origin }
        let explanation = run.engine.explain(record, history: historyRecords, rule: rule)
        switch format {
        case .json: Terminal.write(JSON.write(ExplainFormat.json(explanation, language: lang)) + "\n")
        case .text: Terminal.write(ExplainFormat.text(explanation, convention: run.convention, language: lang))
        }
    }
}

enum ExplainFormat {
    static func short(_ v: Value) -> String {
        let s = JSON.write(v)
        return s.count > 70 ? String(s.prefix(67)) + "…" : s
    }

    static func describe(_ r: Result<Value, EvalError>, _ lang: Language) -> String {
        switch r {
        case .success(let v): return short(v)
        case .failure(let e): return (lang == .zh ? "错误：" : "error: ") + e.message.text(lang)
        }
    }

    static func outcome(_ o: IncidentExplanation.Outcome, _ lang: Language) -> String {
        let zh = lang == .zh
        switch o {
        case .notInForce: return zh ? "未生效" : "not in force"
        case .notApplicable: return zh ? "不适用" : "does not apply"
        case .complied: return zh ? "已遵守" : "complied"
        case .exempt: return zh ? "豁免" : "exempt"
        case .missingEvidence: return zh ? "证据不足（记录无效）" : "evidence missing (record invalid)"
        case .violated(let offence, _, let step):
            var s = zh ? "违反" : "violated"
            if let offence { s += zh ? "，第 \(offence) 次" : ", offence \(offence)" }
            if let step { s += (zh ? "：" : ": ") + step.action.text(lang) }
            return s
        case .duplicate(let of): return zh ? "重复上报（同 \(of)）" : "duplicate of \(of)"
        case .error(let m): return (zh ? "无法求值：" : "cannot evaluate: ") + m.text(lang)
        }
    }

    /// Sub-expressions worth showing: not whole records (`facts`, `incident`) nor constant lists.
    static func shown(_ node: Explanation.Node) -> Bool {
        if case .success(.map) = node.result, !node.text.contains(".") && !node.text.contains("(") { return false }
        if node.text.hasPrefix("[") { return false }
        return true
    }

    static func text(_ x: IncidentExplanation, convention: Convention, language lang: Language) -> String {
        let zh = lang == .zh
        let v = x.verdict
        var out = "\(VerdictFormat.clean(v.incident))  \(VerdictFormat.statusLabel(v.status, lang))  (\(v.origin))\n"
        if v.status == .invalid {
            for p in v.problems { out += "  - " + (p.field.map { "\($0): " } ?? "") + VerdictFormat.clean(p.message.text(lang)) + "\n" }
        }
        if let first = x.rules.first {
            out += zh ? "当地日期 \(first.localDate)（\(convention.timezone)）\n" : "local date \(first.localDate) (\(convention.timezone))\n"
        }
        for r in x.rules {
            out += "\n\(r.rule)"
            if let t = r.title { out += " \"\(VerdictFormat.clean(t.text(lang)))\"" }
            out += " — \(outcome(r.outcome, lang))\n"
            var range: [String] = []
            if let f = r.effective.from { range.append((zh ? "自 " : "from ") + f.description) }
            if let u = r.effective.until { range.append((zh ? "至（不含）" : "until ") + u.description) }
            out += zh ? "  生效：\(r.inForce ? "是" : "否")\(range.isEmpty ? "" : "（" + range.joined(separator: "，") + "）")\n"
                      : "  in force: \(r.inForce ? "yes" : "no")\(range.isEmpty ? "" : " (" + range.joined(separator: ", ") + ")")\n"
            func condition(_ label: String, _ e: Explanation?, _ text: String?) {
                guard let text else { return }
                guard let e else {
                    out += "  \(label): \(VerdictFormat.clean(text))\n"
                    return
                }
                out += "  \(label): \(VerdictFormat.clean(text)) → \(describe(e.result, lang))\n"
                for node in e.nodes where node.depth > 0 && shown(node) {
                    out += String(repeating: "  ", count: node.depth + 1)
                        + "\(VerdictFormat.clean(node.text)) = \(VerdictFormat.clean(describe(node.result, lang)))\n"
                }
            }
            if r.inForce {
                condition(zh ? "适用条件" : "applies", r.applies, r.appliesText)
                if r.outcome != .notApplicable { condition(zh ? "违约条件" : "violation", r.violation, r.violationText) }
            }
            if case .violated(_, let earlier, _) = r.outcome, !earlier.isEmpty {
                out += zh ? "  此前计数的违约：\(earlier.joined(separator: "、"))\n" : "  earlier counted offences: \(earlier.joined(separator: ", "))\n"
            }
            if let ex = r.exemption {
                out += zh ? "  豁免：\(ex.exemption)（\(ex.reason.zh)）\n" : "  exemption: \(ex.exemption) (\(ex.reason.en))\n"
            }
            if let req = r.evidenceRequired {
                let needed = req.alternatives.map { $0.map { $0.count > 1 ? "\($0.count)×\($0.type)" : $0.type }.joined(separator: " + ") }
                    .joined(separator: zh ? " 或 " : " or ")
                let given = r.evidenceGiven.isEmpty ? (zh ? "无" : "none") : r.evidenceGiven.joined(separator: ", ")
                out += zh ? "  证据：需要 \(needed)；提供 \(given) \(r.evidenceSatisfied ? "✓" : "✗")\n"
                          : "  evidence: needs \(needed); given \(given) \(r.evidenceSatisfied ? "✓" : "✗")\n"
            }
        }
        return out
    }

    static func json(_ x: IncidentExplanation, language lang: Language) -> Value {
        var m = MapValue()
        m.set("verdict", VerdictFormat.json(x.verdict, language: lang))
        m.set("rules", .list(x.rules.map { r in
            var o = MapValue()
            o.set("rule", .string(r.rule))
            o.set("in_force", .bool(r.inForce))
            o.set("local_date", .string(r.localDate.description))
            o.set("outcome", .string(outcome(r.outcome, lang)))
            func cond(_ e: Explanation?, _ text: String?) -> Value {
                guard let text else { return .null }
                var c = MapValue()
                c.set("expression", .string(text))
                if let e {
                    c.set("result", .string(describe(e.result, lang)))
                    c.set("subexpressions", .list(e.nodes.filter { $0.depth > 0 && shown($0) }.map { n in
                        .map(MapValue([("text", .string(n.text)), ("value", .string(describe(n.result, lang))),
                                       ("depth", .int(Int64(n.depth)))]))
                    }))
                }
                return .map(c)
            }
            o.set("applies", cond(r.applies, r.appliesText))
            o.set("violation", cond(r.violation, r.violationText))
            if case .violated(let offence, let earlier, _) = r.outcome {
                o.set("offence", offence.map { .int(Int64($0)) } ?? .null)
                o.set("earlier", .list(earlier.map { .string($0) }))
            }
            o.set("evidence_satisfied", .bool(r.evidenceSatisfied))
            return .map(o)
        }))
        return .map(m)
    }
}
