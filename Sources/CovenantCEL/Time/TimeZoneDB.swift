// Time zones for CEL timestamps: fixed UTC offsets and IANA zones read from
// the system's compiled tz database (TZif files, RFC 8536), including the
// POSIX TZ rule in the v2+ footer that governs instants after the last
// explicit transition. Only file reading touches the OS; all computation is
// plain integer arithmetic (see CivilTime.swift).

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

// MARK: - Zone specifications

/// A time zone as written in a CEL expression (e.g. the argument of
/// `timestamp.getHours("America/New_York")`).
enum TimeZoneSpec: Sendable, Hashable {
    case utc
    /// A fixed offset, in seconds east of UTC.
    case fixed(seconds: Int)
    /// An IANA zone name such as `Europe/Paris`, resolved via `TimeZoneDB`.
    case named(String)

    /// Longest zone name accepted (real IANA names are far shorter).
    static let maxNameLength = 255

    /// Parses a CEL time zone string:
    /// - `UTC` (exactly; no other spelling);
    /// - a fixed offset `+hh:mm` or `-hh:mm` (sign required, two-digit hours
    ///   00...23 and minutes 00...59);
    /// - an IANA name made of `[A-Za-z0-9_+-/]`, not starting with `+`, `-`
    ///   or `/`, with no empty path component. `.` is not allowed at all, so a
    ///   name can never leave the zoneinfo directory.
    ///
    /// Parsing is purely syntactic: a well-formed but unknown name such as
    /// `Mars/Olympus` parses, and only fails when looked up.
    static func parse(_ s: String) -> TimeZoneSpec? {
        if s == "UTC" { return .utc }
        let b = Array(s.utf8)
        guard let first = b.first else { return nil }
        if first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            return parseFixedOffset(b).map { .fixed(seconds: $0) }
        }
        return isValidZoneName(s) ? .named(s) : nil
    }

    /// `[+-]hh:mm` → seconds east of UTC.
    private static func parseFixedOffset(_ b: [UInt8]) -> Int? {
        guard b.count == 6, b[3] == UInt8(ascii: ":") else { return nil }
        func digit(_ c: UInt8) -> Int? {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) ? Int(c - UInt8(ascii: "0")) : nil
        }
        guard let h1 = digit(b[1]), let h2 = digit(b[2]),
              let m1 = digit(b[4]), let m2 = digit(b[5]) else { return nil }
        let hours = h1 * 10 + h2
        let minutes = m1 * 10 + m2
        guard hours <= 23, minutes <= 59 else { return nil }
        let magnitude = hours * 3600 + minutes * 60
        return b[0] == UInt8(ascii: "-") ? -magnitude : magnitude
    }

    /// Whether `name` is a syntactically acceptable IANA zone name that stays
    /// inside the zoneinfo directory when used as a relative path.
    static func isValidZoneName(_ name: String) -> Bool {
        let b = Array(name.utf8)
        guard !b.isEmpty, b.count <= maxNameLength else { return false }
        let slash = UInt8(ascii: "/")
        guard b.first != slash, b.last != slash,
              b.first != UInt8(ascii: "+"), b.first != UInt8(ascii: "-") else { return false }
        var previous: UInt8 = 0
        for c in b {
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "_"), UInt8(ascii: "+"), UInt8(ascii: "-"):
                break
            case slash:
                if previous == slash { return false }
            default:
                return false
            }
            previous = c
        }
        return true
    }
}

// MARK: - POSIX TZ rules

