import CovenantCEL
import CovenantSource

/// Where a record came from: its file and line, for messages.
public struct RecordOrigin: Sendable, Hashable, CustomStringConvertible {
    /// The file (or `-` for standard input).
    public var file: String
    /// 1-based line where the record starts.
    public var line: Int

    /// Creates an origin.
    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line)" }
}

/// One incident record as read from a file, before it is judged: a map of fields (or the reason
/// it could not be read at all). A record read from an NDJSON line may keep the line's bytes
/// undecoded: ``content`` then parses them when asked, and the engine may read them directly.
public struct IncidentRecord: Sendable {
    /// Where it came from.
    public var origin: RecordOrigin
    private var storage: Storage

    private enum Storage: Sendable {
        case decoded(Result<MapValue, RecordProblem>)
        case json(ArraySlice<UInt8>)
    }

    /// Creates a record.
    public init(origin: RecordOrigin, content: Result<MapValue, RecordProblem>) {
        self.origin = origin
        self.storage = .decoded(content)
    }

    /// Creates a record from the text of one JSON object, which must be valid UTF-8; it is parsed
    /// only when ``content`` is read.
    public init(origin: RecordOrigin, validUTF8JSON json: [UInt8]) {
        self.origin = origin
        self.storage = .json(json[...])
    }

    /// Like ``init(origin:validUTF8JSON:)-([UInt8])``, sharing the bytes of a larger buffer (a
    /// reader's batch of lines) instead of copying them.
    public init(origin: RecordOrigin, validUTF8JSON json: ArraySlice<UInt8>) {
        self.origin = origin
        self.storage = .json(json)
    }

    /// The record's JSON text when it was read from JSON and not decoded yet.
    public var json: ArraySlice<UInt8>? {
        if case .json(let bytes) = storage { return bytes }
        return nil
    }

    /// Its fields, or the reason it could not be read (for a record kept as JSON text, parsed on
    /// every read).
    public var content: Result<MapValue, RecordProblem> {
        get {
            switch storage {
            case .decoded(let content): return content
            case .json(let bytes): return Self.decode(Array(bytes))
            }
        }
        set { storage = .decoded(newValue) }
    }

    /// The fields of one JSON object, or why it is not one.
    public static func decode(_ json: [UInt8]) -> Result<MapValue, RecordProblem> {
        do {
            return fields(of: try JSON.parse(validUTF8: json))
        } catch {
            return .failure(RecordProblem(.init(en: "invalid JSON at column \(error.location.column): \(error.message.en)",
                                                zh: "第 \(error.location.column) 列的 JSON 无效：\(error.message.zh)")))
        }
    }

    /// The fields of a value read as a record, or why it is not one (it must be a mapping).
    public static func fields(of value: Value) -> Result<MapValue, RecordProblem> {
        guard case .map(let map) = value else {
            return .failure(RecordProblem(.init(en: "a record must be a mapping (an object), found \(value.typeName)",
                                                zh: "记录必须是映射（对象），实际为 \(value.typeName)")))
        }
        return .success(map)
    }

    /// The record's `id` when it has a string one.
    public var id: String? {
        guard case .success(let map) = content, case .string(let s)? = map["id"] else { return nil }
        return s
    }
}

/// Why a record is invalid: a message and the field it concerns.
public struct RecordProblem: Error, Sendable, Hashable {
    /// What is wrong.
    public var message: LocalizedText
    /// The field (`facts.location`, `evidence`, …), when there is one.
    public var field: String?

    /// Creates a problem.
    public init(_ message: LocalizedText, field: String? = nil) {
        self.message = message
        self.field = field
    }
}

/// What kind of record an incident is.
public enum IncidentKind: String, Sendable, Hashable, CaseIterable {
    /// An alleged breach reported by a worker or resident.
    case report
    /// A patrol observation: compliant when nothing applicable is violated.
    case inspection
    /// A good deed.
    case deed
}

/// A validated incident, typed by the convention.
public struct Incident: Sendable {
    /// Creates a value from all its parts.
    @inlinable
    public init(id: String, kind: IncidentKind, occurredAt: Timestamp, reportedAt: Timestamp?, reporterID: String?, reporterRole: String?, grid: String?, building: String?, unit: String?, zone: String?, household: String?, category: String, facts: MapValue, evidence: [MapValue], local: LocalDateTime, origin: RecordOrigin) {
        self.id = id
        self.kind = kind
        self.occurredAt = occurredAt
        self.reportedAt = reportedAt
        self.reporterID = reporterID
        self.reporterRole = reporterRole
        self.grid = grid
        self.building = building
        self.unit = unit
        self.zone = zone
        self.household = household
        self.category = category
        self.facts = facts
        self.evidence = evidence
        self.local = local
        self.origin = origin
    }

    public let id: String
    public let kind: IncidentKind
    public let occurredAt: Timestamp
    public let reportedAt: Timestamp?
    public let reporterID: String?
    public let reporterRole: String?
    public let grid: String?
    public let building: String?
    public let unit: String?
    public let zone: String?
    public let household: String?
    public let category: String
    /// Facts converted to their declared types.
    public var facts: MapValue
    /// Evidence items: each has at least a `type`.
    public var evidence: [MapValue]
    /// The `incident` value conditions read, built on demand (most conditions read only `facts`
    /// and `local`, so the engine builds it only for categories whose conditions name `incident`).
    public var value: MapValue {
        var value = MapValue()
        value.set("id", .string(id))
        value.set("kind", .string(kind.rawValue))
        value.set("occurred_at", .timestamp(occurredAt))
        if let reportedAt { value.set("reported_at", .timestamp(reportedAt)) }
        if reporterID != nil || reporterRole != nil {
            var reporter = MapValue()
            if let reporterID { reporter.set("id", .string(reporterID)) }
            if let reporterRole { reporter.set("role", .string(reporterRole)) }
            value.set("reporter", .map(reporter))
        }
        var place = MapValue()
        if let grid { place.set("grid", .string(grid)) }
        if let building { place.set("building", .string(building)) }
        if let unit { place.set("unit", .string(unit)) }
        if let zone { place.set("zone", .string(zone)) }
        value.set("where", .map(place))
        if let household { value.set("household", .string(household)) }
        value.set("category", .string(category))
        value.set("evidence", .list(evidence.map { .map($0) }))
        return value
    }
    /// The local time of `occurred_at` in the convention's zone.
    public let local: LocalDateTime
    public let origin: RecordOrigin

    /// Evidence types, for requirement checks.
    public var evidenceTypes: [String] { Self.evidenceTypes(evidence) }

    /// The types of a list of evidence items.
    public static func evidenceTypes(_ evidence: [MapValue]) -> [String] {
        evidence.compactMap { if case .string(let t)? = $0["type"] { t } else { nil } }
    }
}
