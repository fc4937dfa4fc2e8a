import CovenantCEL
import CovenantModel

/// One period of a tally: its kind, label (`2026-07-15`, `2026-W29`, `2026-07`, `2026-Q3`, `2026`)
/// and an ordinal that orders periods and finds the previous one.
public struct PeriodKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var period: Period
    public var label: String
    public var ordinal: Int64

    public static func < (a: PeriodKey, b: PeriodKey) -> Bool { a.ordinal < b.ordinal }
    public var description: String { label }

    /// The period before this one.
    public var previous: PeriodKey { Periods.key(ordinal: ordinal == .min ? ordinal : ordinal - 1, period: period) }
}

/// Periods in the convention's time zone; ISO weeks; quarters as `2026-Q3`.
public enum Periods {
    static func pad(_ v: Int, _ w: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, w - s.count)) + s
    }

    /// The period containing a local date.
    public static func key(year: Int, month: Int, day: Int, period: Period) -> PeriodKey {
        switch period {
        case .day:
            return PeriodKey(period: .day, label: "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))",
                             ordinal: TimeZones.days(year: year, month: month, day: day))
        case .week:
            return weekKey(floorDiv(TimeZones.days(year: year, month: month, day: day) + 3, 7))
        case .month:
            return PeriodKey(period: .month, label: "\(pad(year, 4))-\(pad(month, 2))", ordinal: Int64(year) * 12 + Int64(month - 1))
        case .quarter:
            let q = (month - 1) / 3 + 1
            return PeriodKey(period: .quarter, label: "\(pad(year, 4))-Q\(q)", ordinal: Int64(year) * 4 + Int64(q - 1))
        case .year:
            return PeriodKey(period: .year, label: pad(year, 4), ordinal: Int64(year))
        }
    }

    /// The period with a given ordinal.
    public static func key(ordinal: Int64, period: Period) -> PeriodKey {
        guard period != .week else { return weekKey(ordinal) }
        let first = firstDay(ordinal: ordinal, period: period)
        let label: String
        switch period {
        case .day: label = "\(pad(first.year, 4))-\(pad(first.month, 2))-\(pad(first.day, 2))"
        case .month: label = "\(pad(first.year, 4))-\(pad(first.month, 2))"
        case .quarter: label = "\(pad(first.year, 4))-Q\((first.month - 1) / 3 + 1)"
        default: label = pad(first.year, 4)
        }
        return PeriodKey(period: period, label: label, ordinal: ordinal)
    }

    /// The first day of the period with a given ordinal (a week's Monday), from the ordinal alone.
    /// Days and weeks past ±a million years are held at that bound (no overflow; no incident
    /// falls there).
    static func firstDay(ordinal: Int64, period: Period) -> (year: Int, month: Int, day: Int) {
        switch period {
        case .day, .week:
            let n = min(max(ordinal, -400_000_000), 400_000_000)
            return TimeZones.date(days: period == .day ? n : 7 * n - 3)
        case .month:
            return (Int(floorDiv(ordinal, 12)), Int((ordinal % 12 + 12) % 12) + 1, 1)
        case .quarter:
            return (Int(floorDiv(ordinal, 4)), Int((ordinal % 4 + 4) % 4) * 3 + 1, 1)
        case .year:
            return (Int(ordinal), 1, 1)
        }
    }

    /// ISO week n: days [7n − 3, 7n + 3] since the epoch (1970-01-01 was a Thursday, so week 0's
    /// Monday is 1969-12-29). Its label takes the year of its Thursday.
    static func weekKey(_ n: Int64) -> PeriodKey {
        let thursdayDays = 7 * min(max(n, -57_000_000), 57_000_000)
        let thursday = TimeZones.date(days: thursdayDays)
        let week = Int((thursdayDays - TimeZones.days(year: thursday.year, month: 1, day: 1)) / 7) + 1
        return PeriodKey(period: .week, label: "\(pad(thursday.year, 4))-W\(pad(week, 2))", ordinal: n)
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// The period of an instant in a zone resolved once (for many instants).
    public static func key(_ t: Timestamp, period: Period, zone: TimeZones.Resolved) -> PeriodKey {
        let l = TimeZones.local(t, in: zone)
        return key(year: l.year, month: l.month, day: l.day, period: period)
    }

    /// The ordinal of ``key(_:period:zone:)`` alone (no label is written: for counting many instants).
    static func ordinal(_ t: Timestamp, period: Period, zone: TimeZones.Resolved) -> Int64 {
        let l = TimeZones.local(t, in: zone)
        switch period {
        case .day: return TimeZones.days(year: l.year, month: l.month, day: l.day)
        case .week: return floorDiv(TimeZones.days(year: l.year, month: l.month, day: l.day) + 3, 7)
        case .month: return Int64(l.year) * 12 + Int64(l.month - 1)
        case .quarter: return Int64(l.year) * 4 + Int64((l.month - 1) / 3)
        case .year: return Int64(l.year)
        }
    }

    /// The period of an instant in a time zone.
    public static func key(_ t: Timestamp, period: Period, timezone: String) -> PeriodKey? {
        guard let l = TimeZones.local(t, in: timezone) else { return nil }
        return key(year: l.year, month: l.month, day: l.day, period: period)
    }

    /// Parses a period label (`2026-Q3`, `2026-07`, `2026-W29`, `2026-07-15`, `2026`).
    public static func parse(_ text: String) -> PeriodKey? {
        let parts = text.split(separator: "-").map(String.init)
        if parts.count == 1, parts[0].count == 4, let y = Int(parts[0]) { return key(ordinal: Int64(y), period: .year) }
        guard parts.count >= 2, parts[0].count == 4, let y = Int(parts[0]) else { return nil }
        if parts.count == 2, parts[1].hasPrefix("Q"), let q = Int(parts[1].dropFirst()), (1...4).contains(q) {
            return key(ordinal: Int64(y) * 4 + Int64(q - 1), period: .quarter)
        }
        if parts.count == 2, parts[1].hasPrefix("W"), let w = Int(parts[1].dropFirst()), (1...53).contains(w) {
            // The week containing January 4th is week 1.
            let k = weekKey(floorDiv(TimeZones.days(year: y, month: 1, day: 4) + 3, 7) + Int64(w - 1))
            return k.label == text ? k : nil
        }
        if parts.count == 2, parts[1].count == 2, let m = Int(parts[1]), (1...12).contains(m) {
            return key(year: y, month: m, day: 1, period: .month)
        }
        if parts.count == 3, let date = LocalDate.parse(text) {
            return key(year: date.year, month: date.month, day: date.day, period: .day)
        }
        return nil
    }
}
