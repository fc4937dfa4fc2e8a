// Civil (proleptic Gregorian) calendar arithmetic on a day count relative to
// the Unix epoch. The conversions work on 400-year "eras" of exactly 146097
// days, counted from 0000-03-01 so that the leap day falls at the end of each
// computational year. Everything here is pure integer arithmetic; nothing
// depends on Foundation or on the host's time zone configuration.

/// Calendar helpers, namespaced to keep the module's global scope clean.
enum CivilCalendar {
    /// Seconds in a civil day (no leap seconds, as in Unix time).
    static let secondsPerDay: Int64 = 86_400

    /// Days in one 400-year Gregorian cycle.
    static let daysPerEra: Int64 = 146_097

    /// Days from 0000-03-01 (the start of era 0) to 1970-01-01.
    static let epochShift: Int64 = 719_468

    /// Floor division (rounds toward negative infinity). `b` must be positive.
    @inline(__always)
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b < 0) ? q - 1 : q
    }

    /// Floor modulo: the result is in `0..<b`. `b` must be positive.
    @inline(__always)
    static func floorMod(_ a: Int64, _ b: Int64) -> Int64 {
        let r = a % b
        return r < 0 ? r + b : r
    }

    /// Whether `year` is a leap year in the proleptic Gregorian calendar.
    static func isLeapYear(_ year: Int64) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// Number of days in `month` (1...12) of `year`.
    static func daysInMonth(year: Int64, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days before the first of `month` (1...12) in a year.
    static func daysBeforeMonth(_ month: Int, leap: Bool) -> Int {
        let table = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
        return table[month - 1] + (leap && month > 2 ? 1 : 0)
    }

    /// Day of week (0 = Sunday ... 6 = Saturday) of `days` since 1970-01-01,
    /// which was a Thursday.
    static func weekday(daysSinceEpoch days: Int64) -> Int {
        Int((floorMod(days, 7) + 4) % 7)
    }
}

/// Days since 1970-01-01 of the given proleptic Gregorian date.
///
/// `month` is normally 1...12 and `day` 1...31, but other values are not
/// rejected: months outside 1...12 carry into the year (month 13 is January of
/// the next year, month 0 December of the previous one) and days count onward
/// from the first of the month (Feb 30 == Mar 2 in a common year; day 0 is
/// the last day of the previous month). Exact, and free of overflow, while
/// |year|, |month| and |day| stay below about 10^13.
func daysFromCivil(year: Int64, month: Int, day: Int) -> Int64 {
    typealias C = CivilCalendar
    let monthIndex = Int64(month) - 1
    var y = year + C.floorDiv(monthIndex, 12)
    let m = C.floorMod(monthIndex, 12) + 1                 // 1...12
    // Count years from March so the leap day is the last day of a year:
    // January and February belong to the previous computational year.
    if m <= 2 { y -= 1 }
    let era = C.floorDiv(y, 400)
    let yearOfEra = y - era * 400                          // 0...399
    let marchMonth = m > 2 ? m - 3 : m + 9                 // Mar=0 ... Feb=11
    // Month lengths from March run 31,30,31,30,31 and then repeat, i.e. 153
    // days per 5 months, so month k starts on day floor((153k + 2) / 5).
    let dayOfYear = (153 * marchMonth + 2) / 5 + Int64(day) - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * C.daysPerEra + dayOfEra - C.epochShift
}

/// The proleptic Gregorian date of `days` since 1970-01-01.
/// Total over all `Int64` inputs (never traps).
func civilFromDays(_ days: Int64) -> (year: Int64, month: Int, day: Int) {
    typealias C = CivilCalendar
    // Split into eras before adding the epoch shift so nothing can overflow.
    let shifted = C.floorMod(days, C.daysPerEra) + C.epochShift   // >= 0
    let era = C.floorDiv(days, C.daysPerEra) + shifted / C.daysPerEra
    let dayOfEra = shifted % C.daysPerEra                          // 0...146096
    // Strip the leap days that precede this day within the era to find the
    // year: one per 1460 days (4 years), minus one per 36524 (100 years); the
    // very last day of the era (index 146096, the 400-year leap day) must stay
    // in year 399, hence the final correction.
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100) // 0...365
    let marchMonth = (5 * dayOfYear + 2) / 153                                     // 0...11
    let day = Int(dayOfYear - (153 * marchMonth + 2) / 5 + 1)
    let month = Int(marchMonth < 10 ? marchMonth + 3 : marchMonth - 9)
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    return (year, month, day)
}

/// A broken-down local date and time.
struct CivilDateTime: Sendable, Equatable {
    var year: Int64
    /// 1...12
    var month: Int
    /// 1...31
    var day: Int
    /// 0...23
    var hour: Int
    /// 0...59
    var minute: Int
    /// 0...59 (Unix time has no leap seconds)
    var second: Int
    /// 0...999_999_999
    var nanosecond: Int
    /// 0 = Sunday ... 6 = Saturday
    var dayOfWeek: Int
    /// 0-based: 0 is January 1st, up to 365 on December 31st of a leap year.
    var dayOfYear: Int

    /// Breaks the instant `unixSeconds + nanos / 1e9` down into the civil time
    /// of a zone that is `offsetSeconds` east of UTC at that instant.
    /// `nanos` outside 0..<1e9 (including negative values) is normalized into
    /// the seconds. Never traps, whatever the inputs.
    static func from(unixSeconds: Int64, nanos: Int32, offsetSeconds: Int) -> CivilDateTime {
        typealias C = CivilCalendar
        let nanosPerSecond: Int64 = 1_000_000_000
        let carriedSeconds = C.floorDiv(Int64(nanos), nanosPerSecond)   // -3...2
        let nanosecond = Int(C.floorMod(Int64(nanos), nanosPerSecond))
        let offset = Int64(offsetSeconds)
        // Work on (day, second-of-day) pairs so that no sum can overflow.
        var days = C.floorDiv(unixSeconds, C.secondsPerDay) + C.floorDiv(offset, C.secondsPerDay)
        var secondOfDay = C.floorMod(unixSeconds, C.secondsPerDay)
            + C.floorMod(offset, C.secondsPerDay) + carriedSeconds
        days += C.floorDiv(secondOfDay, C.secondsPerDay)
        secondOfDay = C.floorMod(secondOfDay, C.secondsPerDay)

        let date = civilFromDays(days)
        let dayOfYear = C.daysBeforeMonth(date.month, leap: C.isLeapYear(date.year)) + date.day - 1
        return CivilDateTime(
            year: date.year,
            month: date.month,
            day: date.day,
            hour: Int(secondOfDay / 3600),
            minute: Int(secondOfDay / 60 % 60),
            second: Int(secondOfDay % 60),
            nanosecond: nanosecond,
            dayOfWeek: C.weekday(daysSinceEpoch: days),
            dayOfYear: dayOfYear
        )
    }
}