/// A POSIX TZ string as found in a TZif footer, e.g. `EST5EDT,M3.2.0,M11.1.0`,
/// `<+0330>-3:30` or `AEST-10AEDT,M10.1.0,M4.1.0/3`, with the RFC 8536 v3
/// extension of transition times that are negative or beyond 24 hours
/// (up to ±167h).
struct PosixTZ: Sendable, Equatable {
    /// The day on which a DST transition happens.
    enum DateRule: Sendable, Equatable {
        /// `Jn`: day 1...365, never counting February 29 (J60 is always March 1).
        case julian(Int)
        /// `n`: zero-based day 0...365, counting February 29 in leap years.
        case zeroBased(Int)
        /// `Mm.w.d`: weekday `d` (0 = Sunday) of week `w` (1...5, 5 = last)
        /// of month `m`.
        case monthWeekDay(month: Int, week: Int, weekday: Int)
    }

    /// A transition: a day plus a time of day, in the local time in effect
    /// just before the transition. The time may be negative or exceed 24h.
    struct Transition: Sendable, Equatable {
        var date: DateRule
        var secondsAfterMidnight: Int
    }

    struct DaylightRule: Sendable, Equatable {
        /// Offset during DST, seconds east of UTC.
        var offset: Int
        /// Switch to DST, expressed in standard local time.
        var start: Transition
        /// Switch back to standard time, expressed in DST local time.
        var end: Transition
    }

    /// Standard offset, seconds east of UTC (note: POSIX strings write it
    /// with the opposite sign, hours *west* of UTC).
    var standardOffset: Int
    /// Absent for zones without DST (e.g. `CST-8`).
    var daylight: DaylightRule?

    /// Default rule when a DST name is given without one (as tzcode does).
    private static let defaultStart = Transition(date: .monthWeekDay(month: 3, week: 2, weekday: 0),
                                                 secondsAfterMidnight: 7200)
    private static let defaultEnd = Transition(date: .monthWeekDay(month: 11, week: 1, weekday: 0),
                                               secondsAfterMidnight: 7200)

    init(standardOffset: Int, daylight: DaylightRule? = nil) {
        self.standardOffset = standardOffset
        self.daylight = daylight
    }

    /// Parses a POSIX TZ string; nil if malformed. The whole string must be
    /// consumed.
    init?(_ string: String) {
        var p = Parser(Array(string.utf8))
        guard p.name() else { return nil }
        guard let std = p.offset(maxHours: 24) else { return nil }
        standardOffset = -std
        if p.atEnd {
            daylight = nil
            return
        }
        guard p.name() else { return nil }
        var dstOffset = standardOffset + 3600
        if let c = p.peek, c != UInt8(ascii: ",") {
            guard let o = p.offset(maxHours: 24) else { return nil }
            dstOffset = -o
        }
        var start = PosixTZ.defaultStart
        var end = PosixTZ.defaultEnd
        if !p.atEnd {
            guard p.consume(UInt8(ascii: ",")), let s = p.transition(),
                  p.consume(UInt8(ascii: ",")), let e = p.transition() else { return nil }
            start = s
            end = e
        }
        guard p.atEnd else { return nil }
        daylight = DaylightRule(offset: dstOffset, start: start, end: end)
    }

    /// Offset east of UTC in effect at the instant `t`.
    func offset(atUnixSeconds t: Int64) -> Int {
        guard let dst = daylight else { return standardOffset }
        // Keep day*86400 arithmetic far from Int64 overflow; instants beyond
        // ±2^55 s (about a billion years) are treated as the clamp value.
        let limit: Int64 = 1 << 55
        let t = min(max(t, -limit), limit)
        let year = civilFromDays(CivilCalendar.floorDiv(t, CivilCalendar.secondsPerDay)).year
        // Each year y opens a DST period at its start transition. It closes
        // at y's end transition if that comes later (northern pattern), else
        // at the next year's (southern pattern, DST spanning New Year). The
        // periods may touch or overlap, e.g. "EST5EDT,0/0,J365/25" is DST all
        // year. A year's transitions stay within about eight days of it (the
        // time of day is at most ±167h), so only periods opened in years
        // year-2 ... year+1 can contain t.
        for y in (year - 2)...(year + 1) {
            let start = instant(of: dst.start, year: y, localOffset: standardOffset)
            guard start <= t else { continue }
            var end = instant(of: dst.end, year: y, localOffset: dst.offset)
            if end < start {
                end = instant(of: dst.end, year: y + 1, localOffset: dst.offset)
            }
            if t < end { return dst.offset }
        }
        return standardOffset
    }

