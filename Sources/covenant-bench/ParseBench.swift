import CovenantCEL
import CovenantSource
import Foundation

/// Parse-only floors over an NDJSON file, in this process: every line validated and parsed, nothing
/// judged. Covenant's own reader (bytes → `Value`, the engine's input) against Foundation's
/// `JSONDecoder` decoding the same lines into a `Codable` incident — the issue asks which is faster.
func parseFloors(_ path: String) -> [(name: String, seconds: Double, records: Int)] {
    guard let data = FileManager.default.contents(atPath: path) else { return [] }
    let bytes = [UInt8](data)
    var lines: [Range<Int>] = []
    var start = 0
    for i in bytes.indices where bytes[i] == 0x0A {
        if i > start { lines.append(start..<i) }
        start = i + 1
    }
    if start < bytes.count { lines.append(start..<bytes.count) }

    var out: [(String, Double, Int)] = []
    // Covenant: UTF-8 check, then JSON → Value (maps, lists, scalars), as the engine's reader does.
    var t0 = now()
    var ok = 0
    for r in lines {
        let line = Array(bytes[r])
        guard UTF8Validation.isValid(line), case .map? = try? JSON.parse(validUTF8: line) else { continue }
        ok += 1
    }
    out.append(("parse only: Covenant JSON reader", Double(now() - t0) / 1e9, ok))

    // Foundation: JSONDecoder into a typed incident (facts as a dictionary of JSON scalars/lists).
    let decoder = JSONDecoder()
    t0 = now()
    ok = 0
    for r in lines {
        if (try? decoder.decode(BenchIncident.self, from: data[r])) != nil { ok += 1 }
    }
    out.append(("parse only: Foundation JSONDecoder", Double(now() - t0) / 1e9, ok))

    // Foundation: JSONSerialization into [String: Any].
    t0 = now()
    ok = 0
    for r in lines {
        if (try? JSONSerialization.jsonObject(with: data[r])) as? [String: Any] != nil { ok += 1 }
    }
    out.append(("parse only: JSONSerialization", Double(now() - t0) / 1e9, ok))
    return out
}

/// The benchmark's incident as a `Codable` type.
struct BenchIncident: Decodable {
    struct Place: Decodable {
        var grid: String?
        var building: String?
        var zone: String?
    }

    enum Fact: Decodable {
        case bool(Bool), int(Int64), double(Double), string(String), list([Fact])

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) { self = .bool(b) }
            else if let i = try? c.decode(Int64.self) { self = .int(i) }
            else if let d = try? c.decode(Double.self) { self = .double(d) }
            else if let s = try? c.decode(String.self) { self = .string(s) }
            else { self = .list(try c.decode([Fact].self)) }
        }
    }

    var id: String
    var kind: String
    var occurred_at: String
    var household: String?
    var `where`: Place?
    var category: String
    var facts: [String: Fact]
}
