import Foundation
import Testing
@testable import CovenantCEL

// Expected zone offsets below were cross-checked against glibc's zdump and
// localtime() on the system tz database (tzdata 2025b).

/// Unix seconds of a UTC civil time.
private func utc(_ y: Int64, _ mo: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0, _ s: Int = 0) -> Int64 {
    daysFromCivil(year: y, month: mo, day: d) * 86_400 + Int64(h * 3600 + mi * 60 + s)
}

private typealias UTCTime = (year: Int64, month: Int, day: Int, hour: Int, minute: Int, second: Int)

private func utc(_ t: UTCTime) -> Int64 {
    utc(t.year, t.month, t.day, t.hour, t.minute, t.second)
}

// MARK: - Civil calendar

@Suite("Civil calendar")
struct CivilCalendarTests {
    /// (year, month, day, days since epoch, weekday, 0-based day of year)
    @Test(arguments: [
        (Int64(1), 1, 1, Int64(-719_162), 1, 0),
        (1969, 12, 31, -1, 3, 364),
        (1970, 1, 1, 0, 4, 0),
        (1900, 2, 28, -25_509, 3, 58),
        (1900, 3, 1, -25_508, 4, 59),
        (2000, 2, 29, 11_016, 2, 59),
        (2000, 3, 1, 11_017, 3, 60),
        (1600, 12, 31, -134_775, 0, 365),
        (2024, 12, 31, 20_088, 2, 365),
        (2026, 11, 3, 20_760, 2, 306),   // a Tuesday
        (2038, 1, 19, 24_855, 2, 18),
        (9999, 12, 31, 2_932_896, 5, 364),
        (1582, 10, 15, -141_427, 5, 287),
        (4, 2, 29, -718_008, 0, 59),
        (2100, 3, 1, 47_541, 1, 59),
    ] as [(Int64, Int, Int, Int64, Int, Int)])
    func knownDates(year: Int64, month: Int, day: Int, days: Int64, weekday: Int, dayOfYear: Int) {
        #expect(daysFromCivil(year: year, month: month, day: day) == days)
        let civil = civilFromDays(days)
        #expect(civil.year == year && civil.month == month && civil.day == day)
        #expect(CivilCalendar.weekday(daysSinceEpoch: days) == weekday)
        let noon = CivilDateTime.from(unixSeconds: days * 86_400 + 43_200, nanos: 0, offsetSeconds: 0)
        #expect(noon.dayOfWeek == weekday)
        #expect(noon.dayOfYear == dayOfYear)
        #expect(noon.year == year && noon.month == month && noon.day == day && noon.hour == 12)
    }

    @Test func roundTripEveryDayFromYear1To9999() {
        let first = daysFromCivil(year: 1, month: 1, day: 1)
        let last = daysFromCivil(year: 9999, month: 12, day: 31)
        var expected: (year: Int64, month: Int, day: Int) = (1, 1, 1)
        var failures = 0
        for days in first...last {
            let civil = civilFromDays(days)
            if civil != expected || daysFromCivil(year: civil.year, month: civil.month, day: civil.day) != days {
                failures += 1
            }
            // Advance the expected date by one day, the slow and obvious way.
            if expected.day < CivilCalendar.daysInMonth(year: expected.year, month: expected.month) {
                expected.day += 1
            } else if expected.month < 12 {
                expected = (expected.year, expected.month + 1, 1)
            } else {
                expected = (expected.year + 1, 1, 1)
            }
        }
        #expect(failures == 0)
        #expect(expected == (10_000, 1, 1))
    }

    @Test(arguments: [
        Int64.min, Int64.min + 1, -1_000_000_000_000, -146_097 * 3 - 1, -719_469, -719_468, -1,
        0, 1, 146_096, 146_097, 2_932_897, 1_000_000_000_000, Int64.max - 1, Int64.max,
    ] as [Int64])
    func civilFromDaysIsTotalAndRoundTrips(days: Int64) {
        let civil = civilFromDays(days)   // must not trap
        #expect((1...12).contains(civil.month))
        #expect((1...CivilCalendar.daysInMonth(year: civil.year, month: civil.month)).contains(civil.day))
        if abs(civil.year) < 1_000_000_000_000 {
            #expect(daysFromCivil(year: civil.year, month: civil.month, day: civil.day) == days)
        }
    }

