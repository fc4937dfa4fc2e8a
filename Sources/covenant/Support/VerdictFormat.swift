import CovenantCEL
import CovenantModel
import CovenantSource

/// Verdicts as JSON objects (the contract of design sketch §4, plus more fields), CSV rows, table
/// rows and the grid worker's readable text.
enum VerdictFormat {
    static func json(_ v: Verdict, language: Language) -> Value {
        var m = MapValue()
        m.set("incident", .string(v.incident))
        m.set("status", .string(v.status.rawValue))
        if let c = v.category { m.set("category", .string(c)) }
        if let h = v.household { m.set("household", .string(h)) }
        if let t = v.occurredAt { m.set("occurred_at", .string(t.rfc3339)) }
        m.set("violations", .list(v.violations.map { f in
            var o = MapValue()
            o.set("rule", .string(f.rule))
            o.set("severity", .string(f.severity.rawValue))
            o.set("offence", f.offence.map { .int(Int64($0)) } ?? .null)
            o.set("action", f.action.map { .string($0.text(language)) } ?? .null)
            o.set("points", .int(Int64(f.points)))
            if let g = f.group { o.set("group", .string(g)) }
            if let p = f.publish { o.set("publish", .string(p.rawValue)) }
            if let r = f.referTo { o.set("refer_to", .string(r)) }
            if let d = f.disqualify { o.set("disqualify", .string(d.text)) }
            if !f.earlier.isEmpty { o.set("earlier", .list(f.earlier.map { .string($0) })) }
            return .map(o)
        }))
        if !v.duplicates.isEmpty {
            m.set("duplicates", .list(v.duplicates.map { d in
                .map(MapValue([("rule", .string(d.rule)), ("of", .string(d.of))]))
            }))
        }
        if !v.exemptions.isEmpty {
            m.set("exemptions", .list(v.exemptions.map { e in
                .map(MapValue([("rule", .string(e.rule)), ("exemption", .string(e.exemption)),
                               ("reason", .string(e.reason.text(language)))]))
            }))
        }
        if !v.credits.isEmpty {
            m.set("credits", .list(v.credits.map { c in
                .map(MapValue([("credit", .string(c.credit)), ("points", .int(Int64(c.points)))]))
            }))
        }
        m.set("points", .int(Int64(v.points)))
        m.set("problems", .list(v.problems.map { p in
            var o = MapValue()
            o.set("message", .string(p.message.text(language)))
            if let f = p.field { o.set("field", .string(f)) }
            return .map(o)
        }))
        m.set("source", .string(v.origin.description))
        return .map(m)
    }

    /// The verdict's field names, encoded once (written for every verdict of `eval`).
    private enum Key {
        static let action = JSONKey("action")
        static let category = JSONKey("category")
        static let credit = JSONKey("credit")
        static let credits = JSONKey("credits")
        static let disqualify = JSONKey("disqualify")
        static let duplicates = JSONKey("duplicates")
        static let earlier = JSONKey("earlier")
        static let exemption = JSONKey("exemption")
        static let exemptions = JSONKey("exemptions")
        static let field = JSONKey("field")
        static let group = JSONKey("group")
        static let household = JSONKey("household")
        static let incident = JSONKey("incident")
        static let message = JSONKey("message")
        static let occurredAt = JSONKey("occurred_at")
        static let of = JSONKey("of")
        static let offence = JSONKey("offence")
        static let points = JSONKey("points")
        static let problems = JSONKey("problems")
        static let publish = JSONKey("publish")
        static let reason = JSONKey("reason")
        static let referTo = JSONKey("refer_to")
        static let rule = JSONKey("rule")
        static let severity = JSONKey("severity")
        static let source = JSONKey("source")
        static let status = JSONKey("status")
        static let violations = JSONKey("violations")
    }