    /// UTC instant of `transition` in `year`, given the local offset in
    /// effect just before it.
    private func instant(of transition: Transition, year: Int64, localOffset: Int) -> Int64 {
        let day = PosixTZ.day(of: transition.date, year: year)
        return day * CivilCalendar.secondsPerDay + Int64(transition.secondsAfterMidnight) - Int64(localOffset)
    }

    /// Days since 1970-01-01 of the rule's date in `year`.
    static func day(of rule: DateRule, year: Int64) -> Int64 {
        switch rule {
        case .julian(let n):
            let jan1 = daysFromCivil(year: year, month: 1, day: 1)
            let skipLeapDay = CivilCalendar.isLeapYear(year) && n >= 60
            return jan1 + Int64(n - 1) + (skipLeapDay ? 1 : 0)
        case .zeroBased(let n):
            return daysFromCivil(year: year, month: 1, day: 1) + Int64(n)
        case .monthWeekDay(let month, let week, let weekday):
            let first = daysFromCivil(year: year, month: month, day: 1)
            let firstWeekday = CivilCalendar.weekday(daysSinceEpoch: first)
            var dayOfMonth = 1 + (weekday - firstWeekday + 7) % 7 + (week - 1) * 7
            if dayOfMonth > CivilCalendar.daysInMonth(year: year, month: month) {
                dayOfMonth -= 7   // "week 5" means the last such weekday
            }
            return first + Int64(dayOfMonth - 1)
        }
    }

    /// Cursor over the bytes of a TZ string.
    private struct Parser {
        let b: [UInt8]
        var i = 0
        init(_ b: [UInt8]) { self.b = b }

        var atEnd: Bool { i == b.count }
        var peek: UInt8? { i < b.count ? b[i] : nil }

        mutating func consume(_ c: UInt8) -> Bool {
            guard peek == c else { return false }
            i += 1
            return true
        }

        static func isAlpha(_ c: UInt8) -> Bool {
            (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z")
        }

        static func isDigit(_ c: UInt8) -> Bool {
            c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")
        }

        /// A zone abbreviation: three or more letters, or `<...>` holding
        /// letters, digits, `+` and `-`.
        mutating func name() -> Bool {
            if consume(UInt8(ascii: "<")) {
                let start = i
                while let c = peek, Parser.isAlpha(c) || Parser.isDigit(c)
                        || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
                    i += 1
                }
                return i > start && consume(UInt8(ascii: ">"))
            }
            let start = i
            while let c = peek, Parser.isAlpha(c) { i += 1 }
            return i - start >= 3
        }

        /// An unsigned decimal number of at most `maxDigits` digits.
        mutating func number(maxDigits: Int) -> Int? {
            var value = 0
            var count = 0
            while let c = peek, Parser.isDigit(c) {
                guard count < maxDigits else { return nil }
                value = value * 10 + Int(c - UInt8(ascii: "0"))
                count += 1
                i += 1
            }
            return count > 0 ? value : nil
        }

        /// `[+-]hh[:mm[:ss]]` in seconds (sign as written).
        mutating func offset(maxHours: Int) -> Int? {
            var sign = 1
            if consume(UInt8(ascii: "-")) {
                sign = -1
            } else {
                _ = consume(UInt8(ascii: "+"))
            }
            guard let hours = number(maxDigits: 3), hours <= maxHours else { return nil }
            var seconds = hours * 3600
            if consume(UInt8(ascii: ":")) {
                guard let minutes = number(maxDigits: 2), minutes <= 59 else { return nil }
                seconds += minutes * 60
                if consume(UInt8(ascii: ":")) {
                    guard let secs = number(maxDigits: 2), secs <= 59 else { return nil }
                    seconds += secs
                }
            }
            return sign * seconds
        }

