/// Public access to the time-zone database and civil time, for the stages above the expression
/// language (effective dates, `local.*`, periods of tallies).
public enum TimeZones {
    /// Whether a zone spec (`UTC`, `+08:00`, `Asia/Shanghai`) is known.
    public static func isKnown(_ zone: String) -> Bool {
        guard let spec = TimeZoneSpec.parse(zone) else { return false }
        return utcOffset(for: spec, atUnixSeconds: 0) != nil
    }

    /// Seconds east of UTC of `zone` at an instant; nil for an unknown zone.
    public static func offset(_ zone: String, atUnixSeconds seconds: Int64) -> Int? {
        guard let spec = TimeZoneSpec.parse(zone) else { return nil }
        return utcOffset(for: spec, atUnixSeconds: seconds)
    }

    /// The local date and time of an instant in `zone`; nil for an unknown zone.
    public static func local(_ timestamp: Timestamp, in zone: String) -> LocalDateTime? {
        guard let offset = offset(zone, atUnixSeconds: timestamp.seconds) else { return nil }
        return local(timestamp, offset: offset)
    }

    /// A zone looked up once, for converting many instants (no parsing, lookup or lock per instant).
    public struct Resolved: Sendable {
        fileprivate enum Rules: Sendable {
            case fixed(Int)
            case rules(ZoneRules)
        }
        fileprivate let rules: Rules

        /// Seconds east of UTC at an instant.
        public func offset(atUnixSeconds seconds: Int64) -> Int {
            switch rules {
            case .fixed(let offset): return offset
            case .rules(let zone): return zone.offset(atUnixSeconds: seconds)
            }
        }
    }

    /// `zone` resolved for repeated use; nil for an unknown zone.
    public static func resolve(_ zone: String) -> Resolved? {
        guard let spec = TimeZoneSpec.parse(zone) else { return nil }
        switch spec {
        case .utc: return Resolved(rules: .fixed(0))
        case .fixed(let seconds): return Resolved(rules: .fixed(seconds))
        case .named(let name): return TimeZoneDB.shared.rules(for: name).map { Resolved(rules: .rules($0)) }
        }
    }

    /// The local date and time of an instant in a resolved zone.
    public static func local(_ timestamp: Timestamp, in zone: Resolved) -> LocalDateTime {
        local(timestamp, offset: zone.offset(atUnixSeconds: timestamp.seconds))
    }

    private static func local(_ timestamp: Timestamp, offset: Int) -> LocalDateTime {
        let c = CivilDateTime.from(unixSeconds: timestamp.seconds, nanos: timestamp.nanos, offsetSeconds: offset)
        return LocalDateTime(year: Int(c.year), month: c.month, day: c.day, hour: c.hour, minute: c.minute,
                             second: c.second, isoWeekday: c.dayOfWeek == 0 ? 7 : c.dayOfWeek,
                             dayOfYear: c.dayOfYear + 1, offsetSeconds: offset)
    }

    /// Days since 1970-01-01 of a calendar date (proleptic Gregorian).
    public static func days(year: Int, month: Int, day: Int) -> Int64 {
        daysFromCivil(year: Int64(year), month: month, day: day)
    }

    /// The calendar date of a day number.
    public static func date(days: Int64) -> (year: Int, month: Int, day: Int) {
        let c = civilFromDays(days)
        return (Int(c.year), c.month, c.day)
    }
}

/// A broken-down local date and time.
public struct LocalDateTime: Sendable, Hashable {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    /// ISO weekday: 1 Monday … 7 Sunday.
    public var isoWeekday: Int
    /// 1-based day of the year.
    public var dayOfYear: Int
    /// The zone's offset at that instant.
    public var offsetSeconds: Int
}
