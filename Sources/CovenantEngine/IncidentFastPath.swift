import CovenantCEL
import CovenantModel

/// Decodes a well-formed incident straight from its JSON bytes into an `Incident`, without building
/// the generic map of fields first — the engine's hot path for NDJSON input.
///
/// It accepts only what it can decide exactly as ``IncidentParser/parse(_:origin:)`` would for a
/// valid record, and gives up (returns nil) at the first thing out of the ordinary: a syntax error,
/// a duplicate or unknown key, an escape in a string, a value of an unexpected type, anything the
/// validator would report. The caller then takes the general path, which produces the record's
/// problems with their wording. So a record decodes to the same incident either way (a test holds
/// the two paths to it over the samples, the fuzz corpus and the benchmark workload). A class:
/// shared by reference, not copied per record.
final class IncidentFastPath: Sendable {
    let parser: IncidentParser
    /// Per category, what decoding its facts needs, resolved once.
    let categories: [String: CategoryFacts]
    /// The convention's zones, and their bytes for matching fact values in place (a value that
    /// matches none — or only by canonical equivalence — is left to the general path).
    let zoneNames: [String]
    let zoneKeys: KeyNames

    /// The most facts any category declares (room for a record's fact slots).
    let maxFacts: Int

    /// `plans`: the judge's plans; the facts of categories with typed conditions can be decoded
    /// into slots (see ``decode(_:origin:slots:slotted:)``).
    init(parser: IncidentParser, plans: [String: CategoryPlan] = [:]) {
        self.parser = parser
        zoneNames = parser.convention.zones
        zoneKeys = KeyNames(zoneNames)
        var categories: [String: CategoryFacts] = [:]
        for (id, category) in parser.convention.categories { categories[id] = CategoryFacts(category, id: id, plan: plans[id]) }
        self.categories = categories
        // Read per record without reference counting: every worker thread retaining the same
        // objects made the cores contend for their counts. They live as long as `categories`.
        categoryList = categories.keys.sorted().map { Unmanaged.passUnretained(categories[$0]!) }
        categoryKeys = KeyNames(categories.keys.sorted())
        maxFacts = categories.values.map(\.names.count).max() ?? 0
    }

    /// The categories, and their ids' bytes, for matching a record's category in place (a
    /// convention has a handful: comparing bytes beats making a string and hashing it).
    let categoryList: [Unmanaged<CategoryFacts>]
    let categoryKeys: KeyNames

    /// A category's kind and fact declarations, with the names as bytes for comparing keys in place.
    final class CategoryFacts: Sendable {
        /// The category's id (shared by every incident of it: no string is made per record).
        let id: String
        /// Its judging plan, when typed conditions judge it.
        let plan: CategoryPlan?
        let kind: CategoryKind
        let names: [String]
        let nameKeys: KeyNames
        let types: [FactType]
        /// Per fact, how a slot reads it (a plain value: reading `types` retained an indirect enum).
        let slotKinds: [SlotKind]
        let optional: [Bool]
        let anyRequired: Bool
        /// Whether typed conditions judge the category (its facts can go into slots).
        var typed: Bool { plan != nil }
        /// Per fact, whether typed conditions read it (a slot keeps its value); the others are
        /// only checked.
        let kept: [Bool]
        /// A bit per required fact, when there are at most 64 facts (else nil: ``optional`` is read).
        let requiredBits: UInt64?

        /// `id`: the key the convention files the category under (the general reader's too; a
        /// convention built in code may give the category another `id`).
        init(_ category: Category, id: String, plan: CategoryPlan?) {
            self.id = id
            self.plan = plan?.typed == nil ? nil : plan
            let slotsRead = self.plan?.typed?.slotsRead
            kind = category.kind
            names = category.facts.map(\.name)
            nameKeys = KeyNames(category.facts.map(\.name))
            types = category.facts.map(\.type)
            slotKinds = category.facts.map { SlotKind($0.type) }
            optional = category.facts.map(\.optional)
            anyRequired = category.facts.contains { !$0.optional }
            kept = category.facts.indices.map { slotsRead?.contains($0) ?? false }
            requiredBits = category.facts.count > 64 ? nil
                : category.facts.indices.reduce(0) { bits, i in category.facts[i].optional ? bits : bits | 1 << UInt64(i) }
        }
    }