        /// `date[/time]`, with a default time of 02:00.
        mutating func transition() -> Transition? {
            let date: DateRule
            if consume(UInt8(ascii: "J")) {
                guard let n = number(maxDigits: 3), (1...365).contains(n) else { return nil }
                date = .julian(n)
            } else if consume(UInt8(ascii: "M")) {
                guard let m = number(maxDigits: 2), (1...12).contains(m),
                      consume(UInt8(ascii: ".")),
                      let w = number(maxDigits: 1), (1...5).contains(w),
                      consume(UInt8(ascii: ".")),
                      let d = number(maxDigits: 1), (0...6).contains(d) else { return nil }
                date = .monthWeekDay(month: m, week: w, weekday: d)
            } else {
                guard let n = number(maxDigits: 3), (0...365).contains(n) else { return nil }
                date = .zeroBased(n)
            }
            var time = 7200
            if consume(UInt8(ascii: "/")) {
                guard let t = offset(maxHours: 167) else { return nil }
                time = t
            }
            return Transition(date: date, secondsAfterMidnight: time)
        }
    }
}

// MARK: - TZif zone rules

/// The rules of one IANA zone, parsed from a TZif file (versions 1 to 4;
/// the 64-bit data of v2+ files is used when present).
struct ZoneRules: Sendable {
    /// Transition instants, strictly ascending (Unix seconds).
    let transitions: [Int64]
    /// For each transition, the index into `utcOffsets` of the type it starts.
    let transitionTypes: [UInt8]
    /// The UT offset (seconds east) of each local time type.
    let utcOffsets: [Int32]
    /// The footer rule for instants after the last transition (v2+ only).
    let footer: PosixTZ?

    /// Parses the bytes of a TZif file; nil if they are malformed or carry
    /// leap-second records (the `right/` zones, whose transition times are
    /// not plain Unix time).
    /// A footer that does not parse is ignored (the last transition's type
    /// then applies forever) rather than failing the whole zone.
    init?(tzif bytes: [UInt8]) {
        guard let v1 = ZoneRules.header(bytes, at: 0) else { return nil }
        let v1BlockEnd = 44 + v1.blockSize(timeSize: 4)
        guard v1BlockEnd <= bytes.count else { return nil }
        if v1.version >= UInt8(ascii: "2") {
            guard let v2 = ZoneRules.header(bytes, at: v1BlockEnd) else { return nil }
            let dataStart = v1BlockEnd + 44
            let dataEnd = dataStart + v2.blockSize(timeSize: 8)
            guard dataEnd <= bytes.count, v2.leap == 0,
                  let parsed = ZoneRules.block(bytes, at: dataStart, counts: v2, timeSize: 8)
            else { return nil }
            (transitions, transitionTypes, utcOffsets) = parsed
            footer = ZoneRules.footer(bytes, at: dataEnd)
        } else {
            guard v1.leap == 0,
                  let parsed = ZoneRules.block(bytes, at: 44, counts: v1, timeSize: 4) else { return nil }
            (transitions, transitionTypes, utcOffsets) = parsed
            footer = nil
        }
    }

