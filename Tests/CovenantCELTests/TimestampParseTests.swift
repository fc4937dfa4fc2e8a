import Testing
@testable import CovenantCEL

/// `Timestamp.parse` (the RFC 3339 reader every incident's `occurred_at` goes through, twice)
/// against a reference written the slow, obvious way — over well-formed timestamps of every
/// shape and over damaged ones (a byte replaced, dropped or added), so that the fast reader
/// accepts exactly what the reference accepts, with the same instant.
@Suite("Timestamp parsing agrees with a reference")
struct TimestampParseTests {
    /// The reference: fields cut out by position, numbers read with `Int(_:)`, days counted year
    /// by year.
    static func reference(_ text: String) -> Timestamp? {
        let b = Array(text.utf8)
        func number(_ r: Range<Int>) -> Int? {
            guard r.upperBound <= b.count, r.allSatisfy({ (0x30...0x39).contains(b[$0]) }) else { return nil }
            return Int(String(decoding: b[r], as: UTF8.self))
        }
        guard b.count >= 20, let year = number(0..<4), b[4] == UInt8(ascii: "-"), let month = number(5..<7),
              b[7] == UInt8(ascii: "-"), let day = number(8..<10), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
              let hour = number(11..<13), b[13] == UInt8(ascii: ":"), let minute = number(14..<16), b[16] == UInt8(ascii: ":"),
              let second = number(17..<19) else { return nil }
        var rest = Array(b[19...])
        var nanos = 0
        if rest.first == UInt8(ascii: ".") {
            let digits = rest.dropFirst().prefix { (0x30...0x39).contains($0) }
            guard !digits.isEmpty else { return nil }
            let nine = String(decoding: digits.prefix(9), as: UTF8.self).padding(toLength: 9, withPad: "0", startingAt: 0)
            nanos = Int(nine)!
            rest = Array(rest.dropFirst(1 + digits.count))
        }
        var offset = 0
        if rest == [UInt8(ascii: "Z")] || rest == [UInt8(ascii: "z")] {
            offset = 0
        } else if rest.count == 6, rest[0] == UInt8(ascii: "+") || rest[0] == UInt8(ascii: "-"), rest[3] == UInt8(ascii: ":"),
                  let oh = Int(String(decoding: rest[1..<3], as: UTF8.self)), let om = Int(String(decoding: rest[4..<6], as: UTF8.self)),
                  rest[1..<3].allSatisfy({ (0x30...0x39).contains($0) }), rest[4..<6].allSatisfy({ (0x30...0x39).contains($0) }),
                  oh < 24, om < 60 {
            offset = (rest[0] == UInt8(ascii: "-") ? -1 : 1) * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        func leap(_ y: Int) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }
        let monthDays = [31, leap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard year >= 1, (1...12).contains(month), day >= 1, day <= monthDays[month - 1], hour < 24, minute < 60, second < 60
        else { return nil }
        var days = 0
        if year >= 1970 {
            for y in 1970..<year { days += leap(y) ? 366 : 365 }
        } else {
            for y in year..<1970 { days -= leap(y) ? 366 : 365 }
        }
        days += monthDays[..<(month - 1)].reduce(0, +) + day - 1
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offset)
        return Timestamp(seconds: seconds, nanos: Int32(nanos))
    }

    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static func wellFormed(_ r: inout Random) -> String {
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let year = [1, 1969, 1970, 2000, 2024, 2026, 2100, 9999][r.int(8)] + (r.int(2) == 0 ? 0 : r.int(3))
        let yearText = String(repeating: "0", count: max(0, 4 - "\(min(year, 9999))".count)) + "\(min(year, 9999))"
        var text = "\(yearText)-\(two(1 + r.int(13)))-\(two(1 + r.int(32)))\(r.int(5) == 0 ? "t" : "T")"
        text += "\(two(r.int(25))):\(two(r.int(61))):\(two(r.int(61)))"
        if r.int(2) == 0 { text += "." + (0..<(1 + r.int(12))).map { _ in "\(r.int(10))" }.joined() }
        switch r.int(4) {
        case 0: text += "Z"
        case 1: text += "z"
        default: text += (r.int(2) == 0 ? "+" : "-") + "\(two(r.int(25))):\(two(r.int(61)))"
        }
        return text
    }

    static func damaged(_ text: String, _ r: inout Random) -> String {
        var b = Array(text.utf8)
        let junk = Array("0123456789-:T.Z+tz x".utf8)
        switch r.int(3) {
        case 0: b[r.int(b.count)] = junk[r.int(junk.count)]
        case 1: b.remove(at: r.int(b.count))
        default: b.insert(junk[r.int(junk.count)], at: r.int(b.count + 1))
        }
        return String(decoding: b, as: UTF8.self)
    }

    @Test func agreesWithTheReference() {
        var r = Random(state: 20_261_203)
        var accepted = 0, rejected = 0
        for _ in 0..<20_000 {
            let good = Self.wellFormed(&r)
            for text in [good, Self.damaged(good, &r), Self.damaged(Self.damaged(good, &r), &r)] {
                let expected = Self.reference(text)
                #expect(Timestamp.parse(text) == expected, "\(text)")
                if expected == nil { rejected += 1 } else { accepted += 1 }
            }
        }
        // Both sides of the border are well visited.
        #expect(accepted > 10_000)
        #expect(rejected > 10_000)
    }

    @Test(arguments: [
        ("2026-07-01T00:00:07+08:00", true), ("2026-07-01T00:00:07Z", true), ("2026-07-01t00:00:07z", true),
        ("2026-07-01T00:00:07", false), ("2026-07-01T00:00:07+08", false), ("2026-07-01T00:00:07+0800", false),
        ("2026-07-01T00:00:07.Z", false), ("2026-07-01T00:00:07.1234567891Z", true), ("2026-07-01T00:00:07+24:00", false),
        ("2026-07-01T00:00:07+23:59", true), ("2026-07-01T00:00:60Z", false), ("0000-01-01T00:00:00Z", false),
        ("2026-07-01T00:00:07Z ", false), (" 2026-07-01T00:00:07Z", false), ("2026-7-01T00:00:07Z", false),
    ] as [(String, Bool)])
    func borders(_ text: String, _ valid: Bool) {
        #expect((Timestamp.parse(text) != nil) == valid)
        #expect(Timestamp.parse(text) == Self.reference(text))
    }
}
