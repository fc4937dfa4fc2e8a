import CovenantCEL
import CovenantModel
import CovenantSource

/// Turns a record's fields into a typed ``Incident``, reporting every problem: missing or
/// malformed envelope fields, unknown category, facts that are missing, undeclared, of the wrong
/// JSON type or outside the zone list, times out of order.
/// A parsed record: a typed incident, or every problem found.
enum ParseOutcome {
    case valid(Incident)
    case invalid([RecordProblem])
}

struct IncidentParser {
    let convention: Convention
    let zones: Set<String>
    /// The convention's time zone, resolved once (nil when unknown: then no incident is valid).
    let timeZone: TimeZones.Resolved?

    init(convention: Convention) {
        self.convention = convention
        self.zones = Set(convention.zones)
        self.timeZone = TimeZones.resolve(convention.timezone)
    }

    static let envelopeKeys: Set<String> = [
        "id", "kind", "occurred_at", "reported_at", "reporter", "where", "household", "category", "facts", "evidence",
        "note", "description",
    ]

    /// Whether `key` is an envelope field (a switch: small-string comparisons, no hashing).
    static func isEnvelopeKey(_ key: String) -> Bool {
        switch key {
        case "id", "kind", "occurred_at", "reported_at", "reporter", "where", "household", "category", "facts", "evidence",
             "note", "description":
            return true
        default:
            return false
        }
    }

    /// An incident's time (`occurred_at`, `reported_at`) from its UTF-8: RFC 3339 with seconds and
    /// an offset (hence at least 20 bytes). The one rule for the parser, the fast path and the order
    /// scan, which read the same fields.
    static func incidentTime(utf8 text: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        guard text.count >= 20 else { return nil }
        return Timestamp.parse(utf8: text)
    }

    /// ``incidentTime(utf8:)`` of a string.
    static func incidentTime(_ text: String) -> Timestamp? {
        var text = text
        return text.withUTF8 { incidentTime(utf8: $0) }
    }

    /// One evidence item as the engine keeps it: a mapping with a string `type`, or a bare string
    /// standing for `{type: …}`; nil for anything else.
    static func evidenceItem(_ item: Value) -> MapValue? {
        switch item {
        case .map(let e):
            guard case .string? = e["type"] else { return nil }
            return e
        case .string(let t):
            var e = MapValue()
            e.set("type", .string(t))
            return e
        default:
            return nil
        }
    }

    /// A field name as shown in a message: at most 64 characters, the rest elided, so that one
    /// absurd key in a CSV header does not repeat kilobytes into every row's problem.
    static func elided(_ key: String) -> String {
        key.count <= 64 ? key : String(key.prefix(60)) + "…(\(key.count) chars)"
    }