    /// Offset east of UTC, in seconds, in effect at the instant `t`.
    func offset(atUnixSeconds t: Int64) -> Int {
        guard let last = transitions.last else {
            // No transitions: the footer rules everything, else type 0.
            return footer?.offset(atUnixSeconds: t) ?? Int(utcOffsets[0])
        }
        if t < transitions[0] { return Int(utcOffsets[0]) }
        if t >= last, let footer { return footer.offset(atUnixSeconds: t) }
        // Largest index whose transition is <= t.
        var low = 0
        var high = transitions.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if transitions[mid] <= t { low = mid } else { high = mid - 1 }
        }
        return Int(utcOffsets[Int(transitionTypes[low])])
    }

    // MARK: Parsing

    private struct Counts {
        var version: UInt8
        var isut: Int, isstd: Int, leap: Int, time: Int, type: Int, char: Int

        func blockSize(timeSize: Int) -> Int {
            time * timeSize + time + type * 6 + char + leap * (timeSize + 4) + isstd + isut
        }
    }

    private static func be32(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
    }

    private static func be64(_ b: [UInt8], _ i: Int) -> UInt64 {
        UInt64(be32(b, i)) << 32 | UInt64(be32(b, i + 4))
    }

    /// The 44-byte header at `offset`: magic, version, 15 reserved bytes,
    /// six 32-bit counts.
    private static func header(_ b: [UInt8], at offset: Int) -> Counts? {
        guard offset >= 0, b.count - offset >= 44,
              b[offset] == UInt8(ascii: "T"), b[offset + 1] == UInt8(ascii: "Z"),
              b[offset + 2] == UInt8(ascii: "i"), b[offset + 3] == UInt8(ascii: "f")
        else { return nil }
        func count(_ k: Int) -> Int { Int(be32(b, offset + 20 + 4 * k)) }
        let c = Counts(version: b[offset + 4], isut: count(0), isstd: count(1), leap: count(2),
                       time: count(3), type: count(4), char: count(5))
        // RFC 8536: typecnt must not be zero; isutcnt/isstdcnt are 0 or typecnt.
        guard c.type >= 1, c.type <= 256,
              c.isut == 0 || c.isut == c.type,
              c.isstd == 0 || c.isstd == c.type
        else { return nil }
        return c
    }

    /// Transitions, their types and the types' offsets from a data block
    /// whose extent has already been checked against the buffer.
    private static func block(_ b: [UInt8], at start: Int, counts c: Counts, timeSize: Int)
        -> (transitions: [Int64], types: [UInt8], offsets: [Int32])?
    {
        var transitions: [Int64] = []
        transitions.reserveCapacity(c.time)
        var i = start
        for _ in 0..<c.time {
            let t = timeSize == 8 ? Int64(bitPattern: be64(b, i)) : Int64(Int32(bitPattern: be32(b, i)))
            if let previous = transitions.last, t <= previous { return nil }  // must ascend
            transitions.append(t)
            i += timeSize
        }
        let types = Array(b[i..<(i + c.time)])
        guard types.allSatisfy({ Int($0) < c.type }) else { return nil }
        i += c.time
        var offsets: [Int32] = []
        offsets.reserveCapacity(c.type)
        for _ in 0..<c.type {
            let utoff = Int32(bitPattern: be32(b, i))
            guard utoff != Int32.min else { return nil }  // forbidden by RFC 8536
            offsets.append(utoff)
            i += 6  // utoff (4), isdst (1), desigidx (1)
        }
        // Abbreviations, leap-second records and the std/wall and UT/local
        // indicators are not needed to compute offsets.
        return (transitions, types, offsets)
    }

    /// The footer `\n<TZ string>\n` at `offset`; nil if absent, empty or
    /// unparsable.
    private static func footer(_ b: [UInt8], at offset: Int) -> PosixTZ? {
        guard offset < b.count, b[offset] == UInt8(ascii: "\n") else { return nil }
        guard let end = b[(offset + 1)...].firstIndex(of: UInt8(ascii: "\n")), end > offset + 1
        else { return nil }
        return PosixTZ(String(decoding: b[(offset + 1)..<end], as: UTF8.self))
    }
}

// MARK: - The zone database

/// Process-wide, bounded cache of zone rules loaded from the system's
/// zoneinfo directory (`/usr/share/zoneinfo` unless the `ZONEINFO` or `TZDIR`
/// environment variable names another directory; read once, at first use).
final class TimeZoneDB: Sendable {
    static let shared = TimeZoneDB()