    /// The JSON of ``json(_:language:)``, byte for byte, written straight into `w` (no value tree
    /// built first: this runs once per verdict of `eval`). A test holds the two to the same bytes.
    static func writeJSON(_ v: Verdict, language: Language, into w: inout JSONWriter) {
        w.object { w in
            w.key(Key.incident); w.string(v.incident)
            w.key(Key.status); w.string(v.status.rawValue)
            if let c = v.category { w.key(Key.category); w.string(c) }
            if let h = v.household { w.key(Key.household); w.string(h) }
            if let t = v.occurredAt { w.key(Key.occurredAt); w.timestamp(t) }
            w.key(Key.violations)
            w.beginArray()
            // Each finding read in place, field by field (taken as a value, each was copied: a
            // retain per string).
            v.violations.withUnsafeBufferPointer { findings in
                for i in findings.indices {
                    let f = findings.baseAddress! + i
                    w.object { w in
                        w.key(Key.rule); w.string(f.pointee.rule)
                        w.key(Key.severity); w.string(f.pointee.severity.rawValue)
                        w.key(Key.offence); if let o = f.pointee.offence { w.int(Int64(o)) } else { w.null() }
                        w.key(Key.action); if f.pointee.action != nil { w.string(f.pointee.action!.text(language)) } else { w.null() }
                        w.key(Key.points); w.int(Int64(f.pointee.points))
                        if f.pointee.group != nil { w.key(Key.group); w.string(f.pointee.group!) }
                        if let p = f.pointee.publish { w.key(Key.publish); w.string(p.rawValue) }
                        if f.pointee.referTo != nil { w.key(Key.referTo); w.string(f.pointee.referTo!) }
                        if let d = f.pointee.disqualify { w.key(Key.disqualify); w.string(d.text) }
                        if !f.pointee.earlier.isEmpty { w.key(Key.earlier); w.array(f.pointee.earlier) { w, e in w.string(e) } }
                    }
                }
            }
            w.endArray()
            if !v.duplicates.isEmpty {
                w.key(Key.duplicates)
                w.array(v.duplicates) { w, d in w.object { w in w.key(Key.rule); w.string(d.rule); w.key(Key.of); w.string(d.of) } }
            }
            if !v.exemptions.isEmpty {
                w.key(Key.exemptions)
                w.array(v.exemptions) { w, e in
                    w.object { w in
                        w.key(Key.rule); w.string(e.rule)
                        w.key(Key.exemption); w.string(e.exemption)
                        w.key(Key.reason); w.string(e.reason.text(language))
                    }
                }
            }
            if !v.credits.isEmpty {
                w.key(Key.credits)
                w.array(v.credits) { w, c in w.object { w in w.key(Key.credit); w.string(c.credit); w.key(Key.points); w.int(Int64(c.points)) } }
            }
            w.key(Key.points); w.int(Int64(v.points))
            w.key(Key.problems)
            w.array(v.problems) { w, p in
                w.object { w in
                    w.key(Key.message); w.string(p.message.text(language))
                    if let f = p.field { w.key(Key.field); w.string(f) }
                }
            }
            w.key(Key.source); w.string(v.origin.file, number: v.origin.line)
        }
    }

    /// One verdict's JSON text (see ``writeJSON(_:language:into:)``), with a newline for NDJSON.
    static func jsonText(_ v: Verdict, language: Language, newline: Bool = false) -> String {
        String(decoding: jsonBytes(v, language: language, newline: newline), as: UTF8.self)
    }

    /// ``jsonText(_:language:newline:)``'s UTF-8 bytes, as written (no string made of them).
    static func jsonBytes(_ v: Verdict, language: Language, newline: Bool = false) -> [UInt8] {
        var w = JSONWriter(capacity: 1024)
        writeJSON(v, language: language, into: &w)
        if newline { w.raw(0x0A) }
        return w.takeBytes()
    }

    static let csvHeader = "incident,status,category,household,occurred_at,rule,severity,offence,action,points,problems"

    /// One CSV row per violation (one row for a verdict without violations); cells that a
    /// spreadsheet would run as a formula are neutralised.
    static func csvRows(_ v: Verdict, language: Language) -> [String] {
        let base = [v.incident, v.status.rawValue, v.category ?? "", v.household ?? "", v.occurredAt?.rfc3339 ?? ""]
        let problems = v.problems.map { $0.message.text(language) }.joined(separator: "; ")
        if v.violations.isEmpty {
            let rule = v.duplicates.first?.rule ?? ""
            return [(base + [rule, "", "", "", String(v.points), problems]).map(csvCell).joined(separator: ",")]
        }
        return v.violations.map { f in
            (base + [f.rule, f.severity.rawValue, f.offence.map(String.init) ?? "", f.action?.text(language) ?? "",
                     String(f.points), problems]).map(csvCell).joined(separator: ",")
        }
    }