    func parse(_ map: MapValue, origin: RecordOrigin) -> ParseOutcome {
        var problems: [RecordProblem] = []
        func problem(_ en: String, _ zh: String, _ field: String?) {
            problems.append(RecordProblem(LocalizedText(en: en, zh: zh), field: field))
        }
        for entry in map.entries {
            guard case .string(let key) = entry.key else { continue }
            if !Self.isEnvelopeKey(key) {
                let suggestion = Suggestion.closest(to: key, among: Self.envelopeKeys)
                let hint = suggestion.map { " (did you mean `\($0)`?)" } ?? ""
                let hintZh = suggestion.map { "（是不是 `\($0)`？）" } ?? ""
                let shown = Self.elided(key)
                problem("unknown field `\(shown)`\(hint)", "未知字段 `\(shown)`\(hintZh)", key)
            }
        }
        func string(_ key: String, required: Bool) -> String? {
            switch map[key] {
            case .string(let s)?:
                if s.isEmpty, required { problem("`\(key)` is empty", "`\(key)` 为空", key) }
                return s
            case nil, .null?:
                if required { problem("missing `\(key)`", "缺少 `\(key)`", key) }
                return nil
            case let v?:
                problem("`\(key)` must be a string, found \(v.typeName)", "`\(key)` 必须是字符串，实际为 \(v.typeName)", key)
                return nil
            }
        }
        func timestamp(_ key: String, required: Bool) -> Timestamp? {
            guard let text = string(key, required: required) else { return nil }
            guard let t = Self.incidentTime(text) else {
                problem("`\(key)` must be RFC 3339 with seconds and an offset, e.g. 2026-11-03T21:40:00+08:00; found `\(text)`",
                        "`\(key)` 必须是带秒和时区偏移的 RFC 3339 时间，如 2026-11-03T21:40:00+08:00；实际为 `\(text)`", key)
                return nil
            }
            return t
        }
        let id = string("id", required: true)
        var kind = IncidentKind.report
        if let k = string("kind", required: false) {
            if let parsed = IncidentKind(rawValue: k) {
                kind = parsed
            } else {
                problem("`kind` must be report, inspection or deed; found `\(k)`", "`kind` 必须是 report、inspection 或 deed；实际为 `\(k)`", "kind")
            }
        }
        let occurred = timestamp("occurred_at", required: true)
        let reported = timestamp("reported_at", required: false)
        if let occurred, let reported, reported < occurred {
            problem("`occurred_at` is after `reported_at`", "`occurred_at` 晚于 `reported_at`", "occurred_at")
        }
        var reporterID: String?
        var reporterRole: String?
        switch map["reporter"] {
        case .map(let r)?:
            if case .string(let s)? = r["id"] { reporterID = s }
            if case .string(let s)? = r["role"] { reporterRole = s }
        case .string(let s)?:
            reporterID = s
        case nil, .null?: break
        case let v?: problem("`reporter` must be a mapping, found \(v.typeName)", "`reporter` 必须是映射，实际为 \(v.typeName)", "reporter")
        }
        var grid: String?, building: String?, unit: String?, zone: String?
        switch map["where"] {
        case .map(let w)?:
            for entry in w.entries {
                guard case .string(let key) = entry.key else { continue }
                let text: String
                switch entry.value {
                case .string(let s): text = s
                case .int(let i): text = String(i)
                default:
                    if ["grid", "building", "unit", "zone"].contains(key) {
                        problem("`where.\(key)` must be a string", "`where.\(key)` 必须是字符串", "where.\(key)")
                        continue
                    }
                    text = ""
                }
                switch key {
                case "grid": grid = text
                case "building": building = text
                case "unit": unit = text
                case "zone": zone = text
                default: problem("unknown field `where.\(Self.elided(key))`", "未知字段 `where.\(Self.elided(key))`", "where.\(key)")
                }
            }
        case nil, .null?: break
        case let v?: problem("`where` must be a mapping, found \(v.typeName)", "`where` 必须是映射，实际为 \(v.typeName)", "where")
        }
        if let zone, !zones.contains(zone) {
            problem("zone `\(zone)` is not one of the convention's zones", "区域 `\(zone)` 不在公约的区域列表中", "where.zone")
        }
        var household: String?
        switch map["household"] {
        case .string(let s)?: household = s
        case .int(let i)?: household = String(i)
        case nil, .null?: break
        case let v?: problem("`household` must be a string, found \(v.typeName)", "`household` 必须是字符串，实际为 \(v.typeName)", "household")
        }
        let categoryID = string("category", required: true)
        var category: Category?
        if let categoryID {
            category = convention.categories[categoryID]
            if category == nil {
                let hint = Suggestion.closest(to: categoryID, among: convention.categories.keys)
                problem("unknown category `\(categoryID)`" + (hint.map { " (did you mean `\($0)`?)" } ?? ""),
                        "未知类别 `\(categoryID)`" + (hint.map { "（是不是 `\($0)`？）" } ?? ""), "category")
            }
        }
        if let category {
            if category.kind == .deed, kind != .deed, map["kind"] != nil {
                problem("category `\(category.id)` is for deeds; `kind` must be deed", "类别 `\(category.id)` 用于善行；`kind` 必须是 deed", "kind")
            }
            if category.kind == .deed, map["kind"] == nil { kind = .deed }
            if category.kind == .event, kind == .deed {
                problem("category `\(category.id)` is not a deed category", "类别 `\(category.id)` 不是善行类别", "kind")
            }
        }
        var facts = MapValue()
        switch map["facts"] {
        case .map(let f)?:
            if let category { facts = checkFacts(f, category: category, &problems) }
        case nil, .null?:
            if let category { facts = checkFacts(MapValue(), category: category, &problems) }
        case let v?: problem("`facts` must be a mapping, found \(v.typeName)", "`facts` 必须是映射，实际为 \(v.typeName)", "facts")
        }
        var evidence: [MapValue] = []
        switch map["evidence"] {
        case .list(let items)?:
            for (i, item) in items.enumerated() {
                if let e = Self.evidenceItem(item) {
                    evidence.append(e)
                } else if case .map = item {
                    problem("evidence item \(i + 1) has no `type`", "第 \(i + 1) 项证据没有 `type`", "evidence")
                } else {
                    problem("evidence item \(i + 1) must be a mapping", "第 \(i + 1) 项证据必须是映射", "evidence")
                }
            }
        case nil, .null?: break
        case let v?: problem("`evidence` must be a list, found \(v.typeName)", "`evidence` 必须是列表，实际为 \(v.typeName)", "evidence")
        }
        if timeZone == nil {
            // The loader refuses an unknown zone (L0020); a convention built in code is not loaded.
            problems.append(RecordProblem(.init(
                en: "the convention's time zone `\(convention.timezone)` is unknown, so no local time can be found",
                zh: "公约的时区 `\(convention.timezone)` 未知，无法得出当地时间")))
        }
        guard problems.isEmpty, let id, let occurred, let categoryID,
              let timeZone, case let local = TimeZones.local(occurred, in: timeZone) else {
            return .invalid(problems)
        }
        return .valid(Incident(
            id: id, kind: kind, occurredAt: occurred, reportedAt: reported, reporterID: reporterID, reporterRole: reporterRole,
            grid: grid, building: building, unit: unit, zone: zone,
            household: household, category: categoryID, facts: facts, evidence: evidence, local: local,
            origin: origin))
    }

