import CovenantCEL
import CovenantModel

/// What orders a record among its household's offences: household, `occurred_at`, `id` — kept
/// small, without strings (this pass reads every record, and the caller's thread takes in every
/// key): the household's name as a 64-bit hash and the id as its first 16 bytes and its length.
///
/// Neither can make a verdict wrong, only slower: the scan's one question is whether a household's
/// records come in time order, and any household it cannot vouch for is numbered through the index,
/// which is right for every household. Two households whose names share a hash are checked as one
/// (if their records together are in order, each one's are); ids alike in their first 16 bytes, one
/// of them longer, at the same time count as out of order.
struct OrderKey: Sendable, Equatable {
    let household: UInt64
    let time: Timestamp
    /// The id's first 16 bytes, big-endian (so that comparing the numbers compares the bytes;
    /// shorter ids padded with zeros, which no id byte is), and its length in bytes.
    let idHigh: UInt64, idLow: UInt64
    let idLength: Int

    init(household: UInt64, time: Timestamp, id: UnsafeBufferPointer<UInt8>) {
        self.household = household
        self.time = time
        (idHigh, idLow) = Self.prefix(id)
        idLength = id.count
    }

    /// The key of a household, time and id given as strings.
    init(household: String, time: Timestamp, id: String) {
        var id = id
        self = id.withUTF8 { OrderKey(household: Self.hash(household), time: time, id: $0) }
    }

    /// A household's name as the scan keeps it (FNV-1a over its UTF-8 bytes).
    static func hash(_ household: String) -> UInt64 {
        var name = household
        return name.withUTF8(hash)
    }

    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    private static func prefix(_ bytes: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64) {
        var high: UInt64 = 0, low: UInt64 = 0
        for (k, b) in bytes.prefix(16).enumerated() {
            if k < 8 { high |= UInt64(b) << (56 - 8 * UInt64(k)) } else { low |= UInt64(b) << (56 - 8 * UInt64(k - 8)) }
        }
        return (high, low)
    }

    /// Whether `a` comes before `b` in a household's order (time, then id by its UTF-8 bytes); nil
    /// when the kept bytes cannot tell (ids alike in their first 16 bytes, one of them longer).
    static func precedes(_ a: OrderKey, _ b: OrderKey) -> Bool? {
        if a.time != b.time { return a.time < b.time }
        if a.idHigh != b.idHigh { return a.idHigh < b.idHigh }
        if a.idLow != b.idLow { return a.idLow < b.idLow }
        // The same first 16 bytes: the same id when neither is longer (an id has no zero bytes, so
        // a shorter one's padding differs from a longer one's bytes); else the kept bytes cannot tell.
        guard a.idLength <= 16, b.idLength <= 16 else { return nil }
        return false
    }

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
            var household: UInt64?
            var householdNull = false
            var id: Range<Int>?
            var occurred: Range<Int>?
            // Other fields are skipped unchecked, and the scan stops once it has the three: a record
            // that is not valid JSON (or repeats one of them) is invalid whatever the scan reads,
            // and an invalid record only makes the order check stricter.
            var found = false
            let complete = s.membersUnchecked { s, key in
                if s.equals(key, "household") {
                    if s.null() {
                        householdNull = true
                        return true
                    }
                    // As `labelText` reads it: a string's bytes as they are, an integer in decimal.
                    if let range = s.rawString() {
                        household = hash(UnsafeBufferPointer(rebasing: buffer[range]))
                    } else if case .int(let i)? = s.number() {
                        household = hash(String(i))
                    } else {
                        return false
                    }
                } else if s.equals(key, "id") {
                    guard let v = s.rawString() else { return false }
                    id = v
                } else if s.equals(key, "occurred_at") {
                    guard let v = s.rawString() else { return false }
                    occurred = v
                } else {
                    return s.skipUnchecked()
                }
                found = (household != nil || householdNull) && id != nil && occurred != nil
                return !found
            }
            guard complete || found else { return .undecided }
            guard let household, !householdNull else { return .none }
            guard let id, !id.isEmpty, let occurred, let time = s.incidentTime(occurred) else { return .none }
            return .key(OrderKey(household: household, time: time, id: UnsafeBufferPointer(rebasing: buffer[id])))
        }
    }
}

/// Finds the households whose records do not come in time order (by `occurred_at`, then `id`;
/// ties keep input order). Offences of a household in order can be numbered as their records stream
/// by, with only its escalation windows in memory; the others need the whole input first.
/// Households are known by their names' hashes (see ``OrderKey``).
struct HouseholdOrder {
    /// Per household: its last record's key while its records are in order.
    private enum State {
        case new
        case ordered(OrderKey)
        case unordered

    }

    private var states = HashMap<State>()
    /// Households with a record earlier than one read before it (by hash).
    private(set) var unordered: Set<UInt64> = []

    /// Takes the next record's key, in input order (history first).
    mutating func add(_ key: OrderKey) {
        var becameUnordered = false
        states.update(key.household, initial: .new) { state in
            switch state {
            case .unordered:
                return
            case .ordered(let last) where OrderKey.precedes(key, last) != false:
                state = .unordered
                becameUnordered = true
            case .new, .ordered:
                state = .ordered(key)
            }
        }
        if becameUnordered { unordered.insert(key.household) }
    }
}