    @Test func outOfRangeMonthsAndDaysCarry() {
        #expect(daysFromCivil(year: 2025, month: 13, day: 1) == daysFromCivil(year: 2026, month: 1, day: 1))
        #expect(daysFromCivil(year: 2026, month: 0, day: 31) == daysFromCivil(year: 2025, month: 12, day: 31))
        #expect(daysFromCivil(year: 2026, month: 3, day: 0) == daysFromCivil(year: 2026, month: 2, day: 28))
        #expect(daysFromCivil(year: 2023, month: 2, day: 30) == daysFromCivil(year: 2023, month: 3, day: 2))
        #expect(daysFromCivil(year: -1, month: 12, day: 31) + 1 == daysFromCivil(year: 0, month: 1, day: 1))
        #expect(CivilCalendar.isLeapYear(0) && CivilCalendar.isLeapYear(-4) && !CivilCalendar.isLeapYear(-100))
    }

    /// (unix seconds, nanos, offset) → "YYYY-MM-DD hh:mm:ss.nnnnnnnnn dow doy"
    @Test(arguments: [
        (Int64(0), Int32(0), 0, "1970-01-01 00:00:00.000000000 4 0"),
        (-1, 0, 0, "1969-12-31 23:59:59.000000000 3 364"),
        (0, -1, 0, "1969-12-31 23:59:59.999999999 3 364"),
        (0, 1_500_000_000, 0, "1970-01-01 00:00:01.500000000 4 0"),
        (utc(2026, 11, 3, 10, 20, 30), 123_456_789, 0, "2026-11-03 10:20:30.123456789 2 306"),
        (utc(2026, 11, 3, 20, 0, 0), 0, 8 * 3600, "2026-11-04 04:00:00.000000000 3 307"),
        (utc(2026, 1, 1, 3, 0, 0), 0, -(5 * 3600 + 1800), "2025-12-31 21:30:00.000000000 3 364"),
        (utc(2024, 2, 29, 23, 59, 59), 999_999_999, 1, "2024-03-01 00:00:00.999999999 5 60"),
        (utc(1, 1, 1), 0, -1, "0000-12-31 23:59:59.000000000 0 365"),
        (utc(9999, 12, 31, 23, 59, 59), 999_999_999, 0, "9999-12-31 23:59:59.999999999 5 364"),
        (utc(2026, 6, 15, 12), 0, 86_399, "2026-06-16 11:59:59.000000000 2 166"),
    ] as [(Int64, Int32, Int, String)])
    func brokenDownTime(seconds: Int64, nanos: Int32, offset: Int, expected: String) {
        let c = CivilDateTime.from(unixSeconds: seconds, nanos: nanos, offsetSeconds: offset)
        func pad(_ v: some BinaryInteger, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let text = "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2)) "
            + "\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2)).\(pad(c.nanosecond, 9)) "
            + "\(c.dayOfWeek) \(c.dayOfYear)"
        #expect(text == expected)
    }

    @Test func brokenDownTimeNeverTraps() {
        for seconds in [Int64.min, Int64.min + 1, -1, 0, Int64.max - 1, Int64.max] {
            for offset in [Int.min, -86_400 * 2, -1, 0, 1, 86_400 * 2, Int.max] {
                for nanos in [Int32.min, -1, 0, 999_999_999, Int32.max] {
                    let c = CivilDateTime.from(unixSeconds: seconds, nanos: nanos, offsetSeconds: offset)
                    #expect((0...23).contains(c.hour) && (0...999_999_999).contains(c.nanosecond))
                }
            }
        }
    }
}

// MARK: - Zone specifications

@Suite("Time zone specs")
struct TimeZoneSpecTests {
    @Test(arguments: [
        ("UTC", TimeZoneSpec.utc),
        ("+08:00", .fixed(seconds: 8 * 3600)),
        ("-05:30", .fixed(seconds: -(5 * 3600 + 30 * 60))),
        ("+00:00", .fixed(seconds: 0)),
        ("-00:00", .fixed(seconds: 0)),
        ("+23:59", .fixed(seconds: 23 * 3600 + 59 * 60)),
        ("+05:45", .fixed(seconds: 20_700)),
        ("Asia/Shanghai", .named("Asia/Shanghai")),
        ("America/New_York", .named("America/New_York")),
        ("Europe/Paris", .named("Europe/Paris")),
        ("US/Central", .named("US/Central")),
        ("CET", .named("CET")),
        ("Etc/GMT+8", .named("Etc/GMT+8")),
        ("Etc/GMT-14", .named("Etc/GMT-14")),
        ("America/Argentina/Buenos_Aires", .named("America/Argentina/Buenos_Aires")),
        ("Mars/Olympus", .named("Mars/Olympus")),   // well-formed; fails only on lookup
    ] as [(String, TimeZoneSpec)])
    func parsesValidSpecs(text: String, expected: TimeZoneSpec) {
        #expect(TimeZoneSpec.parse(text) == expected)
    }