    /// Checks facts against the category's declarations and converts them to their types.
    func checkFacts(_ given: MapValue, category: Category, _ problems: inout [RecordProblem]) -> MapValue {
        var out = MapValue(minimumCapacity: category.facts.count)
        for entry in given.entries {
            guard case .string(let name) = entry.key else { continue }
            if !category.facts.contains(where: { $0.name == name }) {
                let hint = Suggestion.closest(to: name, among: category.facts.map(\.name))
                let shown = Self.elided(name)
                problems.append(RecordProblem(.init(
                    en: "fact `\(shown)` is not declared for category `\(category.id)`" + (hint.map { " (did you mean `\($0)`?)" } ?? ""),
                    zh: "类别 `\(category.id)` 没有声明事实 `\(shown)`" + (hint.map { "（是不是 `\($0)`？）" } ?? "")),
                    field: "facts.\(name)"))
            }
        }
        for decl in category.facts {
            let raw = given[decl.name]
            if raw == nil || raw == .null {
                if !decl.optional {
                    problems.append(RecordProblem(.init(en: "missing fact `\(decl.name)` (\(decl.type))",
                                                        zh: "缺少事实 `\(decl.name)`（\(decl.type)）"), field: "facts.\(decl.name)"))
                }
                continue
            }
            if let v = convert(raw!, to: decl.type, field: "facts.\(decl.name)", &problems) { out.set(decl.name, v) }
        }
        return out
    }

    func convert(_ value: Value, to type: FactType, field fieldName: @autoclosure () -> String, _ problems: inout [RecordProblem]) -> Value? {
        func wrong(_ expected: String, _ zh: String) -> Value? {
            let field = fieldName()
            problems.append(RecordProblem(.init(en: "`\(field)` must be \(expected), found \(describe(value))",
                                                zh: "`\(field)` 必须是\(zh)，实际为 \(describe(value))"), field: field))
            return nil
        }
        switch (type, value) {
        case (.bool, .bool): return value
        case (.bool, _): return wrong("true or false", " true 或 false")
        case (.int, .int): return value
        case (.int, .uint(let u)) where u <= UInt64(Int64.max): return .int(Int64(u))
        case (.int, .double(let d)) where d.rounded() == d && abs(d) < 9.0e15: return .int(Int64(d))
        case (.int, _): return wrong("a whole number", "整数")
        case (.double, .double): return value
        case (.double, .int(let i)): return .double(Double(i))
        case (.double, .uint(let u)): return .double(Double(u))
        case (.double, _): return wrong("a number", "数字")
        case (.string, .string): return value
        case (.string, _): return wrong("a string", "字符串")
        case (.zone, .string(let s)):
            if zones.contains(s) { return value }
            let field = fieldName()
            problems.append(RecordProblem(.init(en: "`\(field)` is `\(s)`, not one of the convention's zones",
                                                zh: "`\(field)` 为 `\(s)`，不在公约的区域列表中"), field: field))
            return nil
        case (.zone, _): return wrong("a zone name", "区域名称")
        case (.timestamp, .string(let s)):
            if let t = Timestamp.parse(s) { return .timestamp(t) }
            return wrong("an RFC 3339 timestamp", " RFC 3339 时间戳")
        case (.timestamp, _): return wrong("an RFC 3339 timestamp", " RFC 3339 时间戳")
        case (.duration, .string(let s)):
            if let d = DSLDuration.parse(s), let v = CELDuration(seconds: d.seconds) { return .duration(v) }
            if let d = CELDuration.parse(s) { return .duration(d) }
            return wrong("a duration such as 90s or 1h30m", "时长（如 90s 或 1h30m）")
        case (.duration, _): return wrong("a duration such as 90s or 1h30m", "时长（如 90s 或 1h30m）")
        case (.list(let element), .list(let items)):
            var out: [Value] = []
            for (i, item) in items.enumerated() {
                guard let v = convert(item, to: element, field: "\(fieldName())[\(i)]", &problems) else { return nil }
                out.append(v)
            }
            return .list(out)
        case (.list, _): return wrong("a list", "列表")
        }
    }

    func describe(_ v: Value) -> String {
        switch v {
        case .string(let s): return "\"\(s.count > 30 ? String(s.prefix(30)) + "…" : s)\""
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return String(b)
        case .uint(let u): return String(u)
        default: return v.typeName
        }
    }
}
