import CovenantCEL
import CovenantModel
import CovenantSource
import CovenantYAML

/// Phase 1: the declarations every rule refers to — top-level settings, zones, groups,
/// authorities, roster attributes and categories — from the root file and every import.
extension ConventionLoader {
    static func readDeclarations(_ file: LoadedFile, into draft: inout Draft, _ d: inout Diagnostics) {
        let m = MappingReader(file.root, context: "the convention", allowed: Keys.root, diagnostics: &d)
        guard m.isMapping else { return }
        if let v = m.optional("covenant") {
            if let n = NodeReader.int(v, &d), n != 1 {
                d.error(LoaderMessage.unsupportedVersion(String(n)), at: v.span,
                        help: .init(en: "this version of Covenant reads `covenant: 1`", zh: "此版本的 Covenant 支持 `covenant: 1`"))
            }
        } else if file.isRoot {
            _ = m.required("covenant", &d, help: .init(en: "start the file with `covenant: 1`", zh: "请在文件开头写 `covenant: 1`"))
        }
        if file.isRoot {
            if let v = m.required("id", &d), let id = NodeReader.identifier(v, &d) { draft.id = id }
            if let v = m.optional("title"), let t = NodeReader.localized(v, &d, context: "title") { draft.title = t }
            if let v = m.optional("timezone"), let tz = NodeReader.string(v, &d) {
                if TimeZones.isKnown(tz) {
                    draft.timezone = tz
                } else {
                    d.error(LoaderMessage.unknownTimeZone(tz), at: v.span,
                            help: .init(en: "use an IANA name such as `Asia/Shanghai` or `America/New_York`",
                                        zh: "请使用 IANA 时区名，如 `Asia/Shanghai`"))
                }
            }
            if let v = m.optional("effective") { draft.effective = readEffective(v, &d) }
            if let v = m.optional("points") { draft.points = readPoints(v, &d) }
        } else {
            for key in Keys.rootOnly {
                if let span = m.keySpan(key) {
                    d.error(("L0025", .init(en: "`\(key)` may only be set in the convention file, not in an import",
                                            zh: "`\(key)` 只能在公约文件中设置，不能在被导入的文件中设置")), at: span)
                }
            }
        }
        if let v = m.optional("zones"), let zones = NodeReader.stringList(v, &d) {
            for (zone, node) in zones {
                if draft.zoneSpans[zone] != nil {
                    d.error(LoaderMessage.duplicateID("zone", zone), at: node.span)
                } else {
                    draft.zones.append(zone)
                    draft.zoneSpans[zone] = node.span
                }
            }
        }
        if let v = m.optional("groups") {
            for (id, title, _) in readNamedList(v, &d) { draft.groups[id] = Group(id: id, title: title) }
        }
        if let v = m.optional("authorities") {
            for (id, title, _) in readNamedList(v, &d) { draft.authorities[id] = Authority(id: id, title: title) }
        }
        if let v = m.optional("roster") {
            let r = MappingReader(v, context: "roster", allowed: Keys.roster, diagnostics: &d)
            if let h = r.optional("household") { draft.roster.household += readFacts(h, zones: nil, &d) }
            if let b = r.optional("building") { draft.roster.building += readFacts(b, zones: nil, &d) }
        }
        if let v = m.optional("categories") {
            guard let pairs = v.mapping else {
                d.error(LoaderMessage.wrongType(expected: "a mapping", found: NodeReader.describe(v)), at: v.span)
                return
            }
            for pair in pairs {
                guard let id = NodeReader.identifier(pair.key, &d) else { continue }
                if let first = draft.categorySpans[id] {
                    d.error(LoaderMessage.duplicateID("category", id), at: pair.key.span,
                            help: .init(en: "first defined at \(first)", zh: "首次定义于 \(first)"))
                    continue
                }
                draft.categorySpans[id] = pair.key.span
                let c = MappingReader(pair.value, context: "a category", allowed: Keys.category, diagnostics: &d)
                let title = c.optional("title").flatMap { NodeReader.localized($0, &d, context: "title") }
                let kind = c.optional("kind").flatMap { NodeReader.enumValue($0, CategoryKind.self, what: "category kind", &d) } ?? .event
                let facts = c.optional("facts").map { readFacts($0, zones: nil, &d) } ?? []
                draft.categories[id] = Category(id: id, title: title, kind: kind, facts: facts)
            }
        }
    }