    @Test(arguments: [
        "", "+8", "+08", "+8:00", "08:00", "+0800", "+24:00", "+08:60", "+08:00:00", "+08:0a", "-", "+",
        "../etc/passwd", "/etc/passwd", "Asia/../../etc/passwd", "Asia//Shanghai", "Asia/", "./UTC",
        "Asia/Shang hai", "Europe/Paris\n", "Europe/Paris\u{0}", "Amérique/Paris", "a.b", "Asia\\Shanghai",
        "-Asia", String(repeating: "A", count: 256),
    ])
    func rejectsInvalidSpecs(text: String) {
        #expect(TimeZoneSpec.parse(text) == nil)
    }

    @Test(arguments: [
        ("UTC", 0 as Int?),
        ("+08:00", 28_800),
        ("-05:30", -19_800),
        ("Asia/Shanghai", 28_800),
        ("America/New_York", -18_000),
        ("Asia/Kolkata", 19_800),
        ("Mars/Olympus", nil),
        ("America", nil),          // a directory, not a zone
        ("zone1970", nil),         // not a TZif file (zone1970.tab is, but not this name)
    ] as [(String, Int?)])
    func offsetForSpecString(text: String, expected: Int?) throws {
        let spec = try #require(TimeZoneSpec.parse(text))
        #expect(utcOffset(for: spec, atUnixSeconds: utc(2026, 1, 15, 12)) == expected)
    }
}

// MARK: - IANA zones from the system database

@Suite("IANA zones")
struct IANAZoneTests {
    @Test(arguments: [
        // America/New_York: 2026 DST edges, far future (POSIX footer), LMT before the first transition.
        ("America/New_York", (2026, 3, 8, 6, 59, 59), -18_000),
        ("America/New_York", (2026, 3, 8, 7, 0, 0), -14_400),
        ("America/New_York", (2026, 11, 1, 5, 59, 59), -14_400),
        ("America/New_York", (2026, 11, 1, 6, 0, 0), -18_000),
        ("America/New_York", (2100, 7, 1, 12, 0, 0), -14_400),
        ("America/New_York", (2100, 1, 15, 12, 0, 0), -18_000),
        ("America/New_York", (1800, 1, 1, 0, 0, 0), -17_762),
        // Asia/Shanghai, including DST in 1940 and 1986-1991.
        ("Asia/Shanghai", (2026, 6, 1, 0, 0, 0), 28_800),
        ("Asia/Shanghai", (1940, 7, 1, 0, 0, 0), 32_400),
        ("Asia/Shanghai", (1940, 12, 1, 0, 0, 0), 28_800),
        ("Asia/Shanghai", (1988, 7, 1, 0, 0, 0), 32_400),
        ("Asia/Shanghai", (2100, 7, 1, 0, 0, 0), 28_800),
        // Europe/Paris: EU rules, changes at 01:00 UTC.
        ("Europe/Paris", (2026, 1, 15, 12, 0, 0), 3600),
        ("Europe/Paris", (2026, 7, 15, 12, 0, 0), 7200),
        ("Europe/Paris", (2026, 3, 29, 0, 59, 59), 3600),
        ("Europe/Paris", (2026, 3, 29, 1, 0, 0), 7200),
        ("Europe/Paris", (2026, 10, 25, 0, 59, 59), 7200),
        ("Europe/Paris", (2026, 10, 25, 1, 0, 0), 3600),
        ("Europe/Paris", (2100, 7, 1, 0, 0, 0), 7200),
        // Australia/Sydney: southern-hemisphere DST spanning New Year.
        ("Australia/Sydney", (2026, 1, 15, 0, 0, 0), 39_600),
        ("Australia/Sydney", (2026, 7, 15, 0, 0, 0), 36_000),
        ("Australia/Sydney", (2026, 4, 4, 15, 59, 59), 39_600),
        ("Australia/Sydney", (2026, 4, 4, 16, 0, 0), 36_000),
        ("Australia/Sydney", (2026, 10, 3, 15, 59, 59), 36_000),
        ("Australia/Sydney", (2026, 10, 3, 16, 0, 0), 39_600),
        ("Australia/Sydney", (2100, 1, 1, 0, 0, 0), 39_600),
        ("Australia/Sydney", (2100, 7, 1, 0, 0, 0), 36_000),
        // Odd offsets.
        ("Asia/Kolkata", (2026, 6, 1, 0, 0, 0), 19_800),
        ("Asia/Kolkata", (1943, 6, 1, 0, 0, 0), 23_400),
        ("Asia/Kathmandu", (2026, 6, 1, 0, 0, 0), 20_700),
        ("Australia/Lord_Howe", (2026, 1, 1, 0, 0, 0), 39_600),
        ("Australia/Lord_Howe", (2026, 7, 1, 0, 0, 0), 37_800),
        ("Asia/Tehran", (2026, 7, 1, 0, 0, 0), 12_600),
        // Links and legacy names.
        ("US/Central", (2026, 7, 1, 0, 0, 0), -18_000),
        ("US/Central", (2026, 1, 1, 0, 0, 0), -21_600),
        ("CET", (2026, 1, 1, 0, 0, 0), 3600),
        ("CET", (2026, 7, 1, 0, 0, 0), 7200),
        ("Etc/GMT+8", (2026, 1, 1, 0, 0, 0), -28_800),
        ("UTC", (2026, 1, 1, 0, 0, 0), 0),
        ("Europe/London", (2026, 7, 1, 0, 0, 0), 3600),
        // Footers with v3 extensions (negative or >24h times) and negative DST.
        ("America/Nuuk", (2100, 7, 1, 0, 0, 0), -3600),
        ("America/Nuuk", (2100, 1, 1, 0, 0, 0), -7200),
        ("Europe/Dublin", (2100, 1, 1, 0, 0, 0), 0),
        ("Europe/Dublin", (2100, 7, 1, 0, 0, 0), 3600),
        ("Asia/Jerusalem", (2100, 7, 1, 0, 0, 0), 10_800),
        ("America/Santiago", (2100, 1, 1, 0, 0, 0), -10_800),
        ("America/Santiago", (2100, 7, 1, 0, 0, 0), -14_400),
        ("Pacific/Chatham", (2100, 1, 1, 0, 0, 0), 49_500),
        ("Antarctica/Troll", (2100, 7, 1, 0, 0, 0), 7200),
        ("America/Los_Angeles", (2300, 7, 1, 0, 0, 0), -25_200),
    ] as [(String, (Int64, Int, Int, Int, Int, Int), Int)])
    func offsets(zone: String, time: (Int64, Int, Int, Int, Int, Int), expected: Int) throws {
        let rules = try #require(TimeZoneDB.shared.rules(for: zone))
        let t = utc(time)
        #expect(rules.offset(atUnixSeconds: t) == expected)
        #expect(utcOffset(for: .named(zone), atUnixSeconds: t) == expected)
    }

