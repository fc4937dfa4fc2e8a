import CovenantCEL
import CovenantModel
import CovenantSource
import CovenantYAML

/// Reads a roster from CSV (a header row; columns `household`, `grid`, `building`, `unit`,
/// optional `name`, then attribute columns typed by the convention's `roster.household`, and
/// `building.NAME` columns for `roster.building`) or YAML (`households:` and `buildings:` lists).
public enum RosterReader {
    /// A roster problem with its line.
    public struct Problem: Error, Sendable {
        public var message: LocalizedText
        public var line: Int
        /// Where on the line it starts and ends, when known (a YAML roster's value); else the line.
        public var span: SourceSpan?

        public init(message: LocalizedText, line: Int, span: SourceSpan? = nil) {
            self.message = message
            self.line = line
            self.span = span
        }
    }

    /// Reads a roster; every problem is collected (the roster is still returned without the bad rows).
    public static func read(_ bytes: [UInt8], file: String, schema: RosterSchema) -> (Roster, [Problem]) {
        if file.lowercased().hasSuffix(".csv") { return readCSV(bytes, schema: schema) }
        return readYAML(bytes, file: file, schema: schema)
    }

    static func typed(_ text: String, _ type: FactType) -> Value? {
        switch type {
        case .bool:
            switch text.lowercased() {
            case "true", "1", "yes", "是": return .bool(true)
            case "false", "0", "no", "否", "": return .bool(false)
            default: return nil
            }
        case .int: return Int64(text).map { .int($0) }
        case .double: return Double(text).map { .double($0) }
        case .string, .zone: return .string(text)
        case .timestamp: return Timestamp.parse(text).map { .timestamp($0) }
        case .duration: return CELDuration.parse(text).map { .duration($0) }
        case .list(let e): return .list(text.split(separator: ";").compactMap { typed(String($0), e) })
        }
    }

    static func readCSV(_ bytes: [UInt8], schema: RosterSchema) -> (Roster, [Problem]) {
        var roster = Roster()
        var problems: [Problem] = []
        let rows = CSVParser.rows(bytes)
        guard let header = rows.first else { return (roster, problems) }
        let columns = header.fields.map { $0.trimmingCharacters() }
        guard let householdColumn = columns.firstIndex(of: "household") else {
            return (roster, [Problem(message: .init(en: "the roster needs a `household` column", zh: "名册需要 `household` 列"), line: header.line)])
        }
        let householdTypes = Dictionary(schema.household.map { ($0.name, $0.type) }, uniquingKeysWith: { first, _ in first })
        let buildingTypes = Dictionary(schema.building.map { ($0.name, $0.type) }, uniquingKeysWith: { first, _ in first })
        for row in rows.dropFirst() {
            if let error = row.error {
                problems.append(Problem(message: .init(en: "malformed row: \(error.en)", zh: "行格式错误：\(error.zh)"), line: row.line))
                continue
            }
            guard row.fields.count == columns.count else {
                problems.append(Problem(message: .init(en: "row has \(row.fields.count) fields, the header has \(columns.count)",
                                                       zh: "该行有 \(row.fields.count) 个字段，表头有 \(columns.count) 个"), line: row.line))
                continue
            }
            var h = Roster.Household(id: row.fields[householdColumn])
            var buildingAttributes = MapValue()
            for (column, cell) in zip(columns, row.fields) {
                switch column {
                case "household": continue
                case "grid": h.grid = cell.isEmpty ? nil : cell
                case "building": h.building = cell.isEmpty ? nil : cell
                case "unit": h.unit = cell.isEmpty ? nil : cell
                case "name": h.name = cell.isEmpty ? nil : cell
                default:
                    if column.hasPrefix("building.") {
                        let name = String(column.dropFirst(9))
                        guard let type = buildingTypes[name] else { continue }
                        if let v = typed(cell, type) { buildingAttributes.set(name, v) } else {
                            problems.append(Problem(message: .init(en: "`\(column)` must be \(type), found `\(cell)`",
                                                                   zh: "`\(column)` 必须是 \(type)，实际为 `\(cell)`"), line: row.line))
                        }
                    } else if let type = householdTypes[column] {
                        if cell.isEmpty { continue }
                        if let v = typed(cell, type) { h.attributes.set(column, v) } else {
                            problems.append(Problem(message: .init(en: "`\(column)` must be \(type), found `\(cell)`",
                                                                   zh: "`\(column)` 必须是 \(type)，实际为 `\(cell)`"), line: row.line))
                        }
                    } else {
                        // Undeclared columns (sensitive flags, contacts) are kept out of conditions.
                        continue
                    }
                }
            }
            if h.id.isEmpty {
                problems.append(Problem(message: .init(en: "empty `household`", zh: "`household` 为空"), line: row.line))
                continue
            }
            if roster.households[h.id] != nil {
                problems.append(Problem(message: .init(en: "household `\(h.id)` appears twice", zh: "住户 `\(h.id)` 重复出现"), line: row.line))
                continue
            }
            if let b = h.building {
                var building = roster.buildings[b] ?? Roster.Building(id: b, grid: h.grid)
                for entry in buildingAttributes.entries {
                    if case .string(let k) = entry.key { building.attributes.set(k, entry.value) }
                }
                roster.buildings[b] = building
            }
            roster.households[h.id] = h
        }
        return (roster, problems)
    }

