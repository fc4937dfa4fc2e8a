import CovenantCEL
import CovenantModel

/// What orders a record among its household's offences: household, `occurred_at`, `id`.
struct OrderKey: Sendable {
    let household: String
    let time: Timestamp
    let id: String

    /// Read without judging the record. Nil when the record cannot count in any household's
    /// offences: it names no household, or it is invalid (no id, no valid `occurred_at`, not an
    /// object). A key read here is the one the judge reads, since both come from the same fields
    /// with the same rules; a record that turns out invalid anyway only makes the check stricter.
    static func of(_ record: IncidentRecord) -> OrderKey? {
        if let json = record.json {
            switch scan(json) {
            case .key(let key): return key
            case .none: return nil
            case .undecided: break
            }
        }
        guard case .success(let map) = record.content else { return nil }
        let household: String
        switch map["household"] {
        case .string(let s)?: household = s
        case .int(let i)?: household = String(i)
        default: return nil
        }
        guard case .string(let id)? = map["id"], !id.isEmpty,
              case .string(let text)? = map["occurred_at"], let time = IncidentParser.incidentTime(text) else { return nil }
        return OrderKey(household: household, time: time, id: id)
    }

    private enum Scanned { case key(OrderKey), none, undecided }

    /// The three fields straight from the bytes, everything else skipped; `undecided` for anything
    /// the strict scanner gives up on (the general reader then decides).
    private static func scan(_ json: ArraySlice<UInt8>) -> Scanned {
        json.withUnsafeBufferPointer { buffer in
            var s = JSONScanner(bytes: buffer)
            var household: String?
            var id: String?
            var occurred: Range<Int>?
            // Other fields are skipped unchecked, and the scan stops once it has the three: a record
            // that is not valid JSON (or repeats one of them) is invalid whatever the scan reads,
            // and an invalid record only makes the order check stricter.
            var found = false
            let complete = s.membersUnchecked { s, key in
                if s.equals(key, "household") {
                    if s.null() { return true }
                    guard let v = s.labelText() else { return false }
                    household = v
                } else if s.equals(key, "id") {
                    guard let v = s.string() else { return false }
                    id = v
                } else if s.equals(key, "occurred_at") {
                    guard let v = s.rawString() else { return false }
                    occurred = v
                } else {
                    return s.skipUnchecked()
                }
                found = household != nil && id != nil && occurred != nil
                return !found
            }
            guard complete || found else { return .undecided }
            guard let household else { return .none }
            guard let id, !id.isEmpty, let occurred, let time = s.incidentTime(occurred) else { return .none }
            return .key(OrderKey(household: household, time: time, id: id))
        }
    }

    /// Whether `a` comes before `b` in a household's order (time, then id by its UTF-8 bytes).
    static func precedes(_ a: Timestamp, _ aID: String, _ b: Timestamp, _ bID: String) -> Bool {
        if a != b { return a < b }
        return aID.utf8.lexicographicallyPrecedes(bID.utf8)
    }
}

/// Finds the households whose records do not come in time order (by `occurred_at`, then `id`;
/// ties keep input order). Offences of a household in order can be numbered as its records stream
/// by, with only its escalation windows in memory; the others need the whole input first.
struct HouseholdOrder {
    /// Per household: its last record's key while its records are in order.
    private enum State {
        case new
        case ordered(time: Timestamp, id: String)
        case unordered

        /// Changes the state in place (through the dictionary's subscript: one lookup per record).
        mutating func update(_ change: (inout State) -> Void) { change(&self) }
    }

    private var states: [String: State] = [:]
    /// Households with a record earlier than one read before it.
    private(set) var unordered: Set<String> = []

    /// Takes the next record's key, in input order (history first).
    mutating func add(_ key: OrderKey) {
        var becameUnordered = false
        states[key.household, default: .new].update { state in
            switch state {
            case .unordered:
                return
            case .ordered(let time, let id) where OrderKey.precedes(key.time, key.id, time, id):
                state = .unordered
                becameUnordered = true
            case .new, .ordered:
                state = .ordered(time: key.time, id: key.id)
            }
        }
        if becameUnordered { unordered.insert(key.household) }
    }
}