    @Test func footerIsParsedForModernZones() throws {
        let newYork = try #require(TimeZoneDB.shared.rules(for: "America/New_York"))
        let footer = try #require(newYork.footer)
        #expect(footer == PosixTZ("EST5EDT,M3.2.0,M11.1.0"))
        #expect(!newYork.transitions.isEmpty)
    }

    @Test(arguments: ["Mars/Olympus", "../etc/passwd", "/etc/passwd", "", "America", "Asia/Nowhere", "+08:00"])
    func unknownZonesAreNil(name: String) {
        #expect(TimeZoneDB.shared.rules(for: name) == nil)
        #expect(TimeZoneDB.shared.rules(for: name) == nil)   // also when cached as missing
        #expect(utcOffset(for: .named(name), atUnixSeconds: 0) == nil)
    }

    @Test func fixedAndUTCNeedNoDatabase() {
        let db = TimeZoneDB(directory: "/nonexistent-zoneinfo")
        #expect(db.utcOffset(for: .utc, atUnixSeconds: 0) == 0)
        #expect(db.utcOffset(for: .fixed(seconds: -19_800), atUnixSeconds: 0) == -19_800)
        #expect(db.utcOffset(for: .named("UTC"), atUnixSeconds: 0) == nil)
        #expect(db.rules(for: "America/New_York") == nil)
    }