    /// Zones kept in memory; further zones are still served, just re-read.
    static let maxCachedZones = 512
    /// Remembered unknown names; the set is cleared when it fills up, so
    /// bogus names cannot crowd out real zones.
    static let maxCachedMissingNames = 256
    /// Larger files are rejected (real ones are a few KiB).
    static let maxFileSize = 1 << 20

    static let defaultDirectory = "/usr/share/zoneinfo"

    /// The directory zone names are resolved against.
    let directory: String

    private struct Cache {
        var zones: [String: ZoneRules] = [:]
        var missing: Set<String> = []
    }

    private let cache = Mutex(Cache())

    /// - Parameter directory: the zoneinfo directory; by default the
    ///   `ZONEINFO` or `TZDIR` environment variable if it names a directory,
    ///   else `/usr/share/zoneinfo`.
    init(directory: String? = nil) {
        self.directory = directory ?? TimeZoneDB.directoryFromEnvironment()
    }

    private static func directoryFromEnvironment() -> String {
        for variable in ["ZONEINFO", "TZDIR"] {
            if let value = getenv(variable).map({ String(cString: $0) }),
               !value.isEmpty, isDirectory(value) {
                return value
            }
        }
        return defaultDirectory
    }

    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The rules of the IANA zone `name`, or nil if the name is invalid or no
    /// readable, well-formed TZif file exists for it.
    func rules(for name: String) -> ZoneRules? {
        guard TimeZoneSpec.isValidZoneName(name) else { return nil }
        let cached: ZoneRules?? = cache.withLock { cache in
            if let rules = cache.zones[name] { return .some(rules) }
            if cache.missing.contains(name) { return .some(nil) }
            return nil
        }
        if let cached { return cached }

        // Load outside the lock; a concurrent duplicate load is harmless.
        let loaded = TimeZoneDB.readFile(directory + "/" + name, limit: TimeZoneDB.maxFileSize)
            .flatMap { ZoneRules(tzif: $0) }
        cache.withLock { cache in
            if let loaded {
                if cache.zones.count < TimeZoneDB.maxCachedZones { cache.zones[name] = loaded }
            } else {
                if cache.missing.count >= TimeZoneDB.maxCachedMissingNames { cache.missing.removeAll() }
                cache.missing.insert(name)
            }
        }
        return loaded
    }

    /// Offset east of UTC, in seconds, of `spec` at the instant `t`; nil for
    /// an unknown named zone.
    func utcOffset(for spec: TimeZoneSpec, atUnixSeconds t: Int64) -> Int? {
        switch spec {
        case .utc: return 0
        case .fixed(let seconds): return seconds
        case .named(let name): return rules(for: name)?.offset(atUnixSeconds: t)
        }
    }

    /// The whole content of a regular file of at most `limit` bytes.
    static func readFile(_ path: String, limit: Int) -> [UInt8]? {
        // O_NONBLOCK so that a FIFO cannot hang the open; it has no effect
        // on regular files.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
              info.st_size >= 0, Int(info.st_size) <= limit else { return nil }
        // Read until EOF (the size may have changed since fstat), never
        // holding more than limit + 1 bytes.
        var bytes = [UInt8](repeating: 0, count: min(Int(info.st_size), limit) + 1)
        var total = 0
        while true {
            if total == bytes.count {
                guard bytes.count <= limit else { return nil }  // grew past the limit
                bytes.append(contentsOf: repeatElement(0, count: min(bytes.count, limit + 1 - bytes.count)))
            }
            let n = bytes.withUnsafeMutableBytes { buffer in
                read(fd, buffer.baseAddress! + total, buffer.count - total)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { break }
            total += n
        }
        bytes.removeSubrange(total...)
        return bytes
    }
}

/// Offset east of UTC, in seconds, of `spec` at the instant `t`, using the
/// shared zone database; nil for an unknown named zone.
func utcOffset(for spec: TimeZoneSpec, atUnixSeconds t: Int64) -> Int? {
    TimeZoneDB.shared.utcOffset(for: spec, atUnixSeconds: t)
}