    func decode(_ json: ArraySlice<UInt8>, origin: RecordOrigin) -> Incident? {
        json.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(bytes: buffer)
            var plan: CategoryPlan?
            return decode(&scanner, origin: origin, slots: nil, slotted: &plan)
        }
    }

    /// Like ``decode(_:origin:slots:slotted:into:)``, the incident returned.
    func decode(_ s: inout JSONScanner, origin: RecordOrigin, slots: UnsafeMutableBufferPointer<FactSlot>?,
                slotted typedPlan: inout CategoryPlan?) -> Incident? {
        withUnsafeTemporaryAllocation(of: Incident.self, capacity: 1) { out in
            decode(&s, origin: origin, slots: slots, slotted: &typedPlan, into: out.baseAddress!) ? out.baseAddress!.move() : nil
        }
    }

    /// Like ``decode(_:origin:)``; and when typed conditions judge the record's category, its facts
    /// go into `slots` (by declaration index; room for ``maxFacts``) instead of the incident's map,
    /// which is then left empty, and `slotted` is set to the category's plan. The facts are checked
    /// exactly as for the map.
    /// The incident is made in `out` (uninitialized; initialized when true is returned): returned
    /// as a value, it was built, copied — a retain per string — and the original destroyed.
    func decode(_ s: inout JSONScanner, origin: RecordOrigin, slots: UnsafeMutableBufferPointer<FactSlot>?,
                slotted typedPlan: inout CategoryPlan?, into out: UnsafeMutablePointer<Incident>) -> Bool {
        var slotted = false
        // Strings are made at the end, straight into the incident (made in the member closure,
        // each was retained into the incident and released from its box).
        var idRange: Range<Int>?
        var kindGiven: IncidentKind?
        var kindPresent = false
        // Times are parsed from their bytes (no string is made of them).
        var occurredText: Range<Int>?
        var reportedText: Range<Int>?
        var reporterID: String?, reporterRole: String?
        var grid: JSONScanner.Label?, building: JSONScanner.Label?, unit: JSONScanner.Label?, zone: Int?
        var household: JSONScanner.Label?
        var categoryRef: Unmanaged<CategoryFacts>?
        var factsRange: Range<Int>?
        var facts: MapValue?
        var evidenceRange: Range<Int>?

        // Every key taken is one of the known names (any other sends the record to the general
        // path), so a repeated key is caught by a bit per name — no pairwise comparison of keys.
        var seen: UInt32 = 0
        guard s.membersPredicted(Self.envelopeNames, lookup: { s, key, expected in
            s.index(of: key, in: Self.envelopeNames, tryingFirst: expected)
        }, { s, index, key in
            let which = index.map { Self.envelopeOrder[$0] } ?? .other
            guard which != .other, seen & which.bit == 0 else { return false }
            seen |= which.bit
            switch which {
            case .id:
                guard let v = s.rawString(), !v.isEmpty else { return false }
                idRange = v
            case .kind:
                kindPresent = true
                if s.null() { return true }
                guard let v = s.rawString() else { return false }
                if s.equals(v, "report") { kindGiven = .report }
                else if s.equals(v, "inspection") { kindGiven = .inspection }
                else if s.equals(v, "deed") { kindGiven = .deed }
                else { return false }
            case .occurredAt:
                guard let v = s.rawString() else { return false }
                occurredText = v
            case .reportedAt:
                if s.null() { return true }
                guard let v = s.rawString() else { return false }
                reportedText = v
            case .reporter:
                if s.null() { return true }
                if let v = s.string() {
                    reporterID = v
                    return true
                }
                return s.object { s, key in
                    if s.equals(key, "id") {
                        if let v = s.string() { reporterID = v; return true }
                    } else if s.equals(key, "role") {
                        if let v = s.string() { reporterRole = v; return true }
                    }
                    return s.skipValue(depth: 2)
                }
            case .where:
                if s.null() { return true }
                var whereSeen: UInt32 = 0
                return s.membersPredicted(Self.whereNames, lookup: { s, key, expected in
                    s.index(of: key, in: Self.whereNames, tryingFirst: expected)
                }) { s, index, key in
                    let which = index.map { Self.whereOrder[$0] } ?? .other
                    guard which != .other, whereSeen & which.bit == 0 else { return false }
                    whereSeen |= which.bit
                    if which == .zone {
                        // Matched by its bytes against the convention's zones, whose own string is then used.
                        guard let range = s.rawString(), let z = s.index(of: range, in: zoneKeys) else { return false }
                        zone = z
                        return true
                    }
                    guard let v = s.label() else { return false }
                    switch which {
                    case .grid: grid = v
                    case .building: building = v
                    case .unit: unit = v
                    default: return false
                    }
                    return true
                }
            case .household:
                if s.null() { return true }
                guard let v = s.label() else { return false }
                household = v
            case .category:
                guard let range = s.rawString(), let c = s.index(of: range, in: categoryKeys) else { return false }
                categoryRef = categoryList[c]
            case .facts:
                // Decoded at once when the category came first (the usual order), else after.
                if let categoryRef {
                    return categoryRef._withUnsafeGuaranteedRef { info in
                        if let slots, info.typed {
                            slotted = self.slotFacts(&s, info, into: slots)
                            return slotted
                        }
                        guard let f = self.facts(&s, info) else { return false }
                        facts = f
                        return true
                    }
                }
                let start = s.position
                guard s.skipValue(depth: 1) else { return false }
                factsRange = start..<s.position
            case .evidence:
                let start = s.position
                guard s.skipValue(depth: 1) else { return false }
                evidenceRange = start..<s.position
            case .note, .description:
                return s.skipValue(depth: 1)
            default:
                return false
            }
            return true
        }), s.atEnd() else { return false }

        // The checks of IncidentParser.parse, in its terms; any problem sends the record there.
        guard let idRange, let occurredText, let categoryRef, let occurred = s.incidentTime(occurredText) else { return false }
        // Not retained: the categories live as long as the fast path (a count per record on
        // one shared object made the cores contend).
        unowned(unsafe) let category = categoryRef.takeUnretainedValue()
        var kind = kindGiven ?? .report
        if category.kind == .deed {
            if kindPresent, kind != .deed { return false }
            if !kindPresent { kind = .deed }
        }
        if category.kind == .event, kind == .deed { return false }
        var reported: Timestamp?
        if let reportedText {
            guard let t = s.incidentTime(reportedText), !(t < occurred) else { return false }
            reported = t
        }
        if let factsRange {
            s.position = factsRange.lowerBound
            if let slots, category.typed {
                slotted = self.slotFacts(&s, category, into: slots)
                guard slotted else { return false }
            } else {
                guard let f = self.facts(&s, category) else { return false }
                facts = f
            }
        }
        if facts == nil, !slotted {
            guard !category.anyRequired else { return false }
            if let slots, category.typed {
                for i in category.names.indices { slots[i] = .absent }
                slotted = true
            }
            facts = MapValue()
        }
        var evidence: [MapValue] = []
        if let evidenceRange {
            s.position = evidenceRange.lowerBound
            guard let e = self.evidence(&s, range: evidenceRange) else { return false }
            evidence = e
        }
        guard let timeZone = parser.timeZone else { return false }
        if slotted { typedPlan = category.plan }
        let local = TimeZones.local(occurred, in: timeZone)
        out.initialize(to: Incident(
            id: s.text(idRange), kind: kind, occurredAt: occurred, reportedAt: reported, reporterID: reporterID,
            reporterRole: reporterRole, grid: grid.map(s.text), building: building.map(s.text), unit: unit.map(s.text),
            zone: zone.map { zoneNames[$0] }, household: household.map(s.text), category: category.id,
            facts: facts ?? MapValue(), evidence: evidence, local: local, origin: origin))
        return true
    }

    /// The envelope's keys in the order records usually give them (tried in that order first; see
    /// `JSONScanner.membersPredicted`), and their names to find a key among otherwise.
    private static let envelopeOrder: [Key] = [.id, .kind, .occurredAt, .household, .where, .category, .facts, .evidence,
                                               .reportedAt, .reporter, .note, .description]
    private static let envelopeNames = KeyNames(envelopeOrder.map(\.name))
    /// The same for `where`.
    private static let whereOrder: [Key] = [.grid, .building, .unit, .zone]
    private static let whereNames = KeyNames(whereOrder.map(\.name))

    private enum Key: Int { case id, kind, note, `where`, facts, category, reporter, evidence, household, occurredAt, reportedAt,
                            description, grid, zone, unit, building, other

        /// The key's bit in a set of keys seen.
        var bit: UInt32 { 1 << UInt32(rawValue) }

        /// The name as records spell it.
        var name: String {
            switch self {
            case .occurredAt: "occurred_at"
            case .reportedAt: "reported_at"
            default: "\(self)"
            }
        }
    }

    /// The facts object, converted to the declared types and in declaration order. Facts written
    /// in declaration order (the usual case) go straight into the map; otherwise they are put in
    /// order first.
    private func facts(_ s: inout JSONScanner, _ info: CategoryFacts) -> MapValue? {
        let count = info.names.count
        var out = MapValue(minimumCapacity: count)
        guard !s.null() else {
            // `facts: null` is no facts at all.
            return info.anyRequired ? nil : out
        }
        var last = -1
        var values: [Value?]?
        guard eachFact(&s, info, { s, i in
            guard let v = value(&s, info.types[i]) else { return false }
            if values == nil, i > last {
                out.appendNew(info.names[i], v)
                last = i
                return true
            }
            if values == nil {
                var inOrder = [Value?](repeating: nil, count: count)
                for entry in out.entries {
                    if case .string(let name) = entry.key, let k = info.names.firstIndex(of: name) { inOrder[k] = entry.value }
                }
                values = inOrder
            }
            values![i] = v
            return true
        }) else { return nil }
        guard let values else { return out }
        out = MapValue(minimumCapacity: count)
        for i in 0..<count { if let v = values[i] { out.appendNew(info.names[i], v) } }
        return out
    }

    /// The facts object into slots: checked as ``facts(_:_:)`` checks it; the facts typed
    /// conditions read (or, `keepingAll`, every one) are kept, in place (strings as ranges of the bytes).
    func slotFacts(_ s: inout JSONScanner, _ info: CategoryFacts, into slots: UnsafeMutableBufferPointer<FactSlot>,
                   keepingAll: Bool = false) -> Bool {
        let count = info.names.count
        for i in 0..<count { slots[i] = .absent }
        if s.null() { return !info.anyRequired }
        return eachFact(&s, info) { s, i in
            let kind = info.slotKinds[i]
            // Timestamps, durations and lists are never read by typed conditions: checked as the
            // map's value is, without making it.
            guard let v = kind == .other ? (check(&s, info.types[i]) ? .unread : nil)
                                         : slot(&s, kind, kept: keepingAll || info.kept[i]) else { return false }
            slots[i] = v
            return true
        }
    }

    /// The members of a facts object (not `null`), each given fact but a `null` one handed to
    /// `take` by its declaration index to read its value: false for an undeclared or repeated key
    /// (every key taken is a declared fact, so a flag per fact catches a repeat), a value `take`
    /// refuses, or — once all are read — a required fact not given. The one walk of the map's
    /// decoding and the slots'.
    @inline(__always)
    private func eachFact(_ s: inout JSONScanner, _ info: CategoryFacts, _ take: (inout JSONScanner, Int) -> Bool) -> Bool {
        let count = info.names.count
        var given = Found(count: count), found = Found(count: count)
        // Records usually list the facts in declaration order: the next one is tried first.
        guard s.membersPredicted(info.nameKeys, lookup: { s, key, expected in
            s.index(of: key, in: info.nameKeys, tryingFirst: expected)
        }, { s, index, _ in
            guard let i = index, !given.contains(i) else { return false }
            given.insert(i)
            // Null is an absent fact.
            if s.null() { return true }
            guard take(&s, i) else { return false }
            found.insert(i)
            return true
        }) else { return false }
        if let required = info.requiredBits { return required & ~found.bits == 0 }
        for i in 0..<count where !found.contains(i) && !info.optional[i] { return false }
        return true
    }

    /// How a fact's value goes into a slot: the scalar types, and the rest (read by their type).
    enum SlotKind: UInt8 {
        case bool, int, double, string, zone, other

        init(_ type: FactType) {
            switch type {
            case .bool: self = .bool
            case .int: self = .int
            case .double: self = .double
            case .string: self = .string
            case .zone: self = .zone
            case .timestamp, .duration, .list: self = .other
            }
        }
    }

    /// One scalar fact value checked and kept as ``value(_:_:)`` reads it (`.other`: nil).
    @inline(__always)
    private func slot(_ s: inout JSONScanner, _ kind: SlotKind, kept: Bool) -> FactSlot? {
        switch kind {
        case .bool:
            guard let b = s.bool() else { return nil }
            return kept ? .bool(b) : .unread
        case .int:
            guard case .int(let i)? = s.number() else { return nil }
            return kept ? .int(i) : .unread
        case .double:
            switch s.number() {
            case .int(let i)?: return kept ? .double(Double(i)) : .unread
            case .double(let d)?: return kept ? .double(d) : .unread
            case nil: return nil
            }
        case .string:
            guard let range = s.rawString() else { return nil }
            return kept ? Self.text(range) : .unread
        case .zone:
            guard let range = s.rawString(), s.index(of: range, in: zoneKeys) != nil else { return nil }
            return kept ? Self.text(range) : .unread
        case .other:
            return nil
        }
    }

    /// Whether the next value is one ``value(_:_:)`` accepts for the type — skipped, not made
    /// (a list's items are not gathered into an array).
    private func check(_ s: inout JSONScanner, _ type: FactType) -> Bool {
        switch type {
        case .bool: return s.bool() != nil
        case .int:
            guard case .int? = s.number() else { return false }
            return true
        case .double: return s.number() != nil
        case .string: return s.rawString() != nil
        case .zone:
            guard let range = s.rawString() else { return false }
            return s.index(of: range, in: zoneKeys) != nil
        case .list(let element):
            if case .list = element { return false }
            return s.array { s in check(&s, element) }
        case .timestamp, .duration: return value(&s, type) != nil
        }
    }

    /// A text slot (nil — the general path — for a record too large for its offsets).
    private static func text(_ range: Range<Int>) -> FactSlot? {
        guard let start = Int32(exactly: range.lowerBound), let end = Int32(exactly: range.upperBound) else { return nil }
        return .text(start, end)
    }

    /// Which facts were given: bits for the usual few dozen, an array beyond.
    private struct Found {
        var bits: UInt64 = 0
        /// Empty unless there are more than 64 facts.
        var more: [Bool] = []

        init(count: Int) { if count > 64 { more = [Bool](repeating: false, count: count) } }

        @inline(__always)
        mutating func insert(_ i: Int) {
            if more.isEmpty { bits |= 1 << UInt64(i) } else { more[i] = true }
        }

        @inline(__always)
        func contains(_ i: Int) -> Bool { more.isEmpty ? bits & (1 << UInt64(i)) != 0 : more[i] }
    }

    /// One fact value of the declared type, as IncidentParser.convert gives it for a valid value.
    private func value(_ s: inout JSONScanner, _ type: FactType) -> Value? {
        switch type {
        case .bool:
            return s.bool().map(Value.bool)
        case .int:
            guard case .int(let i)? = s.number() else { return nil }
            return .int(i)
        case .double:
            switch s.number() {
            case .int(let i)?: return .double(Double(i))
            case .double(let d)?: return .double(d)
            case nil: return nil
            }
        case .string:
            return s.string().map(Value.string)
        case .zone:
            // Matched by its bytes against the convention's zones, whose own string is then used.
            guard let range = s.rawString(), let z = s.index(of: range, in: zoneKeys) else { return nil }
            return .string(zoneNames[z])
        case .timestamp:
            guard let text = s.string(), let t = Timestamp.parse(text) else { return nil }
            return .timestamp(t)
        case .duration:
            guard let text = s.string() else { return nil }
            if let d = DSLDuration.parse(text), let v = CELDuration(seconds: d.seconds) { return .duration(v) }
            return CELDuration.parse(text).map(Value.duration)
        case .list(let element):
            if case .list = element { return nil }
            var items: [Value] = []
            guard s.array({ s in
                guard let v = value(&s, element) else { return false }
                items.append(v)
                return true
            }) else { return nil }
            return .list(items)
        }
    }

    /// Evidence: an empty list directly; anything else through the general JSON reader, with the
    /// general rules (each item a mapping with a string `type`, or a string).
    private func evidence(_ s: inout JSONScanner, range: Range<Int>) -> [MapValue]? {
        if s.null() { return [] }
        guard case .list(let items)? = try? JSON.parse(validUTF8: s.bytes(range)) else { return nil }
        var out: [MapValue] = []
        for item in items {
            guard let e = IncidentParser.evidenceItem(item) else { return nil }
            out.append(e)
        }
        return out
    }
}