    @Test func concurrentLookupsAgree() async {
        let zones = ["America/New_York", "Europe/Paris", "Asia/Shanghai", "Australia/Sydney", "Nope/Nope"]
        let t = utc(2026, 7, 1)
        let results = await withTaskGroup(of: (String, Int?).self) { group in
            for i in 0..<200 {
                let zone = zones[i % zones.count]
                group.addTask { (zone, utcOffset(for: .named(zone), atUnixSeconds: t)) }
            }
            var all: [(String, Int?)] = []
            for await r in group { all.append(r) }
            return all
        }
        let expected: [String: Int?] = [
            "America/New_York": -14_400, "Europe/Paris": 7200, "Asia/Shanghai": 28_800,
            "Australia/Sydney": 36_000, "Nope/Nope": nil,
        ]
        #expect(results.count == 200)
        for (zone, offset) in results { #expect(offset == expected[zone]!) }
    }
}

// MARK: - POSIX TZ strings

@Suite("POSIX TZ rules")
struct PosixTZTests {
    @Test(arguments: [
        ("CST-8", (2026, 7, 1, 0, 0, 0), 28_800),
        ("<+0330>-3:30", (2026, 7, 1, 0, 0, 0), 12_600),
        ("EST5EDT,M3.2.0,M11.1.0", (2026, 3, 8, 6, 59, 59), -18_000),
        ("EST5EDT,M3.2.0,M11.1.0", (2026, 3, 8, 7, 0, 0), -14_400),
        ("EST5EDT,M3.2.0,M11.1.0", (2026, 11, 1, 5, 59, 59), -14_400),
        ("EST5EDT,M3.2.0,M11.1.0", (2026, 11, 1, 6, 0, 0), -18_000),
        ("AEST-10AEDT,M10.1.0,M4.1.0/3", (2026, 4, 4, 15, 59, 59), 39_600),
        ("AEST-10AEDT,M10.1.0,M4.1.0/3", (2026, 4, 4, 16, 0, 0), 36_000),
        ("AEST-10AEDT,M10.1.0,M4.1.0/3", (2026, 10, 3, 16, 0, 0), 39_600),
        ("AEST-10AEDT,M10.1.0,M4.1.0/3", (2026, 12, 31, 23, 0, 0), 39_600),
        // Jn never counts Feb 29 (J60 is March 1); n does (59 is Feb 29 in leap years).
        ("EST5EDT,J60/2,J300/2", (2024, 3, 1, 6, 59, 59), -18_000),
        ("EST5EDT,J60/2,J300/2", (2024, 3, 1, 7, 0, 0), -14_400),
        ("EST5EDT,59/2,299/2", (2024, 2, 29, 6, 59, 59), -18_000),
        ("EST5EDT,59/2,299/2", (2024, 2, 29, 7, 0, 0), -14_400),
        ("EST5EDT,59/2,299/2", (2025, 3, 1, 7, 0, 0), -14_400),
        ("EST5EDT,59/2,299/2", (2025, 2, 28, 23, 0, 0), -18_000),
        // RFC 8536 v3: negative times and times past 24h.
        ("<-02>2<-01>,M3.5.0/-1,M10.5.0/0", (2026, 3, 28, 23, 59, 59), -7200),
        ("<-02>2<-01>,M3.5.0/-1,M10.5.0/0", (2026, 3, 29, 0, 59, 59), -7200),
        ("<-02>2<-01>,M3.5.0/-1,M10.5.0/0", (2026, 3, 29, 1, 0, 0), -3600),
        ("IST-2IDT,M3.4.4/26,M10.5.0", (2026, 3, 26, 23, 59, 59), 7200),
        ("IST-2IDT,M3.4.4/26,M10.5.0", (2026, 3, 27, 0, 0, 0), 10_800),
        ("<-04>4<-03>,M9.1.6/24,M4.1.6/24", (2026, 9, 6, 3, 59, 59), -14_400),
        ("<-04>4<-03>,M9.1.6/24,M4.1.6/24", (2026, 9, 6, 4, 0, 0), -10_800),
        // Negative DST (Irish standard time is the summer one).
        ("IST-1GMT0,M10.5.0,M3.5.0/1", (2026, 1, 15, 0, 0, 0), 0),
        ("IST-1GMT0,M10.5.0,M3.5.0/1", (2026, 7, 15, 0, 0, 0), 3600),
        ("<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45", (2026, 1, 1, 0, 0, 0), 49_500),
        // DST name without a rule: US default rules.
        ("PST8PDT", (2026, 7, 1, 0, 0, 0), -25_200),
        ("PST8PDT", (2026, 1, 1, 0, 0, 0), -28_800),
        // Year-round DST (RFC 8536 example), including around New Year.
        ("EST5EDT,0/0,J365/25", (2026, 7, 1, 0, 0, 0), -14_400),
        ("EST5EDT,0/0,J365/25", (2026, 1, 1, 4, 30, 0), -14_400),
        ("EST5EDT,0/0,J365/25", (2025, 12, 31, 23, 0, 0), -14_400),
        // Explicit DST offset with seconds, and a leading '+'.
        ("AAA+3:30:15BBB+2,M3.1.0,M10.1.0", (2026, 7, 1, 0, 0, 0), -7200),
        ("AAA+3:30:15BBB+2,M3.1.0,M10.1.0", (2026, 1, 1, 0, 0, 0), -12_615),
    ] as [(String, (Int64, Int, Int, Int, Int, Int), Int)])
    func offsets(rule: String, time: (Int64, Int, Int, Int, Int, Int), expected: Int) throws {
        let tz = try #require(PosixTZ(rule))
        #expect(tz.offset(atUnixSeconds: utc(time)) == expected)
    }