    /// `groups:` and `authorities:` accept a list of ids or a mapping of id → { title }.
    static func readNamedList(_ node: YAMLNode, _ d: inout Diagnostics) -> [(String, LocalizedText?, SourceSpan)] {
        if let pairs = node.mapping {
            return pairs.compactMap { pair in
                guard let id = NodeReader.identifier(pair.key, &d) else { return nil }
                var title: LocalizedText?
                if !pair.value.isNull {
                    let m = MappingReader(pair.value, context: id, allowed: Keys.named, diagnostics: &d)
                    title = m.optional("title").flatMap { NodeReader.localized($0, &d, context: "title") }
                }
                return (id, title, pair.key.span)
            }
        }
        guard let items = NodeReader.list(node, &d) else { return [] }
        return items.compactMap { item in NodeReader.identifier(item, &d).map { ($0, nil, item.span) } }
    }

    static func readFacts(_ node: YAMLNode, zones: [String]?, _ d: inout Diagnostics) -> [FactDeclaration] {
        guard let pairs = node.mapping else {
            d.error(LoaderMessage.wrongType(expected: "a mapping", found: NodeReader.describe(node)), at: node.span,
                    help: .init(en: "declare facts as `{ name: type }`, e.g. `{ location: zone, charging: bool }`",
                                zh: "请以 `{ 名称: 类型 }` 声明事实，如 `{ location: zone, charging: bool }`"))
            return []
        }
        var out: [FactDeclaration] = []
        for pair in pairs {
            guard let name = NodeReader.identifier(pair.key, &d), let typeText = NodeReader.string(pair.value, &d) else { continue }
            guard let (type, optional) = FactType.parse(typeText) else {
                let bare = typeText.hasSuffix("?") ? String(typeText.dropLast()) : typeText
                let help = Suggestion.closest(to: bare, among: FactType.names).map {
                    LocalizedText(en: "did you mean `\($0)`?", zh: "是不是 `\($0)`？")
                } ?? LocalizedText(en: "types: bool, int, double, string, zone, timestamp, duration, [T]; add `?` for optional",
                                   zh: "类型：bool、int、double、string、zone、timestamp、duration、[T]；可选的加 `?`")
                d.error(LoaderMessage.unknownFactType(typeText), at: pair.value.span, help: help)
                continue
            }
            out.append(FactDeclaration(name: name, type: type, optional: optional))
        }
        return out
    }

    static func readEffective(_ node: YAMLNode, _ d: inout Diagnostics) -> Effective {
        if node.isScalar {
            return Effective(from: readDate(node, &d), until: nil)
        }
        let m = MappingReader(node, context: "effective", allowed: Keys.effective, diagnostics: &d)
        let from = m.optional("from").flatMap { readDate($0, &d) }
        let until = m.optional("until").flatMap { readDate($0, &d) }
        if let from, let until, from >= until, let span = m.optional("until")?.span {
            d.error(LoaderMessage.emptyRange(from.description, until.description), at: span)
        }
        return Effective(from: from, until: until)
    }

    static func readDate(_ node: YAMLNode, _ d: inout Diagnostics) -> LocalDate? {
        guard let text = NodeReader.string(node, &d) else { return nil }
        guard let date = LocalDate.parse(text) else {
            d.error(LoaderMessage.badDate(text), at: node.span,
                    help: .init(en: "write dates as YYYY-MM-DD, e.g. 2026-03-01", zh: "日期请写成 YYYY-MM-DD，如 2026-03-01"))
            return nil
        }
        return date
    }

    static func readDuration(_ node: YAMLNode, _ d: inout Diagnostics) -> DSLDuration? {
        guard let text = NodeReader.string(node, &d) else { return nil }
        guard let duration = DSLDuration.parse(text) else {
            d.error(LoaderMessage.badDuration(text), at: node.span,
                    help: .init(en: "use w, d, h, m, s from largest to smallest, e.g. 90d, 2h, 1h30m",
                                zh: "请用 w、d、h、m、s 由大到小书写，如 90d、2h、1h30m"))
            return nil
        }
        return duration
    }

    static func readPoints(_ node: YAMLNode, _ d: inout Diagnostics) -> PointsPolicy? {
        let m = MappingReader(node, context: "points", allowed: Keys.points, diagnostics: &d)
        guard let initialNode = m.required("initial", &d), let initial = NodeReader.points(initialNode, &d) else { return nil }
        let period = m.optional("period").flatMap { NodeReader.enumValue($0, Period.self, what: "period", &d) } ?? .year
        return PointsPolicy(initial: initial, period: period)
    }
}