extension Engine {
    /// Whether the fast path and the general path decide the same on one JSON record (true when the
    /// fast path gives up, or when the general path finds the record invalid and the fast path gave
    /// up too). For the fuzzer and the tests, which hunt for a record where they differ.
    package func fastPathAgrees(json: [UInt8]) -> Bool {
        let origin = RecordOrigin(file: "check", line: 1)
        guard let quick = judge.fastPath.decode(json[...], origin: origin) else { return true }
        guard case .success(let map) = IncidentRecord.decode(json),
              case .valid(let general) = judge.parser.parse(map, origin: origin) else { return false }
        return Self.same(quick, general)
    }

    /// Whether typed conditions judge a JSON record as the general evaluator does: the same rules
    /// broken and complied with, the same problems. For the fuzzer and the tests.
    package func typedConditionsAgree(json: [UInt8]) -> Bool {
        let record = IncidentRecord(origin: RecordOrigin(file: "check", line: 1), validUTF8JSON: json)
        var general = judge
        general.typedConditions = false
        let a = judge.judge(record, factsNeeded: false), b = general.judge(record, factsNeeded: false)
        return a.violated == b.violated && a.complied == b.complied && a.missingEvidence == b.missingEvidence
            && "\(a.problems)" == "\(b.problems)" && "\(a.exemptions)" == "\(b.exemptions)"
            && a.incident.map { Self.same($0, b.incident!, facts: false) } ?? (b.incident == nil)
    }