    @Test(arguments: [
        "", "EST", "ES5", "5", "EST5EDT,", "EST5EDT,M3.2.0", "EST5EDT,M13.1.0,M11.1.0", "EST5EDT,M3.6.0,M11.1.0",
        "EST5EDT,M3.2.7,M11.1.0", "EST5EDT,M3.0.0,M11.1.0", "EST5EDT,J0,J365", "EST5EDT,J366,J1", "EST5EDT,366,1",
        "EST5EDT,M3.2.0/168,M11.1.0", "EST25", "EST5:60", "<+03", "<>3", "EST5 EDT", "EST5EDT,M3.2.0,M11.1.0,",
        "EST5EDT,M3.2.0/2:,M11.1.0",
    ])
    func rejectsMalformedRules(rule: String) {
        #expect(PosixTZ(rule) == nil)
    }

    @Test func extremeInstantsDoNotTrap() throws {
        let tz = try #require(PosixTZ("AEST-10AEDT,M10.1.0,M4.1.0/3"))
        for t in [Int64.min, Int64.min + 1, -1 << 60, 1 << 60, Int64.max] {
            #expect([36_000, 39_600].contains(tz.offset(atUnixSeconds: t)))
        }
        let ny = try #require(TimeZoneDB.shared.rules(for: "America/New_York"))
        #expect(ny.offset(atUnixSeconds: Int64.min) == -17_762)
        #expect([-18_000, -14_400].contains(ny.offset(atUnixSeconds: Int64.max)))
    }
}

// MARK: - TZif parsing

/// Builds a TZif file. `v1` entries go in the 32-bit block; `v2`, if given,
/// adds the 64-bit block and the footer.
private func makeTZif(
    version: UInt8,
    v1: (transitions: [Int32], types: [UInt8], offsets: [Int32]),
    v2: (transitions: [Int64], types: [UInt8], offsets: [Int32], footer: String)? = nil
) -> [UInt8] {
    func be<T: FixedWidthInteger>(_ v: T) -> [UInt8] {
        withUnsafeBytes(of: v.bigEndian) { Array($0) }
    }
    func header(version: UInt8, timecnt: Int, typecnt: Int) -> [UInt8] {
        Array("TZif".utf8) + [version] + [UInt8](repeating: 0, count: 15)
            + [0, 0, 0, timecnt, typecnt, 4].flatMap { be(UInt32($0)) }
    }
    func types(_ offsets: [Int32]) -> [UInt8] {
        offsets.flatMap { be($0) + [0, 0] } + Array("LMT\0".utf8)
    }
    var bytes = header(version: version, timecnt: v1.transitions.count, typecnt: v1.offsets.count)
    bytes += v1.transitions.flatMap { be($0) } + v1.types + types(v1.offsets)
    if let v2 {
        bytes += header(version: version, timecnt: v2.transitions.count, typecnt: v2.offsets.count)
        bytes += v2.transitions.flatMap { be($0) } + v2.types + types(v2.offsets)
        bytes += Array("\n\(v2.footer)\n".utf8)
    }
    return bytes
}

@Suite("TZif parsing")
struct TZifTests {
    @Test func version1Only() throws {
        let bytes = makeTZif(version: 0, v1: ([-100, 100], [1, 2], [111, 3600, 7200]))
        let rules = try #require(ZoneRules(tzif: bytes))
        #expect(rules.footer == nil)
        #expect(rules.offset(atUnixSeconds: -101) == 111)        // before the first: type 0
        #expect(rules.offset(atUnixSeconds: -100) == 3600)
        #expect(rules.offset(atUnixSeconds: 99) == 3600)
        #expect(rules.offset(atUnixSeconds: 100) == 7200)
        #expect(rules.offset(atUnixSeconds: Int64.max) == 7200)  // no footer: last type forever
    }

