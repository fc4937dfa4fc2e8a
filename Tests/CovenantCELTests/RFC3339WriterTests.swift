import Testing
@testable import CovenantCEL

/// `Timestamp.rfc3339` is written two digits at a time into bytes; it must read back as the same instant
/// and spell it the way the string-built form did (kept here as the reference).
@Suite struct RFC3339WriterTests {
    static func reference(_ t: Timestamp) -> String {
        func pad(_ v: Int, _ w: Int) -> String { String(repeating: "0", count: max(0, w - String(v).count)) + String(v) }
        var d = t.seconds / 86_400
        var s = t.seconds % 86_400
        if s < 0 { d -= 1; s += 86_400 }
        let (y, m, day) = civilFromDays(d)
        var out = pad(Int(y), 4) + "-" + pad(m, 2) + "-" + pad(day, 2) + "T"
            + pad(Int(s / 3600), 2) + ":" + pad(Int(s / 60 % 60), 2) + ":" + pad(Int(s % 60), 2)
        if t.nanos != 0 {
            var frac = pad(Int(t.nanos), 9)
            while frac.hasSuffix("0") { frac.removeLast() }
            out += "." + frac
        }
        return out + "Z"
    }

    @Test(arguments: [
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
        ("9999-12-31T23:59:59.999999999Z", "9999-12-31T23:59:59.999999999Z"),
        ("1969-12-31T23:59:59.5-00:30", "1970-01-01T00:29:59.5Z"),
        ("2026-07-01T00:00:00.000000001+08:00", "2026-06-30T16:00:00.000000001Z"),
        ("0999-03-04T05:06:07.120Z", "0999-03-04T05:06:07.12Z"),
    ])
    func spellings(_ c: (String, String)) throws {
        let t = try #require(Timestamp.parse(c.0))
        #expect(t.rfc3339 == c.1)
    }

    @Test func agreesWithTheReferenceAndReadsBack() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let nanos: Int32 = Bool.random(using: &rng) ? 0 : Int32.random(in: 0..<1_000_000_000, using: &rng)
            let t = try #require(Timestamp(seconds: Int64.random(in: Timestamp.minSeconds...Timestamp.maxSeconds, using: &rng), nanos: nanos))
            #expect(t.rfc3339 == Self.reference(t))
            #expect(Timestamp.parse(t.rfc3339) == t)
        }
    }
}