    /// Whether the order scan reads a JSON record's household, time and id as the validator does
    /// (nothing for a record without a household; anything for an invalid record). For the fuzzer.
    package func orderKeyAgrees(json: [UInt8]) -> Bool {
        let origin = RecordOrigin(file: "check", line: 1)
        guard case .success(let map) = IncidentRecord.decode(json),
              case .valid(let incident) = judge.parser.parse(map, origin: origin) else { return true }
        let key = OrderKey.of(IncidentRecord(origin: origin, validUTF8JSON: json))
        guard let household = incident.household else { return key == nil }
        return key == OrderKey(household: household, time: incident.occurredAt, id: incident.id)
    }

    /// Whether two incidents are the same (`facts` false: but for their facts).
    static func same(_ a: Incident, _ b: Incident, facts: Bool = true) -> Bool {
        a.id == b.id && a.kind == b.kind && a.occurredAt == b.occurredAt && a.reportedAt == b.reportedAt
            && a.reporterID == b.reporterID && a.reporterRole == b.reporterRole && a.grid == b.grid
            && a.building == b.building && a.unit == b.unit && a.zone == b.zone && a.household == b.household
            && a.category == b.category && (!facts || JSON.write(.map(a.facts)) == JSON.write(.map(b.facts)))
            && JSON.write(.list(a.evidence.map { .map($0) })) == JSON.write(.list(b.evidence.map { .map($0) }))
            && a.local == b.local && a.origin == b.origin
    }
}