    @Test(arguments: [UInt8(ascii: "2"), UInt8(ascii: "3"), UInt8(ascii: "4")])
    func version2PlusUses64BitDataAndFooter(version: UInt8) throws {
        // The v1 block deliberately disagrees; only the 64-bit block counts.
        let far = Int64(1) << 40
        let bytes = makeTZif(
            version: version,
            v1: ([0], [0], [999]),
            v2: ([-far, 0], [1, 0], [-18_000, 3600], "<+08>-8"))
        let rules = try #require(ZoneRules(tzif: bytes))
        #expect(rules.transitions == [-far, 0])
        #expect(rules.offset(atUnixSeconds: -far - 1) == -18_000)
        #expect(rules.offset(atUnixSeconds: -far) == 3600)
        #expect(rules.offset(atUnixSeconds: -1) == 3600)
        #expect(rules.offset(atUnixSeconds: 0) == 28_800)        // footer from the last transition on
        #expect(rules.offset(atUnixSeconds: far) == 28_800)
    }

    @Test func footerOnlyGovernsAllTime() throws {
        let bytes = makeTZif(version: UInt8(ascii: "3"), v1: ([], [], [0]),
                             v2: ([], [], [0], "EST5EDT,M3.2.0,M11.1.0"))
        let rules = try #require(ZoneRules(tzif: bytes))
        #expect(rules.offset(atUnixSeconds: utc(1900, 7, 1)) == -14_400)
        #expect(rules.offset(atUnixSeconds: utc(2026, 1, 1)) == -18_000)
    }

    @Test func emptyOrBadFooterFallsBackToLastType() throws {
        for footer in ["", "not a rule"] {
            let bytes = makeTZif(version: UInt8(ascii: "2"), v1: ([], [], [0]),
                                 v2: ([10], [1], [0, -3600], footer))
            let rules = try #require(ZoneRules(tzif: bytes))
            #expect(rules.footer == nil)
            #expect(rules.offset(atUnixSeconds: 1 << 40) == -3600)
        }
    }