    static func readYAML(_ bytes: [UInt8], file: String, schema: RosterSchema) -> (Roster, [Problem]) {
        var roster = Roster()
        var problems: [Problem] = []
        let document: YAMLDocument
        do {
            document = try YAMLReader.parseDocument(bytes: bytes, file: file)
        } catch {
            return (roster, [Problem(message: error.diagnostic.message, line: error.span?.start.line ?? 1, span: error.span)])
        }
        let householdTypes = Dictionary(schema.household.map { ($0.name, $0.type) }, uniquingKeysWith: { first, _ in first })
        let buildingTypes = Dictionary(schema.building.map { ($0.name, $0.type) }, uniquingKeysWith: { first, _ in first })
        func attributes(_ node: YAMLNode, _ types: [String: FactType], reserved: Set<String>) -> MapValue {
            var m = MapValue()
            for pair in node.mapping ?? [] {
                guard let key = pair.key.string, !reserved.contains(key), let type = types[key] else { continue }
                let value = YAMLValues.value(of: pair.value)
                let text: String
                switch value {
                case .string(let s): text = s
                case .bool(let b): text = b ? "true" : "false"
                case .int(let i): text = String(i)
                case .double(let d): text = String(d)
                default: text = ""
                }
                if let v = typed(text, type) { m.set(key, v) } else {
                    problems.append(Problem(message: .init(en: "`\(key)` must be \(type), found `\(text)`", zh: "`\(key)` 必须是 \(type)，实际为 `\(text)`"),
                                            line: pair.value.span.start.line, span: pair.value.span))
                }
            }
            return m
        }
        // The shape: a mapping of `households` and `buildings`, each a list (undeclared attribute
        // keys inside them are left out, as undeclared CSV columns are).
        guard let top = document.root.mapping else {
            return (roster, [Problem(message: .init(en: "a roster is a mapping with `households` and `buildings` lists",
                                                    zh: "名册应为含 `households` 与 `buildings` 列表的映射"),
                                     line: document.root.span.start.line, span: document.root.span)])
        }
        for pair in top {
            let key = pair.key.string ?? ""
            guard key == "households" || key == "buildings" else {
                problems.append(Problem(message: .init(en: "unknown key `\(key)`: a roster holds `households` and `buildings`",
                                                       zh: "未知的键 `\(key)`：名册只含 `households` 与 `buildings`"),
                                        line: pair.key.span.start.line, span: pair.key.span))
                continue
            }
            if pair.value.sequence == nil, !pair.value.isNull {
                problems.append(Problem(message: .init(en: "`\(key)` must be a list", zh: "`\(key)` 必须是列表"),
                                        line: pair.value.span.start.line, span: pair.value.span))
            }
        }
        for node in document.root["buildings"]?.sequence ?? [] {
            guard let id = node["id"]?.string else {
                problems.append(Problem(message: .init(en: "a building needs an `id`", zh: "楼栋需要 `id`"), line: node.span.start.line, span: node.span))
                continue
            }
            if roster.buildings[id] != nil {
                problems.append(Problem(message: .init(en: "building `\(id)` appears twice", zh: "楼栋 `\(id)` 重复出现"),
                                        line: node.span.start.line, span: node["id"]?.span ?? node.span))
                continue
            }
            roster.buildings[id] = Roster.Building(id: id, grid: node["grid"]?.string,
                                                   attributes: attributes(node, buildingTypes, reserved: ["id", "grid"]))
        }
        for node in document.root["households"]?.sequence ?? [] {
            guard let id = node["id"]?.string else {
                problems.append(Problem(message: .init(en: "a household needs an `id`", zh: "住户需要 `id`"), line: node.span.start.line, span: node.span))
                continue
            }
            if roster.households[id] != nil {
                problems.append(Problem(message: .init(en: "household `\(id)` appears twice", zh: "住户 `\(id)` 重复出现"),
                                        line: node.span.start.line, span: node["id"]?.span ?? node.span))
                continue
            }
            let h = Roster.Household(id: id, grid: node["grid"]?.string, building: node["building"]?.string,
                                     unit: node["unit"]?.string, name: node["name"]?.string,
                                     attributes: attributes(node, householdTypes, reserved: ["id", "grid", "building", "unit", "name"]))
            if let b = h.building, roster.buildings[b] == nil { roster.buildings[b] = Roster.Building(id: b, grid: h.grid) }
            roster.households[id] = h
        }
        return (roster, problems)
    }
}