    static func csvCell(_ s: String) -> String {
        var text = s
        if let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first),
           !(first == "-" && Int(text) != nil) {
            text = "'" + text
        }
        if text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r") {
            return "\"" + text.replacingAll("\"", with: "\"\"") + "\""
        }
        return text
    }

    static func statusLabel(_ s: VerdictStatus, _ language: Language) -> String {
        switch (s, language) {
        case (.invalid, .en): return "invalid"
        case (.duplicate, .en): return "duplicate"
        case (.violation, .en): return "violation"
        case (.compliant, .en): return "compliant"
        case (.noViolation, .en): return "no violation"
        case (.credited, .en): return "credited"
        case (.invalid, .zh): return "无效"
        case (.duplicate, .zh): return "重复上报"
        case (.violation, .zh): return "违约"
        case (.compliant, .zh): return "合规"
        case (.noViolation, .zh): return "未违约"
        case (.credited, .zh): return "积分"
        }
    }

    /// The grid worker's view of one verdict.
    static func text(_ v: Verdict, convention: Convention, language: Language, color: Bool) -> String {
        let zh = language == .zh
        func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        let statusColor: String
        switch v.status {
        case .violation, .invalid: statusColor = "1;31"
        case .duplicate: statusColor = "1;33"
        default: statusColor = "1;32"
        }
        var out = "\(paint(clean(v.incident), "1"))  \(paint(statusLabel(v.status, language), statusColor))"
        if let h = v.household { out += zh ? "  住户 \(clean(h))" : "  household \(clean(h))" }
        out += "  (\(clean(v.origin.description)))\n"
        for f in v.violations {
            let rule = convention.rules.first { $0.id == f.rule }
            let title = rule?.title?.text(language) ?? f.rule
            out += zh ? "  违反 \(f.rule)「\(clean(title))」（\(f.severity.rawValue)）\n"
                      : "  breaches \(f.rule) \"\(clean(title))\" (\(f.severity.rawValue))\n"
            if let offence = f.offence, let window = rule?.escalation?.window {
                let action = f.action?.text(language) ?? ""
                out += zh ? "    \(window.text) 内第 \(offence) 次：\(clean(action))，\(points(f.points, zh: true))\n"
                          : "    offence \(offence) within \(window.text): \(clean(action)), \(points(f.points, zh: false))\n"
                if !f.earlier.isEmpty {
                    out += zh ? "    此前：\(f.earlier.map(clean).joined(separator: "、"))\n"
                              : "    earlier: \(f.earlier.map(clean).joined(separator: ", "))\n"
                }
            } else {
                out += "    \(points(f.points, zh: zh))\n"
            }
            if let r = f.referTo { out += zh ? "    移交：\(clean(r))\n" : "    refer to: \(clean(r))\n" }
            if let p = f.publish { out += zh ? "    公开级别：\(p.rawValue)\n" : "    publication: \(p.rawValue)\n" }
            if let d = f.disqualify { out += zh ? "    取消评优资格：\(d.text)\n" : "    honours withheld: \(d.text)\n" }
        }
        for d in v.duplicates {
            out += zh ? "  \(d.rule)：与 \(clean(d.of)) 重复，不再计数\n" : "  \(d.rule): duplicate of \(clean(d.of)), not counted\n"
        }
        for e in v.exemptions {
            out += zh ? "  \(e.rule)：豁免（\(clean(e.reason.zh))）\n" : "  \(e.rule): exempt (\(clean(e.reason.en)))\n"
        }
        for c in v.credits {
            out += zh ? "  积分 \(c.credit)：\(Numbers.signed(c.points))\n" : "  credit \(c.credit): \(Numbers.signed(c.points))\n"
        }
        if v.status == .invalid {
            out += zh ? "  请修正记录：\n" : "  fix the record:\n"
            for p in v.problems {
                out += "    - " + (p.field.map { "\(clean($0)): " } ?? "") + clean(p.message.text(language)) + "\n"
            }
        }
        return out
    }

    static func points(_ n: Int, zh: Bool) -> String {
        if zh { return n == 0 ? "不扣分" : (n < 0 ? "扣 \(-n) 分" : "加 \(n) 分") }
        return n == 0 ? "no points" : "\(n > 0 ? "+" : "")\(n) points"
    }

    /// Strips control characters and escapes that came from inputs.
    static func clean(_ s: String) -> String { DiagnosticRenderer.sanitize(s) }

    /// A time as a committee reads it in a table: local to the convention's zone, to the minute
    /// (`2026-07-01 08:00`, the year in four digits).
    static func localTime(_ t: Timestamp, _ zone: String) -> String {
        guard let l = TimeZones.local(t, in: zone) else { return t.rfc3339 }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        let year = String(l.year)
        return String(repeating: "0", count: max(0, 4 - year.count)) + year + "-\(two(l.month))-\(two(l.day)) \(two(l.hour)):\(two(l.minute))"
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound] + replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