    @Test func malformedFilesAreRejected() {
        let good = makeTZif(version: UInt8(ascii: "2"), v1: ([], [], [0]), v2: ([10, 20], [0, 1], [0, 3600], "UTC0"))
        #expect(ZoneRules(tzif: good) != nil)
        #expect(ZoneRules(tzif: []) == nil)
        #expect(ZoneRules(tzif: Array("TZif".utf8)) == nil)
        #expect(ZoneRules(tzif: Array(good.prefix(60))) == nil)                 // truncated v2 header
        #expect(ZoneRules(tzif: Array(good.dropLast(20))) == nil)               // truncated v2 data
        var badMagic = good
        badMagic[0] = UInt8(ascii: "X")
        #expect(ZoneRules(tzif: badMagic) == nil)
        // Type index out of range, descending transitions, no types at all.
        #expect(ZoneRules(tzif: makeTZif(version: 0, v1: ([5], [3], [0]))) == nil)
        #expect(ZoneRules(tzif: makeTZif(version: 0, v1: ([5, 5], [0, 0], [0]))) == nil)
        #expect(ZoneRules(tzif: makeTZif(version: 0, v1: ([9, 5], [0, 0], [0]))) == nil)
        #expect(ZoneRules(tzif: makeTZif(version: 0, v1: ([], [], []))) == nil)
        #expect(ZoneRules(tzif: makeTZif(version: 0, v1: ([], [], [Int32.min]))) == nil)
        // The leap-second count claims ten records but the file ends early.
        var hugeCounts = makeTZif(version: 0, v1: ([], [], [0]))
        hugeCounts[31] = 10
        #expect(ZoneRules(tzif: hugeCounts) == nil)
        // Well-formed leap-second records (right/ zones) are refused too.
        var withLeap = makeTZif(version: 0, v1: ([], [], [0]))
        withLeap[31] = 1
        withLeap += [0, 0, 0, 100, 0, 0, 0, 1]
        #expect(ZoneRules(tzif: withLeap) == nil)
        #expect(TimeZoneDB.shared.rules(for: "right/UTC") == nil)
    }

    @Test func directoryOverrideAndFileLimits() throws {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("covenant-tz-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("Test"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let zone = makeTZif(version: UInt8(ascii: "2"), v1: ([], [], [0]), v2: ([0], [1], [0, 3600], "<+01>-1"))
        try Data(zone).write(to: dir.appendingPathComponent("Test/Zone"))
        try Data("plain text".utf8).write(to: dir.appendingPathComponent("Test/Text"))
        try Data(zone + [UInt8](repeating: 0, count: TimeZoneDB.maxFileSize))
            .write(to: dir.appendingPathComponent("Test/Huge"))

        let db = TimeZoneDB(directory: dir.path)
        #expect(db.utcOffset(for: .named("Test/Zone"), atUnixSeconds: 5) == 3600)
        #expect(db.rules(for: "Test/Text") == nil)
        #expect(db.rules(for: "Test/Huge") == nil)
        #expect(db.rules(for: "Test") == nil)
        #expect(TimeZoneDB.readFile(dir.appendingPathComponent("Test/Zone").path, limit: 1 << 20) == zone)
        #expect(TimeZoneDB.readFile(dir.appendingPathComponent("Test/Zone").path, limit: zone.count - 1) == nil)
        // Cached: still served after the file disappears.
        try FileManager.default.removeItem(at: dir.appendingPathComponent("Test/Zone"))
        #expect(db.utcOffset(for: .named("Test/Zone"), atUnixSeconds: 5) == 3600)
    }
}

@Suite("Resolved zones")
struct ResolvedZoneTests {
    /// A zone resolved once converts every instant exactly as looking the zone up each time does —
    /// across DST changes, fixed offsets and UTC — and unknown zones do not resolve.
    @Test(arguments: ["UTC", "+08:00", "-03:30", "Asia/Shanghai", "America/New_York", "Europe/London", "Australia/Lord_Howe"])
    func agreesWithLookingUpEachTime(_ zone: String) throws {
        let resolved = try #require(TimeZones.resolve(zone))
        var t: Int64 = -2_208_988_800 // 1900-01-01
        while t < 4_102_444_800 {     // 2100-01-01
            let instant = try #require(Timestamp(seconds: t, nanos: 0))
            #expect(TimeZones.local(instant, in: resolved) == TimeZones.local(instant, in: zone), "\(zone) at \(t)")
            t += 86_400 * 37 + 3_599
        }
    }

    @Test(arguments: ["Mars/Olympus", "utc", "+8", "../etc/passwd", ""])
    func unknownZonesDoNotResolve(_ zone: String) {
        #expect(TimeZones.resolve(zone) == nil)
    }
}
