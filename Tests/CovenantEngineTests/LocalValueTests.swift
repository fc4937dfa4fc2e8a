import CovenantCEL
@testable import CovenantEngine
import Testing

/// The `local` map conditions read: the incident's wall-clock time in the convention's zone.
@Suite struct LocalValueTests {
    @Test(arguments: [
        ("2026-08-20T18:24:07+08:00", "Asia/Shanghai", "2026-08-20", "18:24", 18, 4),
        ("2026-01-01T00:05:00+08:00", "Asia/Shanghai", "2026-01-01", "00:05", 0, 4),
        ("2026-12-31T23:59:59Z", "Asia/Shanghai", "2027-01-01", "07:59", 7, 5),
        ("2026-03-08T09:30:00Z", "America/New_York", "2026-03-08", "05:30", 5, 7),   // after the DST jump
        ("0009-02-03T04:05:06Z", "UTC", "0009-02-03", "04:05", 4, 2),
    ])
    func localMap(_ time: String, _ zone: String, _ date: String, _ clock: String, _ hour: Int64, _ weekday: Int64) throws {
        let t = try #require(Timestamp.parse(time))
        let local = try #require(TimeZones.local(t, in: zone))
        let m = Judge.localValue(local)
        #expect(m["date"] == .string(date))
        #expect(m["time"] == .string(clock))
        #expect(m["hour"] == .int(hour))
        #expect(m["weekday"] == .int(weekday))
        #expect(m.count == 9)
    }
}
